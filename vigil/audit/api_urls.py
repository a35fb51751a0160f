"""Audit pages (consultation search for auditors)."""

from django.urls import path  # noqa: F401

app_name = "audit_api"
urlpatterns = []
