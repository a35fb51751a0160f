from django.urls import path

from vigil.notices import views

app_name = "notices"
urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/<int:pk>/", views.notice_open, name="open"),
    path("inbox/<int:pk>/read/", views.notice_read, name="read"),
]
