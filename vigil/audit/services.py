"""Writes to the audit chain and the read log. Called from other apps' services."""

from django.db import transaction

from vigil.audit.canonical import canonical_text, digest, jsonable
from vigil.audit.models import AuditEvent, ChainHead, ReadLog
from vigil.core.time import now


def audit_chain_start(*, force) -> ChainHead:
    head, _ = ChainHead.objects.get_or_create(force=force)
    return head


def audit_record(
    *,
    force,
    kind: str,
    actor=None,
    system_job: str = "",
    case=None,
    payload: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the force's chain inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if actor is None and not system_job:
        raise ValueError("an audit event needs a person or a named system job")
    head = ChainHead.objects.select_for_update().get(force=force)
    seq = head.last_seq + 1
    occurred_at = now()
    clean_payload = jsonable(payload or {})
    text = canonical_text(
        force_id=force.pk,
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor.pk if actor is not None else None,
        system_job=system_job,
        case_id=case.pk if case is not None else None,
        kind=kind,
        payload=clean_payload,
        reason=reason,
        prev_hash=head.last_hash,
    )
    event_hash = digest(text)
    event = AuditEvent.objects.create(
        force=force,
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        system_job=system_job,
        case=case,
        kind=kind,
        payload=clean_payload,
        reason=reason,
        prev_hash=head.last_hash,
        hash=event_hash,
        canonical=text,
    )
    head.last_seq = seq
    head.last_hash = event_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def readlog_record(*, user, case, channel: str, what: str, purpose: str = "") -> ReadLog:
    return ReadLog.objects.create(
        user=user, at=now(), case=case, channel=channel, what=what[:300], purpose=purpose
    )
