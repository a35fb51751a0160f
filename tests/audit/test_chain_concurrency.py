"""Two writers appending to one force's chain at once never fork it."""

import threading

import pytest
from django.db import connection, connections, transaction

from tests.builders import build_world
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain
from vigil.audit.services import audit_record

WRITERS = 4
EVENTS_EACH = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_chain_never_fork_it():
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing one SQLite test database are not a real concurrency test")
    world = build_world()
    start = threading.Barrier(WRITERS)
    errors = []

    def writer(n):
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                with transaction.atomic():
                    audit_record(
                        force=world.force,
                        kind="test.concurrent",
                        system_job="test",
                        payload={"writer": n, "i": i},
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    written = AuditEvent.objects.filter(force=world.force, kind="test.concurrent")
    assert written.count() == WRITERS * EVENTS_EACH
    seqs = list(AuditEvent.objects.filter(force=world.force).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    prevs = list(AuditEvent.objects.filter(force=world.force).values_list("prev_hash", flat=True))
    assert len(set(prevs)) == len(prevs)  # no two events claim the same predecessor
    assert verify_chain(world.force).ok
