from django.urls import path

from vigil.oversight import prompts_views

app_name = "oversight"
urlpatterns = [
    path("prompts/<int:pk>/answer/", prompts_views.prompt_answer_page, name="prompt_answer"),
    path(
        "cases/<slug:reference>/prompts/",
        prompts_views.case_prompts_fragment,
        name="case_prompts",
    ),
]
