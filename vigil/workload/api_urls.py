"""API of the workload app, mounted under /api/v1/ by vigil/urls.py."""

from django.urls import path  # noqa: F401

app_name = "workload_api"
urlpatterns = []
