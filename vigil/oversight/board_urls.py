"""Pages of the board, the Daily Management Meeting and the focus desk (namespace "board")."""

from django.urls import path

from vigil.oversight import board_views, focus_desk_views, meetings_views

app_name = "board"
urlpatterns = [
    path("board/", board_views.force_board, name="force"),
    path("areas/<slug:code>/board/", board_views.area_board, name="area"),
    path("meetings/new/", meetings_views.meeting_open_page, name="meeting_open"),
    path("meetings/<int:pk>/", meetings_views.meeting_page, name="meeting"),
    path(
        "meetings/<int:pk>/cases/<slug:reference>/discussed/",
        meetings_views.meeting_discussed,
        name="meeting_discussed",
    ),
    path(
        "meetings/<int:pk>/cases/<slug:reference>/decision/",
        meetings_views.meeting_decision,
        name="meeting_decision",
    ),
    path("meetings/<int:pk>/close/", meetings_views.meeting_close_view, name="meeting_close"),
    path("focus-desk/", focus_desk_views.queue, name="focus_desk"),
    path("cases/<slug:reference>/advice/new/", focus_desk_views.advice_new, name="advice_new"),
]
