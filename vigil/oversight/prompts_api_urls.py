"""Mounted under /api/v1/ by vigil/urls.py."""

from django.urls import path

from vigil.oversight import prompts_api

app_name = "oversight_api"
urlpatterns = [
    path(
        "cases/<slug:reference>/prompts/",
        prompts_api.CasePromptsView.as_view(),
        name="case-prompts",
    ),
    path("prompts/<int:pk>/answer/", prompts_api.PromptAnswerView.as_view(), name="prompt-answer"),
]
