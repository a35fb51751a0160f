"""/api/: the OpenAPI schema, its docs page (served locally, no inline script) and v1."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from vigil.api import views

v1 = [
    path("cases/", views.CaseListView.as_view(), name="cases"),
    path("cases/<slug:reference>/", views.CaseDetailView.as_view(), name="case"),
    path("cases/<slug:reference>/gradings/", views.GradingListView.as_view(), name="case-gradings"),
    path(
        "cases/<slug:reference>/gradings/<int:sequence>/endorsements/",
        views.EndorsementView.as_view(),
        name="grading-endorsements",
    ),
    path(
        "cases/<slug:reference>/responsibility",
        views.ResponsibilityView.as_view(),
        name="case-responsibility",
    ),
    path(
        "cases/<slug:reference>/responsibility/",
        views.ResponsibilitySlashView.as_view(),
        name="case-responsibility-slash",
    ),
    path("cases/<slug:reference>/holdings/", views.HoldingListView.as_view(), name="case-holdings"),
    path(
        "cases/<slug:reference>/assignments/",
        views.AssignmentView.as_view(),
        name="case-assignments",
    ),
    path("cases/<slug:reference>/handovers/", views.HandoverView.as_view(), name="case-handovers"),
    path(
        "cases/<slug:reference>/acceptances/",
        views.AcceptanceView.as_view(),
        name="case-acceptances",
    ),
    path("my-cases/", views.MyCasesView.as_view(), name="my-cases"),
    path("people/", views.PersonListView.as_view(), name="people"),
    path("people/<uuid:public_id>/", views.PersonDetailView.as_view(), name="person"),
    path("roster/designations/", views.DesignationCreateView.as_view(), name="designations"),
    path(
        "roster/designations/<int:pk>/", views.DesignationDetailView.as_view(), name="designation"
    ),
    path(
        "roster/designations/<int:pk>/correct/",
        views.DesignationCorrectView.as_view(),
        name="designation-correct",
    ),
    path("roster/designated/", views.DesignatedView.as_view(), name="designated"),
]

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("v1/", include(v1)),
]
