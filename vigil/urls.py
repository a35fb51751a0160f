from django.urls import include, path

# Each domain app mounts its own pages at the root and its API under /api/v1/.
DOMAIN_APPS = [
    "actions",
    "proof_of_life",
    "commsdata",
    "disclosures",
    "referrals",
    "outcomes",
    "casefile",
    "children",
    "quality",
    "insight",
    "workload",
    "investigations",
    "retention",
    "accounts",
    "audit",
]

urlpatterns = [
    path("api/v1/", include("vigil.notices.api_urls")),
    path("api/v1/", include("vigil.oversight.prompts_api_urls")),
    path("api/v1/", include("vigil.oversight.board_api_urls")),
    *(path("api/v1/", include(f"vigil.{app}.api_urls")) for app in DOMAIN_APPS),
    path("api/", include("vigil.api.urls")),
    path("", include("vigil.notices.urls")),
    path("", include("vigil.oversight.prompts_urls")),
    path("", include("vigil.oversight.board_urls")),
    path("", include("vigil.reviews.urls")),
    *(path("", include(f"vigil.{app}.urls")) for app in DOMAIN_APPS),
    path("", include("vigil.web.urls")),
]
