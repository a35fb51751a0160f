"""The sweep: each step in order, idempotent, safe to run twice at once."""

import threading
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections

from tests.builders import build_world
from tests.notices.support import london, report_missing, staff
from vigil.notices.models import Notice
from vigil.oversight.management.commands.sweep import Command
from vigil.oversight.models import Prompt, PromptEscalation
from vigil.oversight.sweep import sweep_once


def counts():
    return (
        Notice.objects.count(),
        Prompt.objects.count(),
        PromptEscalation.objects.count(),
    )


def test_sweeping_twice_sends_each_notice_once(staffed, clock):
    w = staffed
    report_missing(w)
    clock.move_to(london(6, 10, 30))
    first = sweep_once()
    assert first.ok, first.failed
    assert first.prompts_raised == 3
    after_first = counts()
    assert after_first[0] >= 3
    second = sweep_once()
    assert second.ok and second.prompts_raised == 0 and second.review_notices == 0
    assert counts() == after_first
    # The notices are unique per (kind, key, recipient) whatever happens.
    keys = list(Notice.objects.values_list("kind", "key", "recipient"))
    assert len(keys) == len(set(keys))


def test_command_prints_what_it_did(staffed, clock):
    w = staffed
    case = report_missing(w)
    clock.move_to(london(6, 10, 30))
    out = StringIO()
    call_command("sweep", stdout=out)
    text = out.getvalue()
    assert "Sweep at 06 Jun 2024 10:30:00 (UK time)" in text
    assert "prompts: 3 raised" in text
    assert f"{case.reference}: No verified proof of life for more than 3 days" in text
    assert "prompt climbs: 0 passed on" in text
    clock.move_to(london(6, 11, 30))
    out = StringIO()
    Command(stdout=out).run_once("sweep")  # the body of `sweep --every 60`
    assert "prompt climbs: 3 passed on" in out.getvalue()
    assert "-> duty inspector (climbed)" in out.getvalue()


def test_every_must_not_be_negative(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep", "--every", "-1")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_notice_once():
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing one SQLite test database are not a real concurrency test")
    with time_machine.travel(london(3, 9), tick=False) as clock:
        world = build_world()
        staff(world)
        for n in range(3):
            report_missing(world, given=f"Person{n}")
        clock.move_to(london(6, 10, 30))
        start = threading.Barrier(2)
        reports, errors = [], []

        def sweeper():
            try:
                start.wait()
                reports.append(sweep_once())
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=sweeper) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    mine = [f for r in reports for f in r.failed if not f.startswith("due reviews")]
    assert mine == []
    assert Prompt.objects.count() == 9  # three rules on each of three cases, once each
    assert sum(r.prompts_raised for r in reports) == 9
    keys = list(Notice.objects.values_list("kind", "key", "recipient"))
    assert len(keys) == len(set(keys))
    assert Notice.objects.filter(kind="prompt.raised").count() == 9
    from vigil.audit.selectors import verify_chain

    assert verify_chain(world.force).ok
