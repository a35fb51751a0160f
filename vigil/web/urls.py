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
    path("my-cases/", views.my_cases_page, name="my_cases"),
    path("cases/<slug:reference>/grade/", views.grade, name="case_grade"),
    path("cases/<slug:reference>/roles/", views.case_roles, name="case_roles"),
    path(
        "cases/<slug:reference>/roles/<slug:role>/assign/",
        views.role_assign,
        name="role_assign",
    ),
    path(
        "cases/<slug:reference>/roles/<slug:role>/handover/",
        views.role_handover,
        name="role_handover",
    ),
    path(
        "cases/<slug:reference>/roles/<slug:role>/accept/",
        views.role_accept,
        name="role_accept",
    ),
    path(
        "cases/<slug:reference>/gradings/<int:sequence>/endorse/",
        views.grading_endorse_view,
        name="grading_endorse",
    ),
]
