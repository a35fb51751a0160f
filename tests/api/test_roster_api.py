"""The roster through the API: designations, corrections, and who answered when."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.builders import utc
from vigil.audit.models import AuditEvent

DESIGNATED = "/api/v1/roster/designated/"
DESIGNATIONS = "/api/v1/roster/designations/"


def designate(client, person, slot_date, slot_code, role="mp_sergeant", area="north"):
    return client.post(
        DESIGNATIONS,
        {
            "area": area,
            "slot_date": slot_date,
            "slot_code": slot_code,
            "role": role,
            "person": person.username,
        },
        format="json",
    )


def who(client, at, known_at=None, area="north", role="mp_sergeant"):
    params = {"area": area, "role": role, "at": at}
    if known_at:
        params["known_at"] = known_at
    return client.get(DESIGNATED, params)


@pytest.fixture
def october(world, client_for):
    """PS A on the night of 26 October 2024, PS B on the early of the 27th (the clocks go
    back at 02:00 BST on the 27th), both recorded on 20 October."""
    inspector = client_for(world.inspector)
    with time_machine.travel(utc(2024, 10, 20, 9), tick=False):
        night = designate(inspector, world.sergeant, "2024-10-26", "night")
        early = designate(inspector, world.sergeant_b, "2024-10-27", "early")
    assert night.status_code == 201, night.content
    assert early.status_code == 201, early.content
    return night.json(), early.json()


def test_clock_change_night_through_the_api(world, client_for, october):
    night, _early = october
    assert night["slot"] == {
        "date": "2024-10-26",
        "code": "night",
        "starts_at": "2024-10-26T22:00:00+00:00",  # 23:00 BST
        "ends_at": "2024-10-27T07:00:00+00:00",  # 07:00 GMT: nine hours
    }
    client = client_for(world.constable)
    with time_machine.travel(utc(2024, 11, 1, 9), tick=False):
        first = who(client, "2024-10-27T01:30+01:00")  # the first 01:30, in BST
        second = who(client, "2024-10-27T01:30+00:00")  # an hour later, in GMT
        morning = who(client, "2024-10-27T07:00Z")
    for response in (first, second):
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["person"]["username"] == world.sergeant.username
        assert body["person"]["rank_label"] == "PS"
        assert body["slot"]["code"] == "night"
        assert body["slot"]["date"] == "2024-10-26"
        assert body["designation"] == night["id"]
        assert body["is_correction"] is False
        assert body["recorded_by"]["username"] == world.inspector.username
        assert body["recorded_at"] == "2024-10-20T09:00:00+00:00"
        assert body["detail"] is None
    assert first.json()["at"] == "2024-10-27T00:30:00+00:00"
    assert second.json()["at"] == "2024-10-27T01:30:00+00:00"
    assert morning.status_code == 200
    assert morning.json()["person"]["username"] == world.sergeant_b.username
    assert morning.json()["slot"] == {
        "date": "2024-10-27",
        "code": "early",
        "starts_at": "2024-10-27T07:00:00+00:00",
        "ends_at": "2024-10-27T15:00:00+00:00",
    }


def test_a_correction_is_seen_only_as_known_after_it(world, client_for, october):
    night, _early = october
    inspector = client_for(world.inspector)
    with time_machine.travel(utc(2024, 10, 28, 10), tick=False):
        corrected = inspector.post(
            f"{DESIGNATIONS}{night['id']}/correct/",
            {"person": world.acting_sergeant.pk, "reason": "A was sick; Jo covered the night."},
            format="json",
        )
    assert corrected.status_code == 201, corrected.content
    row = corrected.json()
    assert row["supersedes"] == night["id"]
    assert row["is_correction"] is True
    assert row["person"]["rank_label"] == "A/PS"
    assert [r["id"] for r in row["chain"]] == [night["id"], row["id"]]
    assert row["chain"][0]["superseded_by"] == row["id"]

    client = client_for(world.constable)
    with time_machine.travel(utc(2024, 11, 1, 9), tick=False):
        as_on_the_day = who(client, "2024-10-27T01:30+01:00", known_at="2024-10-27T01:30+01:00")
        as_now = who(client, "2024-10-27T01:30+01:00")
        just_before = who(client, "2024-10-27T01:30+01:00", known_at="2024-10-28T09:59:59Z")
    assert as_on_the_day.json()["person"]["username"] == world.sergeant.username
    assert as_on_the_day.json()["is_correction"] is False
    assert just_before.json()["person"]["username"] == world.sergeant.username
    body = as_now.json()
    assert body["person"]["username"] == world.acting_sergeant.username
    assert body["is_correction"] is True
    assert body["reason"] == "A was sick; Jo covered the night."
    assert body["designation"] == row["id"]

    # The original row can no longer be corrected: it has been superseded.
    with time_machine.travel(utc(2024, 10, 29, 10), tick=False):
        again = inspector.post(
            f"{DESIGNATIONS}{night['id']}/correct/",
            {"person": world.sergeant_b.username, "reason": "Second thoughts."},
            format="json",
        )
    assert again.status_code == 409
    assert "already been corrected" in again.json()["detail"]
    kinds = AuditEvent.objects.filter(force=world.force, kind__startswith="roster.")
    assert list(kinds.values_list("kind", flat=True)) == [
        "roster.designated",
        "roster.designated",
        "roster.corrected",
    ]


def test_designation_detail_and_nobody_designated(world, client_for, october):
    night, _ = october
    client = client_for(world.constable)
    detail = client.get(f"{DESIGNATIONS}{night['id']}/")
    assert detail.status_code == 200
    assert detail.json()["chain"][0]["id"] == night["id"]
    assert detail.json()["person"]["id"] == world.sergeant.pk

    with time_machine.travel(utc(2024, 11, 1, 9), tick=False):
        gap = who(client, "2024-10-27T12:00Z", role="duty_inspector")
    assert gap.status_code == 200
    body = gap.json()
    assert body["person"] is None
    assert body["designation"] is None
    assert body["detail"].startswith("Nobody is designated")
    assert body["slot"]["code"] == "early"


def test_correction_needs_a_reason_and_roster_rights(world, client_for, october):
    night, _ = october
    url = f"{DESIGNATIONS}{night['id']}/correct/"
    with time_machine.travel(utc(2024, 10, 21, 9), tick=False):
        no_reason = client_for(world.inspector).post(
            url, {"person": world.sergeant_b.username, "reason": " "}, format="json"
        )
        constable = client_for(world.constable).post(
            url, {"person": world.sergeant_b.username, "reason": "swap"}, format="json"
        )
        designate_as_constable = designate(
            client_for(world.constable), world.sergeant, "2024-10-28", "night"
        )
    assert no_reason.status_code == 400
    assert no_reason.json()["field"] == "reason"
    assert constable.status_code == 403
    assert designate_as_constable.status_code == 403


def test_designation_refusals_name_the_field(world, client_for):
    client = client_for(world.inspector)
    with time_machine.travel(utc(2024, 10, 20, 9), tick=False):
        too_junior = designate(client, world.constable, "2024-10-26", "night")
        no_slot = designate(client, world.sergeant, "2024-10-26", "twilight")
        unknown_person = client.post(
            DESIGNATIONS,
            {
                "area": "north",
                "slot_date": "2024-10-26",
                "slot_code": "night",
                "role": "mp_sergeant",
                "person": "nobody-here",
            },
            format="json",
        )
        first = designate(client, world.sergeant, "2024-10-26", "night")
        twice = designate(client, world.sergeant_b, "2024-10-26", "night")
    assert too_junior.status_code == 400
    assert too_junior.json()["errors"]["person"]
    assert no_slot.status_code == 400
    assert no_slot.json()["field"] == "slot_code"
    assert unknown_person.status_code == 400
    assert "person" in unknown_person.json()
    assert first.status_code == 201
    assert twice.status_code == 409


def test_roster_of_another_force_is_not_there(world, other_world, client_for, october):
    night, _ = october
    stranger = client_for(other_world.inspector)
    assert stranger.get(f"{DESIGNATIONS}{night['id']}/").status_code == 404
    correct = stranger.post(
        f"{DESIGNATIONS}{night['id']}/correct/",
        {"person": other_world.sergeant.username, "reason": "mine now"},
        format="json",
    )
    assert correct.status_code == 404
    # Their "north" is their own area: nobody is designated there.
    at = datetime(2024, 10, 27, 0, 30, tzinfo=UTC).isoformat()
    theirs = stranger.get(DESIGNATED, {"area": "north", "role": "mp_sergeant", "at": at})
    assert theirs.json()["person"] is None
    # Someone of another force cannot be designated here.
    with time_machine.travel(utc(2024, 10, 20, 9), tick=False):
        foreign = designate(client_for(world.inspector), other_world.sergeant, "2024-10-29", "late")
    assert foreign.status_code == 400
    assert "person" in foreign.json()
    assert stranger.get(DESIGNATED, {"area": "east", "role": "mp_sergeant"}).status_code == 404
