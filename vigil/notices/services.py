"""Sending notices (from other apps' services, inside their transactions) and reading them."""

from django.db import IntegrityError, transaction

from vigil.audit.services import audit_record
from vigil.core.errors import NotAllowed
from vigil.core.time import now
from vigil.notices.models import Notice, NoticeKind, NoticeRead


def _notify(
    *,
    force,
    recipient,
    kind: str,
    key: str,
    title: str,
    link: str,
    why: str,
    case=None,
    actor=None,
    system_job: str = "",
) -> Notice | None:
    """Record one notice and queue its e-mail, inside the caller's transaction.

    Returns None when this (kind, key, recipient) was already sent: the insert runs in a
    savepoint, so a duplicate (another sweep got there first) leaves the caller's
    transaction usable. The e-mail task is enqueued only when the transaction commits.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_notify must run inside the calling service's transaction")
    if kind not in NoticeKind.values:
        raise ValueError(f"unknown notice kind {kind!r}")
    if actor is None and not system_job:
        raise ValueError("a notice needs a person or a named system job behind it")
    if Notice.objects.filter(kind=kind, key=key, recipient=recipient).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                force=force,
                recipient=recipient,
                case=case,
                kind=kind,
                key=key,
                title=title[:200],
                link=link,
                why_this_person=why,
                created_at=now(),
                created_by_job=system_job if actor is None else "",
            )
    except IntegrityError:
        return None  # already sent by a sweep running at the same moment
    audit_record(
        force=force,
        kind="notices.notice_sent",
        case=case,
        payload={
            "notice": notice.pk,
            "kind": kind,
            "key": key,
            "recipient": recipient.pk,
            "why": why,
        },
        **({"actor": actor} if actor is not None else {"system_job": system_job}),
    )
    notice_id = notice.pk
    transaction.on_commit(lambda: _enqueue_email(notice_id))
    return notice


def _enqueue_email(notice_id: int) -> None:
    from vigil.notices.tasks import notice_email_send

    notice_email_send.enqueue(notice_id)


@transaction.atomic(durable=True)
def notice_mark_read(*, notice: Notice, actor) -> NoticeRead:
    """The recipient has seen the notice. Once only; a second call returns the first read."""
    notice = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("force", "case")
        .get(pk=notice.pk)
    )
    if notice.recipient_id != actor.pk:
        raise NotAllowed("Only the person a notice was sent to can mark it read.")
    existing = NoticeRead.objects.filter(notice=notice).first()
    if existing is not None:
        return existing
    read = NoticeRead.objects.create(notice=notice, read_at=now(), read_by=actor)
    audit_record(
        force=notice.force,
        kind="notices.notice_read",
        actor=actor,
        case=notice.case,
        payload={"notice": notice.pk, "kind": notice.kind, "key": notice.key},
    )
    return read
