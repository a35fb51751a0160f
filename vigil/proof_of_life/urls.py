"""Pages of the proof_of_life app, mounted at the site root by vigil/urls.py."""

from django.urls import path  # noqa: F401

app_name = "proof_of_life"
urlpatterns = []
