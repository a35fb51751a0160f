"""Small worlds for tests, built only through the services (so audit chains are real)."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from vigil.missing.services import InitialGrading, missing_report
from vigil.organisation import services as org
from vigil.people.services import PersonDetails
from vigil.policy.services import policy_install_defaults

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    force: object
    area: object
    other_area: object
    team: object
    constable: object
    sergeant: object
    sergeant_b: object
    acting_sergeant: object
    inspector: object
    detective_inspector: object
    superintendent: object
    admin: object
    people: dict = field(default_factory=dict)


_counter = {"n": 0}


def make_user(
    force,
    rank,
    *,
    team=None,
    roles=None,
    detective=False,
    fraction="1.00",
    since=date(2015, 1, 1),
    first="Alex",
    last=None,
):
    _counter["n"] += 1
    n = _counter["n"]
    return org.user_create(
        force=force,
        username=f"{force.code}-{rank}-{n}",
        first_name=first,
        last_name=last or f"{rank.title()}{n}",
        rank=rank,
        rank_since=since,
        password=PASSWORD,
        collar_number=str(1000 + n),
        team=team,
        roles=roles or ["officer"],
        is_detective=detective,
        fraction=fraction,
    )


WORLD_BUILT_AT = datetime(2024, 1, 1, 9, tzinfo=UTC)


def build_world(code: str = "demo", name: str = "Test Constabulary") -> World:
    """A force recorded on 1 January 2024, so tests may travel to any later moment."""
    import time_machine

    from vigil.core.time import now

    if now() < WORLD_BUILT_AT:
        return _build_world(code, name)
    with time_machine.travel(WORLD_BUILT_AT, tick=False):
        return _build_world(code, name)


def _build_world(code: str, name: str) -> World:
    force = org.force_create(name=name, code=code)
    area = org.area_create(force=force, name="North", code="north")
    other = org.area_create(force=force, name="South", code="south")
    team = org.team_create(area=area, name="Response A")
    policy_install_defaults(force=force)
    sergeant_a = make_user(
        force, "sergeant", team=team, roles=["officer", "supervisor"], first="Sam", last="Archer"
    )
    acting = make_user(force, "constable", team=team, first="Jo", last="Acting")
    org.user_record_rank(
        user=acting,
        rank="sergeant",
        acting=True,
        starts_on=date(2020, 1, 1),
        ends_on=date(2040, 1, 1),
        reason="acting up",
    )
    return World(
        force=force,
        area=area,
        other_area=other,
        team=team,
        constable=make_user(force, "constable", team=team, first="Pat", last="Constable"),
        sergeant=sergeant_a,
        sergeant_b=make_user(
            force, "sergeant", team=team, roles=["officer", "supervisor"], first="Bea", last="Baker"
        ),
        acting_sergeant=acting,
        inspector=make_user(
            force, "inspector", roles=["officer", "inspector"], first="Ivy", last="Inspector"
        ),
        detective_inspector=make_user(
            force,
            "inspector",
            roles=["officer", "inspector"],
            detective=True,
            first="Dee",
            last="Detective",
        ),
        superintendent=make_user(
            force, "superintendent", roles=["officer"], first="Sue", last="Super"
        ),
        admin=make_user(force, "staff", roles=["administrator"], first="Ada", last="Admin"),
    )


def report(
    world: World,
    *,
    actor=None,
    area=None,
    grade: str | None = "medium",
    given="Amy",
    family="Example",
    dob=date(1990, 5, 1),
    at: datetime | None = None,
):
    from vigil.core.time import now

    at = at or now()
    return missing_report(
        actor=actor or world.constable,
        area=area or world.area,
        subject=PersonDetails(given_name=given, family_name=family, date_of_birth=dob),
        reporter=PersonDetails(given_name="Rob", family_name="Reporter"),
        reporter_relationship="brother",
        reported_at=at,
        last_seen_at=at - timedelta(hours=3),
        last_seen_place="Market Square",
        circumstances="Did not come home from work.",
        missing_from_address="1 High Street\nTownville",
        grading=InitialGrading(grade=grade, rationale="Out of character; no contact.")
        if grade
        else None,
    ).case


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
