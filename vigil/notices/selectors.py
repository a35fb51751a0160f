"""Who is told (the recipient rule) and what a person's inbox holds.

The recipient rule (issue 4, §6; IOPC Gwent 2019: an alert sent to a sergeant who had gone
off duty left a missing person case untouched for about seven hours):

1. the accountable person, if they are on duty now by their duty hours (and not recorded on
   leave, sick or gone);
2. otherwise the person designated for the slot running now in the case's area, for the
   designation role that fits the work (missing person sergeant for a sergeant's work, duty
   inspector for an inspector's...), if on duty;
3. otherwise up the chain: the duty inspector, then the on-call superintendent, the first
   who is on duty;
4. if nobody on that chain is on duty, every one of them is told, and the notice says so:
   never only someone whose shift has ended.

Each answer carries `why` in plain words, e.g. "designated missing person sergeant for Late
3 Jun; PS Archer (the case's supervisor) is off duty".
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef

from vigil.core.time import london, london_date, now
from vigil.notices.models import Notice, NoticeRead
from vigil.organisation.models import RANK_ABBREVIATION, Availability, User
from vigil.organisation.selectors import availability_at, rank_on
from vigil.rosters.models import DesignationRole
from vigil.rosters.selectors import designated_for, on_duty, slot_at

# Who comes next when the designated person for a role is not on duty.
CHAIN_ABOVE = {
    DesignationRole.MISSING_PERSON_SERGEANT: [
        DesignationRole.DUTY_INSPECTOR,
        DesignationRole.ON_CALL_SUPERINTENDENT,
    ],
    DesignationRole.DUTY_INSPECTOR: [DesignationRole.ON_CALL_SUPERINTENDENT],
    DesignationRole.ON_CALL_DI: [
        DesignationRole.DUTY_INSPECTOR,
        DesignationRole.ON_CALL_SUPERINTENDENT,
    ],
    DesignationRole.ON_CALL_SUPERINTENDENT: [],
}
NOT_REACHABLE = {Availability.LEAVE, Availability.SICK, Availability.LEFT}


@dataclass(frozen=True)
class Recipient:
    person: User
    why: str
    designation_role: str = ""  # the roster role they were chosen by ("" for the accountable)


def short_label(user: User, at: datetime) -> str:
    """Rank and surname, e.g. "PS Archer" (acting rank shown as A/PS)."""
    rank, acting = rank_on(user, london_date(at))
    abbreviation = RANK_ABBREVIATION.get(rank or "", "")
    if abbreviation and acting:
        abbreviation = f"A/{abbreviation}"
    surname = user.last_name or user.display_name
    return f"{abbreviation} {surname}".strip()


def reachable(person: User, at: datetime) -> bool:
    """On duty now by their duty hours, and not recorded on leave, sick or gone."""
    return on_duty(person, at) and availability_at(person, at) not in NOT_REACHABLE


def _slot_words(area, at: datetime) -> str:
    slot = slot_at(area, at)
    if slot is None:
        return f"{london(at):%H:%M %-d %b}"
    return f"{slot.name} {slot.date:%-d %b}"


def notice_recipients(
    *,
    case,
    designation_role: str,
    accountable: User | None = None,
    accountable_as: str = "",
    at: datetime | None = None,
) -> list[Recipient]:
    """Who to tell about work on `case` that `accountable` answers for (see module docstring).

    `designation_role` is the roster role that covers the work when the accountable person is
    not on duty; `accountable_as` says in what capacity they answer ("the case's supervisor").
    """
    at = at or now()
    slot_words = _slot_words(case.area, at)
    candidates: list[tuple[User, str, str]] = []
    if accountable is not None:
        candidates.append((accountable, accountable_as or "accountable for this", ""))
    for role in [designation_role, *CHAIN_ABOVE.get(designation_role, [])]:
        designation = designated_for(case.area, role, at)
        if designation is not None:
            label = DesignationRole(role).label.lower()
            candidates.append((designation.person, f"designated {label} for {slot_words}", role))
    off_duty: list[str] = []
    seen: set[int] = set()
    distinct = []
    for person, capacity, role in candidates:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        distinct.append((person, capacity, role))
        if reachable(person, at):
            why = "; ".join([f"{capacity} and on duty", *off_duty])
            return [Recipient(person=person, why=why, designation_role=role)]
        off_duty.append(f"{short_label(person, at)} ({capacity}) is off duty")
    return [
        Recipient(
            person=person,
            why=f"{capacity}; nobody on the chain is on duty now, so all of them are told",
            designation_role=role,
        )
        for person, capacity, role in distinct
    ]


# --- the inbox ----------------------------------------------------------------------------


def _with_read_state(qs):
    return qs.annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"))))


def inbox(user, *, unread_only: bool = False, limit: int = 200) -> list[Notice]:
    """The person's notices: unread first, newest first within each; `is_read` on each."""
    qs = _with_read_state(Notice.objects.filter(recipient=user)).select_related("case", "read")
    if unread_only:
        qs = qs.filter(is_read=False)
    return list(qs.order_by("is_read", "-created_at", "-pk")[:limit])


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return _with_read_state(Notice.objects.filter(recipient=user)).filter(is_read=False).count()


def notice_for(user, pk: int) -> Notice | None:
    """One of the person's own notices (anyone else's reads as not there)."""
    return (
        _with_read_state(Notice.objects.filter(pk=pk, recipient=user))
        .select_related("case", "force")
        .first()
    )


def notices_about(kind_prefix: str, key: str) -> list[Notice]:
    return list(
        Notice.objects.filter(kind__startswith=kind_prefix, key=key)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
