"""The area roster and designating or correcting through the form."""

from datetime import date, timedelta

from tests.web.conftest import text
from vigil.rosters.models import Designation
from vigil.rosters.services import roster_correct, roster_designate

ROSTER = "/areas/north/roster/"
DESIGNATE = "/areas/north/roster/designate/"
TODAY = date(2024, 6, 10)


def designate(world, person, *, day=TODAY, slot="early", role="mp_sergeant"):
    return roster_designate(
        area=world.area,
        slot_date=day,
        slot_code=slot,
        role=role,
        person=person,
        actor=world.sergeant,
    )


def test_roster_shows_slots_designations_and_the_corrected_marker(as_user, world):
    first = designate(world, world.sergeant)
    roster_correct(
        designation=first, person=world.sergeant_b, reason="Sam is sick", actor=world.sergeant
    )
    designate(world, world.inspector, role="duty_inspector", slot="late")
    page = text(as_user(world.constable).get(ROSTER))
    assert "Roster for North" in page
    assert "Mon 10 Jun 2024 Early 07:00 to 15:00" in page
    assert "Night 23:00 to 07:00" in page
    for role in [
        "Missing person sergeant",
        "Duty inspector",
        "On-call detective inspector",
        "On-call superintendent",
    ]:
        assert role in page
    assert "Bea Baker Corrected" in page
    assert "Ivy Inspector" in page
    assert "Sun 16 Jun 2024" in page  # seven days by default
    assert "Mon 17 Jun 2024" not in page


def test_roster_warns_of_unfilled_slots_in_the_next_48_hours(as_user, world):
    page = text(as_user(world.constable).get(ROSTER))
    assert "Nobody is designated for these slots in the next 48 hours" in page
    assert "Mon 10 Jun 2024 Early (07:00 to 15:00): Missing person sergeant, Duty inspector" in page


def test_roster_date_range_and_as_known_at(as_user, world, travel):
    first = designate(world, world.sergeant, day=date(2024, 6, 12))
    travel.shift(timedelta(hours=2))  # 14:00 in London
    roster_correct(designation=first, person=world.sergeant_b, reason="Swap", actor=world.sergeant)
    client = as_user(world.constable)
    page = text(client.get(f"{ROSTER}?from=2024-06-12&days=1"))
    assert "Wed 12 Jun 2024" in page and "Thu 13 Jun 2024" not in page
    assert "Bea Baker Corrected" in page
    # As known at 13:00 London: only the original designation had been recorded.
    page = text(client.get(f"{ROSTER}?from=2024-06-12&days=1&known_at=2024-06-10T13:00"))
    assert "as known at 10 Jun 2024 13:00" in page
    assert "Sam Archer" in page
    assert "Bea Baker" not in page


def test_roster_with_bad_filters_explains_and_shows_the_default(as_user, world):
    response = as_user(world.constable).get(f"{ROSTER}?from=tomorrow&days=99")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#start"' in body and 'href="#days"' in body
    assert 'value="tomorrow"' in body
    assert "Mon 10 Jun 2024" in text(response)


def form(world, person, **changes):
    data = {
        "slot_date-day": "11",
        "slot_date-month": "6",
        "slot_date-year": "2024",
        "slot_code": "night",
        "role": "mp_sergeant",
        "person": str(person.pk),
        "reason": "",
    }
    data.update(changes)
    return data


def test_designate_then_correct_through_the_form(as_user, world):
    client = as_user(world.sergeant)
    assert "Designate or correct" in text(client.get(DESIGNATE))
    response = client.post(DESIGNATE, form(world, world.sergeant))
    assert response.status_code == 302
    assert response["Location"] == f"{ROSTER}?from=2024-06-11"
    original = Designation.objects.get()
    assert original.person == world.sergeant
    assert original.slot_code == "night"
    assert original.recorded_by == world.sergeant

    # Correcting without a reason: the service's refusal is linked to the reason box.
    response = client.post(DESIGNATE, form(world, world.sergeant_b))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#reason"' in body
    assert "Say why the designation is being corrected." in text(response)
    assert "original designation" in text(response)  # the chain so far

    response = client.post(
        DESIGNATE, form(world, world.sergeant_b, reason="Sam on a course"), follow=True
    )
    assert response.redirect_chain == [(f"{ROSTER}?from=2024-06-11", 302)]
    assert "Designation corrected" in text(response)
    correction = Designation.objects.get(supersedes=original)
    assert correction.person == world.sergeant_b
    assert correction.reason == "Sam on a course"

    page = text(client.get(f"{DESIGNATE}?date=2024-06-11&slot=night&role=mp_sergeant"))
    assert "Missing person sergeant, Night (23:00 to 07:00) on Tue 11 Jun 2024" in page
    assert "Sam Archer (original designation)" in page
    assert "Bea Baker (correction)" in page
    assert "Reason: Sam on a course" in page
    page = text(client.get(f"{ROSTER}?from=2024-06-11&days=1"))
    assert "Bea Baker Corrected" in page


def test_designating_someone_under_rank_is_refused_against_the_person(as_user, world):
    response = as_user(world.sergeant).post(DESIGNATE, form(world, world.constable))
    assert response.status_code == 400
    assert 'href="#person"' in response.content.decode()
    assert "must be at least sergeant" in text(response)
    assert not Designation.objects.exists()


def test_designate_form_errors_keep_what_was_chosen(as_user, world):
    response = as_user(world.sergeant).post(
        DESIGNATE, form(world, world.sergeant, **{"slot_date-month": "14"}, slot_code="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#slot_date-day"' in body and 'href="#slot_code"' in body
    assert 'value="14"' in body
    assert f'value="{world.sergeant.pk}" selected' in body


def test_a_constable_cannot_use_the_designate_form(as_user, world):
    client = as_user(world.constable)
    assert "Designate or correct" not in text(client.get(ROSTER))
    response = client.get(DESIGNATE)
    assert response.status_code == 403
    assert "You cannot do this" in text(response)
    assert client.post(DESIGNATE, form(world, world.sergeant)).status_code == 403
    assert not Designation.objects.exists()


def test_an_as_known_at_time_the_clocks_skipped_is_an_error(as_user, world):
    response = as_user(world.constable).get(f"{ROSTER}?known_at=2024-03-31T01:30")
    assert response.status_code == 400
    assert "clocks went forward" in text(response)
