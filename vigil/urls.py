from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("vigil.notices.api_urls")),
    path("api/v1/", include("vigil.oversight.prompts_api_urls")),
    path("api/v1/", include("vigil.oversight.board_api_urls")),
    path("api/", include("vigil.api.urls")),
    path("", include("vigil.notices.urls")),
    path("", include("vigil.oversight.prompts_urls")),
    path("", include("vigil.oversight.board_urls")),
    path("", include("vigil.reviews.urls")),
    path("", include("vigil.web.urls")),
]
