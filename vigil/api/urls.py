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
