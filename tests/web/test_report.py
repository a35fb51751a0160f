"""Reporting a missing person through the page."""

from tests.web.conftest import NOW, text
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.missing.models import MissingEpisode

URL = "/areas/north/cases/report/"


def valid(**changes) -> dict:
    data = {
        "given_name": "Lily",
        "family_name": "Marsh",
        "date_of_birth-day": "4",
        "date_of_birth-month": "9",
        "date_of_birth-year": "2009",
        "description": "Slim, dark hair, green school blazer",
        "vulnerabilities": "Asthma; inhaler left at home",
        "reporter_given_name": "Rose",
        "reporter_family_name": "Marsh",
        "reporter_relationship": "mother",
        "reported_date-day": "10",
        "reported_date-month": "6",
        "reported_date-year": "2024",
        "reported_time": "11:30",
        "last_seen_date-day": "10",
        "last_seen_date-month": "6",
        "last_seen_date-year": "2024",
        "last_seen_time": "08:15",
        "last_seen_place": "School gates, Mill Lane",
        "circumstances": "Did not arrive in class; phone off.",
        "missing_from_address": "4 Orchard Close\nTownville",
    }
    data.update(changes)
    return data


def test_the_form_shows_every_field(as_user, world):
    body = as_user(world.constable).get(URL).content.decode()
    for field_id in [
        "given_name",
        "family_name",
        "date_of_birth-day",
        "description",
        "vulnerabilities",
        "reporter_given_name",
        "reporter_relationship",
        "reported_date-day",
        "reported_time",
        "last_seen_date-day",
        "last_seen_time",
        "last_seen_place",
        "circumstances",
        "missing_from_address",
    ]:
        assert f'id="{field_id}"' in body, field_id


def test_errors_are_summarised_linked_to_their_fields_and_nothing_typed_is_lost(as_user, world):
    data = valid(
        given_name="",
        **{"date_of_birth-month": "13", "last_seen_time": "25:99", "reported_date-day": ""},
        circumstances="",
    )
    response = as_user(world.constable).post(URL, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "<title>Error: Report a missing person" in body
    for href in [
        "#given_name",
        "#date_of_birth-day",
        "#reported_date-day",
        "#last_seen_time",
        "#circumstances",
    ]:
        assert f'href="{href}"' in body, href
    page = text(response)
    assert "Enter the given name" in page
    # The summary links read as plain messages, not Python lists.
    assert '<a href="#given_name">Enter the given name' in body
    assert "[&#39;" not in body and "['" not in body
    assert "The date of birth must be a real date" in page
    assert "The date reported must include a day" in page
    assert "The time last seen must be a real time" in page
    # What was typed comes back.
    assert 'value="Marsh"' in body
    assert 'value="13"' in body
    assert 'value="25:99"' in body
    assert "Asthma; inhaler left at home" in body
    assert "4 Orchard Close\nTownville" in body
    assert Case.objects.count() == 0


def test_a_service_refusal_is_shown_against_its_field(as_user, world):
    # Last seen after the report: the service refuses and names last_seen_at.
    response = as_user(world.constable).post(URL, valid(last_seen_time="11:45"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#last_seen_time"' in body
    assert "The person must have been last seen before they were reported" in body
    assert 'value="School gates, Mill Lane"' in body
    assert Case.objects.count() == 0


def test_a_report_in_the_future_is_refused(as_user, world):
    response = as_user(world.constable).post(URL, valid(reported_time="13:30"))
    assert response.status_code == 400
    assert 'href="#reported_time"' in response.content.decode()
    assert "cannot be in the future" in text(response)


def test_a_time_the_clocks_skipped_is_a_form_error(as_user, world):
    response = as_user(world.constable).post(
        URL,
        valid(
            **{
                "last_seen_date-day": "31",
                "last_seen_date-month": "3",
                "last_seen_date-year": "2024",
            },
            last_seen_time="01:30",
        ),
    )
    assert response.status_code == 400
    assert 'href="#last_seen_time"' in response.content.decode()
    assert "did not exist in the UK" in text(response)


def test_a_report_is_recorded_and_goes_on_to_grading(as_user, world):
    response = as_user(world.constable).post(URL, valid())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/grade/"
    episode = MissingEpisode.objects.get(case=case)
    assert episode.subject.full_name == "Lily Marsh"
    assert episode.subject.vulnerabilities == "Asthma; inhaler left at home"
    assert episode.reporter.full_name == "Rose Marsh"
    assert episode.reporter_relationship == "mother"
    # 11:30 and 08:15 London (BST) are 10:30 and 07:15 UTC.
    assert episode.reported_at == NOW.replace(hour=10, minute=30)
    assert episode.last_seen_at == NOW.replace(hour=7, minute=15)
    assert episode.missing_from.address == "4 Orchard Close\nTownville"
    assert case.status == "reported"
    assert AuditEvent.objects.filter(case=case, kind="missing.reported").exists()

    page = text(as_user(world.constable).get(response["Location"]))
    assert "Missing person reported" in page
    assert "Grade the risk" in page
