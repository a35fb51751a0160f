"""The demo force: built through the services under time travel, from a seed, idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, Grading, GradingEndorsement
from vigil.demo.builder import DEMO_PASSWORD, DemoOptions, build_demo
from vigil.organisation.models import Area, Force, RankPeriod, User, WorkingPattern
from vigil.policy.models import PolicyVersion
from vigil.rosters.models import Designation, DutyPeriod

SMALL = ["--days-back", "3", "--days-ahead", "1", "--cases", "6"]
LOGIN_USERNAMES = ["demo.constable", "demo.sergeant", "demo.inspector", "demo.admin"]


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *SMALL, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def case_fingerprint(force) -> list[tuple]:
    return [
        (
            case.reference,
            case.area.code,
            case.status,
            case.current_grade,
            [g.grade for g in case.gradings.order_by("sequence")],
        )
        for case in Case.objects.filter(force=force).select_related("area").order_by("reference")
    ]


@pytest.mark.django_db
def test_small_demo_has_the_expected_shape():
    output = load()
    force = Force.objects.get(code="demo")
    assert force.name == "Demo Constabulary"
    assert sorted(Area.objects.filter(force=force).values_list("name", flat=True)) == [
        "Eastmarsh",
        "Northfield",
        "Riverside",
    ]
    people = User.objects.filter(force=force)
    assert people.count() >= 40
    ranks = set(RankPeriod.objects.filter(user__force=force).values_list("rank", flat=True))
    assert {"constable", "sergeant", "inspector", "superintendent", "staff"} <= ranks
    assert people.filter(is_detective=True, rank_periods__rank="inspector").count() >= 2
    admin = people.get(username="demo.admin")
    assert admin.roles == ["administrator"]
    assert all("supervisor" in u.roles for u in people.filter(rank_periods__rank="sergeant"))

    # An acting sergeant, who is designated missing person sergeant on the roster.
    acting = RankPeriod.objects.get(user__force=force, acting=True)
    assert acting.rank == "sergeant"
    assert Designation.objects.filter(person=acting.user, role="mp_sergeant").exists()

    # Part-timers between half and four-fifths time.
    fractions = list(
        WorkingPattern.objects.filter(user__force=force, fraction__lt=1).values_list(
            "fraction", flat=True
        )
    )
    assert len(fractions) >= 3
    assert all(0.5 <= float(f) <= 0.8 for f in fractions)

    # Every slot of every day is designated for all four roles in every area (4 days).
    originals = Designation.objects.filter(area__force=force, supersedes__isnull=True)
    assert originals.count() == 3 * 4 * 3 * 4
    corrected = Designation.objects.filter(area__force=force, supersedes__isnull=False)
    assert corrected.exists()
    assert all(d.reason for d in corrected)
    assert DutyPeriod.objects.filter(person__force=force).count() > 50

    # Cases in several states, graded with facts and endorsed by someone else.
    cases = Case.objects.filter(force=force)
    assert cases.count() == 6
    assert cases.filter(status="reported", current_grade="").exists()
    assert cases.exclude(status="reported").exists()
    assert {c.current_grade for c in cases} <= {"", "no_apparent_risk", "low", "medium", "high"}
    for endorsement in GradingEndorsement.objects.filter(grading__case__force=force):
        assert endorsement.endorsed_by_id != endorsement.grading.assessed_by_id
    assert Grading.objects.filter(case__force=force, facts__isnull=False).exists()

    # Recorded while moving forward: the chain's times never go back, none in the future,
    # and the policy was saved before anything was graded under it.
    times = list(
        AuditEvent.objects.filter(force=force).order_by("seq").values_list("occurred_at", flat=True)
    )
    assert times == sorted(times)
    assert times[-1] <= timezone.now()
    policy = PolicyVersion.objects.get(force=force, case_type="missing_person")
    assert all(g.recorded_at >= policy.recorded_at for g in Grading.objects.all())

    # The logins are printed and work.
    for username in LOGIN_USERNAMES:
        assert username in output
        assert people.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output

    verified = StringIO()
    call_command("verify_audit", stdout=verified)
    assert "demo: chain of" in verified.getvalue()
    assert "verified" in verified.getvalue()


@pytest.mark.django_db
def test_second_run_loads_nothing_and_still_prints_the_logins():
    load()
    events = AuditEvent.objects.count()
    users = User.objects.count()

    output = load("--seed", "99")

    assert "already loaded" in output
    assert AuditEvent.objects.count() == events
    assert User.objects.count() == users
    for username in LOGIN_USERNAMES:
        assert username in output


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_cases():
    moment = timezone.now().replace(microsecond=0)
    small = {"days_back": 2, "days_ahead": 0, "cases": 6}
    first = build_demo(DemoOptions(seed=7, **small), now=moment)
    twin = build_demo(DemoOptions(seed=7, code="twin", name="Twin", **small), now=moment)
    other = build_demo(DemoOptions(seed=8, code="other", name="Other", **small), now=moment)

    assert case_fingerprint(first.force) == case_fingerprint(twin.force)
    assert case_fingerprint(first.force) != case_fingerprint(other.force)
    assert first.designations == twin.designations
    assert first.corrections == twin.corrections
    assert min(AuditEvent.objects.values_list("occurred_at", flat=True)) < moment - timedelta(
        days=2
    )


@pytest.mark.django_db
def test_nonsense_sizes_are_refused():
    with pytest.raises(CommandError):
        call_command("load_demo", "--days-back", "0", stdout=StringIO())
    assert not Force.objects.filter(code="demo").exists()
