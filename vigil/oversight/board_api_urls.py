"""Mounted under /api/v1/ by vigil/urls.py: the board, meetings and the focus desk."""

from django.urls import path

from vigil.oversight import board_api

app_name = "board_api"
urlpatterns = [
    path("board/", board_api.BoardView.as_view(), name="board"),
    path("meetings/", board_api.MeetingListView.as_view(), name="meetings"),
    path("meetings/<int:pk>/", board_api.MeetingDetailView.as_view(), name="meeting"),
    path(
        "meetings/<int:pk>/discussed/",
        board_api.MeetingDiscussedView.as_view(),
        name="meeting-discussed",
    ),
    path(
        "meetings/<int:pk>/decisions/",
        board_api.MeetingDecisionView.as_view(),
        name="meeting-decisions",
    ),
    path("meetings/<int:pk>/close/", board_api.MeetingCloseView.as_view(), name="meeting-close"),
    path("focus-desk/", board_api.FocusDeskView.as_view(), name="focus-desk"),
    path("cases/<slug:reference>/advice/", board_api.CaseAdviceView.as_view(), name="case-advice"),
]
