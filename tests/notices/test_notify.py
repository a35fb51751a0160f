"""Sending a notice: once per (kind, key, recipient), audited, e-mailed on commit with no
personal data; read once, as a row of its own."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings

from tests.builders import build_world
from tests.notices.support import give_emails, london, report_missing
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain
from vigil.notices.models import Notice, NoticeKind, NoticeRead
from vigil.notices.services import _notify, notice_mark_read
from vigil.notices.tasks import SUBJECT

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def send(world, case, recipient, key="due_review:1:opened"):
    with transaction.atomic():
        return _notify(
            force=world.force,
            recipient=recipient,
            case=case,
            kind=NoticeKind.DUE_REVIEW_OPENED,
            key=key,
            title=f"Supervisory review due: {case.reference}",
            link=f"/cases/{case.reference}/",
            why="designated missing person sergeant for Early 3 Jun and on duty",
            system_job="sweep",
        )


def assert_no_personal_data(message, world, case):
    text = f"{message.subject}\n{message.body}"
    episode = case.missing
    for word in (
        episode.subject.given_name,
        episode.subject.family_name,
        episode.reporter.family_name,
        world.sergeant.first_name,
        world.sergeant.last_name,
        case.reference,
        "Market Square",
    ):
        assert word not in text, word


def test_notice_is_sent_once_audited_and_emailed_on_commit(
    staffed, clock, django_capture_on_commit_callbacks
):
    w = staffed
    case = report_missing(w)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = send(w, case, w.sergeant)
    assert notice is not None and len(callbacks) == 1
    again = send(w, case, w.sergeant)
    assert again is None  # the same kind, key and recipient: already sent
    assert Notice.objects.filter(recipient=w.sergeant).count() == 1
    (event,) = AuditEvent.objects.filter(kind="notices.notice_sent")
    assert event.system_job == "sweep" and event.case == case
    assert event.payload["recipient"] == w.sergeant.pk
    assert verify_chain(w.force).ok

    (message,) = mail.outbox
    assert message.to == [w.sergeant.email]
    assert message.subject == SUBJECT
    assert f"/inbox/{notice.pk}/" in message.body
    assert_no_personal_data(message, w, case)


def test_same_key_to_someone_else_is_another_notice(staffed, clock):
    w = staffed
    case = report_missing(w)
    assert send(w, case, w.sergeant) is not None
    assert send(w, case, w.inspector) is not None
    assert Notice.objects.count() == 2


def test_the_database_refuses_a_second_row_for_the_same_notice(staffed, clock):
    w = staffed
    case = report_missing(w)
    first = send(w, case, w.sergeant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            force=w.force,
            recipient=w.sergeant,
            kind=first.kind,
            key=first.key,
            title="x",
            link="/",
            why_this_person="x",
            created_at=first.created_at,
        )


def test_notices_and_reads_are_insert_only(staffed, clock):
    w = staffed
    case = report_missing(w)
    notice = send(w, case, w.sergeant)
    read = notice_mark_read(notice=notice, actor=w.sergeant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(title="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeRead.objects.filter(pk=read.pk).delete()


def test_mark_read_once_by_the_recipient_only(staffed, clock):
    from vigil.core.errors import NotAllowed

    w = staffed
    case = report_missing(w)
    notice = send(w, case, w.sergeant)
    with pytest.raises(NotAllowed):
        notice_mark_read(notice=notice, actor=w.sergeant_b)
    clock.move_to(london(3, 9, 30))
    first = notice_mark_read(notice=notice, actor=w.sergeant)
    clock.move_to(london(3, 10))
    second = notice_mark_read(notice=notice, actor=w.sergeant)
    assert first.pk == second.pk and first.read_at == london(3, 9, 30)
    (event,) = AuditEvent.objects.filter(kind="notices.notice_read")
    assert event.actor == w.sergeant and event.case == case


def test_no_email_address_means_no_email(staffed, clock, django_capture_on_commit_callbacks):
    w = staffed
    case = report_missing(w)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(w, case, w.admin) is not None  # the admin has no e-mail address
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_the_email():
    """With the real backend the e-mail waits in the queue until `db_worker` runs it."""
    import time_machine

    with time_machine.travel(london(3, 9), tick=False):
        world = build_world()
        give_emails(world)
        case = report_missing(world)
        with override_settings(TASKS=DB_TASKS):
            from django_tasks_db.models import DBTaskResult

            notice = send(world, case, world.sergeant)
            assert DBTaskResult.objects.count() == 1
            assert mail.outbox == []
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (message,) = mail.outbox
    assert f"/inbox/{notice.pk}/" in message.body
    assert_no_personal_data(message, world, case)
