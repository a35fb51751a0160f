"""The e-mail side of a notice: a django-tasks task, enqueued when the notice commits.

The e-mail carries no personal data and nothing about the case: not the subject's name, not
the recipient's, not even the case reference. Only what kind of thing it is and a link that
needs signing in.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from vigil.notices.models import Notice, NoticeKind

SUBJECT = "Vigil: something needs your attention"


def email_body(notice: Notice) -> str:
    link = settings.VIGIL_BASE_URL + reverse("notices:open", kwargs={"pk": notice.pk})
    what = NoticeKind(notice.kind).label
    return (
        f"{what}.\n\n"
        f"Sign in to Vigil to see it:\n{link}\n\n"
        "This e-mail has no case details on purpose. Do not reply to it.\n"
    )


@task()
def notice_email_send(notice_id: int) -> bool:
    """Send one notice's e-mail. False when there is nothing to send (no address)."""
    notice = Notice.objects.select_related("recipient").filter(pk=notice_id).first()
    if notice is None or not notice.recipient.email:
        return False
    send_mail(
        subject=SUBJECT,
        message=email_body(notice),
        from_email=None,
        recipient_list=[notice.recipient.email],
    )
    return True
