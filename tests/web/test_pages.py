"""Signing in, the home redirect, the case list, error pages and security headers."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tests.builders import PASSWORD, build_world, report
from tests.web.conftest import text


def test_every_page_needs_sign_in(client, world):
    case = report(world)
    for path in [
        "/",
        "/areas/north/cases/",
        "/areas/north/cases/report/",
        f"/cases/{case.reference}/",
        f"/cases/{case.reference}/grade/",
        "/areas/north/roster/",
        "/areas/north/roster/designate/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/sign-in/?next="), path


def test_sign_in_with_a_wrong_password_keeps_the_username_and_links_the_error(client, world):
    response = client.post("/sign-in/", {"username": world.constable.username, "password": "wrong"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#username"' in body
    assert f'value="{world.constable.username}"' in body
    assert "Enter a correct username and password" in body


def test_sign_in_then_home_goes_to_the_team_area_and_sign_out_works(client, world):
    response = client.post(
        "/sign-in/", {"username": world.constable.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.get("/")
    assert response["Location"] == "/areas/north/cases/"
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_home_without_a_team_goes_to_the_first_area_of_the_force(as_user, world):
    response = as_user(world.inspector).get("/")
    assert response["Location"] == "/areas/north/cases/"


def test_case_list_shows_cases_with_grade_labels_and_filters_by_status(as_user, world):
    graded = report(world, given="Amy", family="Graded")
    reported = report(world, given="Ben", family="Ungraded", grade=None)
    client = as_user(world.constable)
    page = text(client.get("/areas/north/cases/"))
    assert graded.reference in page and reported.reference in page
    assert "Amy Graded" in page and "Ben Ungraded" in page
    assert "Medium risk" in page
    assert "10 Jun 2024 12:00" in page  # reported time, London (BST)
    assert "Report a missing person" in page
    assert "Roster for North" in page
    assert "Cases in South" in page

    page = text(client.get("/areas/north/cases/?status=reported"))
    assert reported.reference in page
    assert graded.reference not in page


def test_case_list_query_count_does_not_grow_with_cases(as_user, world):
    client = as_user(world.constable)
    report(world)
    client.get("/areas/north/cases/")
    with CaptureQueriesContext(connection) as one:
        client.get("/areas/north/cases/")
    for n in range(3):
        report(world, given=f"Extra{n}")
    with CaptureQueriesContext(connection) as four:
        client.get("/areas/north/cases/")
    assert len(four) == len(one)


def test_an_area_of_another_force_is_not_found(as_user, world):
    build_world(code="other", name="Other Constabulary")
    client = as_user(world.constable)
    assert client.get("/areas/nowhere/cases/").status_code == 404


def _normalise(body: str) -> str:
    body = re.sub(r'nonce="[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_a_case_of_another_force_answers_exactly_like_a_missing_one(as_user, world):
    other = build_world(code="other", name="Other Constabulary")
    foreign = report(other)
    client = as_user(world.constable)
    theirs = client.get(f"/cases/{foreign.reference}/")
    missing = client.get("/cases/MP-1999-99999/")
    assert theirs.status_code == missing.status_code == 404
    assert "Page not found" in text(theirs)
    assert _normalise(theirs.content.decode()) == _normalise(missing.content.decode())
    assert client.get(f"/cases/{foreign.reference}/grade/").status_code == 404
    assert client.post(f"/cases/{foreign.reference}/gradings/1/endorse/", {}).status_code == 404


def test_the_error_pages_are_friendly():
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in/",
        "/",
        "/areas/north/cases/",
        "/areas/north/cases/report/",
        "/cases/{ref}/",
        "/cases/{ref}/grade/",
        "/areas/north/roster/",
        "/areas/north/roster/designate/",
        "/cases/MP-1999-99999/",
    ],
)
def test_every_page_has_a_strict_content_security_policy(client, as_user, world, path):
    case = report(world)
    client = as_user(world.sergeant) if path != "/sign-in/" else client
    response = client.get(path.format(ref=case.reference))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    if response.status_code != 302:
        assert "script-src 'self' 'nonce-" in policy
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()


def test_a_form_without_its_security_token_gets_our_page_not_a_stack_trace(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.constable)
    response = client.post(f"/areas/{world.area.code}/cases/report/", {"given_name": "Amy"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form could not be sent" in body and "Nothing was saved" in body
    assert "CSRF verification failed" not in body


def test_the_menu_offers_the_board_to_supervisors_only(world):
    from django.test import Client

    def menu(user):
        client = Client()
        client.force_login(user)
        return " ".join(client.get("/my-cases/").content.decode().replace(">", "> ").split())

    sergeant, constable = menu(world.sergeant), menu(world.constable)
    assert "> Board <" in sergeant and "> Focus desk <" in sergeant
    assert "> Board <" not in constable and "> Focus desk <" not in constable
    for page in (sergeant, constable):
        assert "> My reviews <" in page and "> Inbox" in page
