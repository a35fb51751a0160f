from django.urls import path

from vigil.reviews import api, compliance_api, compliance_views, views

app_name = "reviews"
urlpatterns = [
    path("reviews/mine/", views.mine, name="mine"),
    path("reviews/compliance/", compliance_views.compliance, name="compliance"),
    path("reviews/compliance.csv", compliance_views.compliance_csv, name="compliance-csv"),
    path("reviews/compliance.xlsx", compliance_views.compliance_xlsx, name="compliance-xlsx"),
    path("cases/<slug:reference>/reviews/new/", views.record, name="record"),
    path(
        "api/v1/cases/<slug:reference>/reviews/",
        api.CaseReviewsView.as_view(),
        name="api-case-reviews",
    ),
    path("api/v1/reviews/mine/", api.MyReviewsView.as_view(), name="api-mine"),
    path(
        "api/v1/reviews/compliance/",
        compliance_api.ComplianceView.as_view(),
        name="api-compliance",
    ),
]
