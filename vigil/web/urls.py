from django.contrib.auth.views import LogoutView
from django.urls import path

from vigil.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", LogoutView.as_view(), name="logout"),
    path("areas/<slug:code>/cases/", views.area_cases, name="area_cases"),
    path("areas/<slug:code>/cases/report/", views.report, name="report"),
    path("areas/<slug:code>/roster/", views.roster, name="roster"),
    path("areas/<slug:code>/roster/designate/", views.designate, name="designate"),
    path("cases/<slug:reference>/", views.case_detail, name="case"),
    path("cases/<slug:reference>/grade/", views.grade, name="case_grade"),
    path(
        "cases/<slug:reference>/gradings/<int:sequence>/endorse/",
        views.grading_endorse_view,
        name="grading_endorse",
    ),
]
