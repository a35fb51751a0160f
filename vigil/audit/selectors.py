"""Reading and proving the chain."""

from dataclasses import dataclass

from vigil.audit.canonical import canonical_text, digest
from vigil.audit.models import GENESIS_HASH, AuditEvent, ChainHead


@dataclass(frozen=True)
class ChainReport:
    force_id: int
    force_name: str
    events: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(force) -> ChainReport:
    """Walk the force's chain from the start; name the first event that does not prove out."""
    prev = GENESIS_HASH
    count = 0
    rows = (
        AuditEvent.objects.filter(force=force)
        .order_by("seq")
        .values_list(
            "seq",
            "occurred_at",
            "actor_id",
            "system_job",
            "case_id",
            "kind",
            "payload",
            "reason",
            "prev_hash",
            "hash",
            "canonical",
        )
    )

    def broken(problem: str, seq: int) -> ChainReport:
        return ChainReport(force.pk, force.name, count, prev, seq, problem)

    for row in rows.iterator(chunk_size=2000):
        seq, occurred_at, actor_id, job, case_id, kind, payload, reason, prev_hash, h, text = row
        count += 1

        if seq != count:
            return broken(
                f"event {seq}: expected sequence number {count} (an event is missing)", seq
            )
        if prev_hash != prev:
            return broken(f"event {seq}: does not link to the event before it", seq)
        recomputed = canonical_text(
            force_id=force.pk,
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            system_job=job,
            case_id=case_id,
            kind=kind,
            payload=payload,
            reason=reason,
            prev_hash=prev_hash,
        )
        if recomputed != text:
            return broken(
                f"event {seq}: its stored fields differ from the bytes that were hashed", seq
            )
        if digest(text) != h:
            return broken(f"event {seq}: its hash does not match its bytes", seq)
        prev = h
    head = ChainHead.objects.filter(force=force).first()
    if head is not None and (head.last_seq != count or head.last_hash != prev):
        return ChainReport(
            force.pk, force.name, count, prev, count + 1, "the chain head does not match the end"
        )
    return ChainReport(force.pk, force.name, count, prev)


def chain_contains(force, event_hash: str) -> bool:
    return AuditEvent.objects.filter(force=force, hash=event_hash).exists()


def case_timeline(case):
    return (
        AuditEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("seq")
        .only("seq", "occurred_at", "kind", "payload", "reason", "system_job", "actor")
    )
