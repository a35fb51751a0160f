"""Times at the API's edge must carry an offset; nonexistent times are refused, not guessed."""

from datetime import UTC, datetime, timedelta

import pytest

from vigil.api.fields import AWARE_MESSAGE, AwareDateTimeField, parse_aware

DESIGNATED = "/api/v1/roster/designated/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-27T01:30+01:00", datetime(2024, 10, 27, 0, 30, tzinfo=UTC)),
        ("2024-10-27T01:30+00:00", datetime(2024, 10, 27, 1, 30, tzinfo=UTC)),
        ("2024-10-27T07:00Z", datetime(2024, 10, 27, 7, tzinfo=UTC)),
        ("2024-10-27T01:30:15.5-04:00", datetime(2024, 10, 27, 5, 30, 15, 500000, tzinfo=UTC)),
        ("2024-10-27T01:30 01:00", datetime(2024, 10, 27, 0, 30, tzinfo=UTC)),  # unencoded +
    ],
)
def test_instants_with_an_offset_parse_to_utc(text, expected):
    assert parse_aware(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-10-27T01:30",  # no offset: which 01:30?
        "2024-03-31T01:30",  # no offset, and never shown on a London clock
        "2024-10-27",  # a date is not an instant
        "2024-02-30T10:00+00:00",  # no such day
        "2024-10-27T25:00+00:00",  # no such hour
        "25:00",
        "yesterday",
        "",
    ],
)
def test_naive_or_impossible_times_are_refused(text):
    assert parse_aware(text) is None


def test_field_outputs_utc_with_an_offset():
    field = AwareDateTimeField()
    value = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)
    assert field.to_representation(value) == "2024-10-27T01:30:00+00:00"
    bst = datetime.fromisoformat("2024-07-01T12:00+01:00")
    assert field.to_representation(bst) == "2024-07-01T11:00:00+00:00"


@pytest.mark.parametrize("bad", ["2024-10-27T01:30", "2024-02-30T10:00+00:00", "25:00"])
@pytest.mark.parametrize("param", ["at", "known_at"])
def test_query_params_name_the_field(world, client_for, param, bad):
    client = client_for(world.constable)
    response = client.get(DESIGNATED, {"area": "north", "role": "mp_sergeant", param: bad})
    assert response.status_code == 400
    assert response.json() == {param: [AWARE_MESSAGE]}


def test_body_times_name_the_field(world, client_for):
    client = client_for(world.constable)
    now = datetime.now(UTC)
    body = {
        "area": "north",
        "subject": {"given_name": "Amy", "family_name": "Example"},
        "reported_at": "2024-10-27T01:30",
        "last_seen_at": "2024-02-30T10:00+00:00",
        "last_seen_place": "Market Square",
        "circumstances": "Did not come home.",
        "grading": {
            "grade": "medium",
            "rationale": "Out of character.",
            "facts": [
                {
                    "question_code": "out_of_character",
                    "answer": "Yes",
                    "source": "Brother",
                    "obtained_at": (now - timedelta(hours=1)).replace(tzinfo=None).isoformat(),
                }
            ],
        },
    }
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["reported_at"] == [AWARE_MESSAGE]
    assert errors["last_seen_at"] == [AWARE_MESSAGE]
    # DRF names a failing list item by its index.
    assert errors["grading"]["facts"] == {"0": {"obtained_at": [AWARE_MESSAGE]}}


def test_grading_fact_time_without_offset_is_refused(world, client_for):
    from tests.builders import report

    case = report(world)
    response = client_for(world.constable).post(
        f"/api/v1/cases/{case.reference}/gradings/",
        {
            "grade": "high",
            "rationale": "New information.",
            "facts": [
                {
                    "question_code": "self_harm_or_suicide",
                    "answer": "Note found",
                    "source": "Mother",
                    "obtained_at": "2024-10-27T01:30",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"facts": {"0": {"obtained_at": [AWARE_MESSAGE]}}}
