"""Mounted under /api/v1/ by vigil/urls.py."""

from django.urls import path

from vigil.notices import api

app_name = "notices_api"
urlpatterns = [
    path("inbox/", api.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", api.NoticeReadView.as_view(), name="read"),
]
