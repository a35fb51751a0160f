from django.urls import include, path

urlpatterns = [
    path("api/", include("vigil.api.urls")),
    path("", include("vigil.reviews.urls")),
    path("", include("vigil.web.urls")),
]
