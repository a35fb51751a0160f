"""Pages of the retention app, mounted at the site root by vigil/urls.py."""

from django.urls import path  # noqa: F401

app_name = "retention"
urlpatterns = []
