"""verify_audit proves each chain, names the first broken event, and checks anchors."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.builders import build_world, report
from vigil.audit import append_only
from vigil.audit.canonical import canonical_text, digest
from vigil.audit.models import AuditEvent, ChainHead


def _run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_clean_chain_verifies_and_prints_its_head(world):
    report(world)
    out, _ = _run("--anchor")
    head = ChainHead.objects.get(force=world.force)
    assert f"{world.force.code}: chain of {head.last_seq} events verified" in out
    assert f"{world.force.code} head {head.last_hash}" in out


def test_editing_a_stored_event_is_named(world):
    report(world)
    target = AuditEvent.objects.filter(force=world.force, kind="case.graded").get()
    append_only.drop_all(connection)  # what a determined administrator could do
    AuditEvent.objects.filter(pk=target.pk).update(reason="Nothing to worry about")
    with pytest.raises(CommandError, match=f"event {target.seq}: its stored fields differ"):
        _run()


def test_deleting_an_event_is_named(world):
    report(world)
    target = AuditEvent.objects.filter(force=world.force).order_by("seq")[2]
    append_only.drop_all(connection)
    AuditEvent.objects.filter(pk=target.pk).delete()
    with pytest.raises(CommandError, match=f"event {target.seq + 1}: expected sequence"):
        _run()


def _rehash_from(force, first_seq: int):
    """Recompute every hash from `first_seq` on, as an insider covering an edit would."""
    prev = AuditEvent.objects.get(force=force, seq=first_seq - 1).hash
    for event in AuditEvent.objects.filter(force=force, seq__gte=first_seq).order_by("seq"):
        text = canonical_text(
            force_id=force.pk,
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            system_job=event.system_job,
            case_id=event.case_id,
            kind=event.kind,
            payload=event.payload,
            reason=event.reason,
            prev_hash=prev,
        )
        AuditEvent.objects.filter(pk=event.pk).update(
            prev_hash=prev, hash=digest(text), canonical=text
        )
        prev = digest(text)
    ChainHead.objects.filter(force=force).update(last_hash=prev)


def test_an_anchor_from_before_a_full_rehash_is_reported_missing(world):
    report(world)
    anchored = ChainHead.objects.get(force=world.force).last_hash
    report(world, given="Ben")
    append_only.drop_all(connection)
    victim = AuditEvent.objects.get(force=world.force, seq=3)
    AuditEvent.objects.filter(pk=victim.pk).update(reason="rewritten history")
    _rehash_from(world.force, 3)
    out, _ = _run()  # the rewritten chain is self-consistent...
    assert "verified" in out
    with pytest.raises(CommandError, match="no longer in any chain"):
        _run("--expect", anchored)  # ...but the published head is gone


def test_chains_are_per_force(world):
    other = build_world(code="other", name="Other Constabulary")
    report(world)
    report(other)
    out, _ = _run()
    assert "demo: chain of" in out and "other: chain of" in out
    assert AuditEvent.objects.filter(force=other.force, seq=1).exists()
