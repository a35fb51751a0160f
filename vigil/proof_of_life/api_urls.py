"""API of the proof_of_life app, mounted under /api/v1/ by vigil/urls.py."""

from django.urls import path  # noqa: F401

app_name = "proof_of_life_api"
urlpatterns = []
