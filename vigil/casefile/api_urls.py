"""API of the casefile app, mounted under /api/v1/ by vigil/urls.py."""

from django.urls import path  # noqa: F401

app_name = "casefile_api"
urlpatterns = []
