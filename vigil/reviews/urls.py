from django.urls import path

from vigil.reviews import api, views

app_name = "reviews"
urlpatterns = [
    path("reviews/mine/", views.mine, name="mine"),
    path("cases/<slug:reference>/reviews/new/", views.record, name="record"),
    path(
        "api/v1/cases/<slug:reference>/reviews/",
        api.CaseReviewsView.as_view(),
        name="api-case-reviews",
    ),
    path("api/v1/reviews/mine/", api.MyReviewsView.as_view(), name="api-mine"),
]
