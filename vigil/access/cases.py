"""The one place that decides who may see and do what with cases and rosters.

A case out of a person's scope answers exactly like a case that does not exist (404), so
a reference can never be probed. Restricted cases are visible only to people granted them
by name.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from vigil.organisation.models import RANK_LEVEL, Role
from vigil.organisation.selectors import rank_on


def visible_cases_filter(user) -> Q:
    from vigil.cases.models import RestrictedAccessGrant

    if not getattr(user, "is_authenticated", False) or user.force_id is None:
        return Q(pk__in=[])
    granted = RestrictedAccessGrant.objects.filter(case=OuterRef("pk"), user=user)
    return Q(force_id=user.force_id) & (Q(restricted=False) | Q(Exists(granted)))


def visible_cases(user):
    from vigil.cases.models import Case

    return Case.objects.visible_to(user)


def get_case_or_404(user, reference: str):
    case = visible_cases(user).select_related("area", "force").filter(reference=reference).first()
    if case is None:
        raise Http404("No case with that reference.")
    return case


def visible_areas(user):
    from vigil.organisation.models import Area

    if not getattr(user, "is_authenticated", False) or user.force_id is None:
        return Area.objects.none()
    return Area.objects.filter(force_id=user.force_id)


def get_area_or_404(user, code: str):
    area = visible_areas(user).filter(code=code).first()
    if area is None:
        raise Http404("No area with that code.")
    return area


def _at_least(user, rank: str) -> bool:
    from vigil.core.time import london_date, now

    current, _ = rank_on(user, london_date(now()))
    return current is not None and RANK_LEVEL[current] >= RANK_LEVEL[rank]


def can_manage_roster(user, area) -> bool:
    """Sergeants and above, and administrators, keep their force's rosters."""
    if area.force_id != user.force_id:
        return False
    return user.has_role(Role.ADMINISTRATOR) or _at_least(user, "sergeant")


def can_endorse_grading(user, case) -> bool:
    return case.force_id == user.force_id and _at_least(user, "sergeant")


def can_grade(user, case) -> bool:
    return case.force_id == user.force_id and _at_least(user, "constable")


def can_report(user, area) -> bool:
    return area.force_id == user.force_id and _at_least(user, "staff")


def can_assign(actor, case, holder) -> bool:
    """Who may give a role on `case` to `holder`: sergeants and above, and administrators, in
    the case's force; anyone in the force may take a role themselves."""
    if actor.force_id != case.force_id:
        return False
    if actor.pk == holder.pk or actor.has_role(Role.ADMINISTRATOR):
        return True
    return _at_least(actor, "sergeant")


def can_grant_access(user, case) -> bool:
    if case.force_id != user.force_id:
        return False
    return user.has_role(Role.ADMINISTRATOR) or _at_least(user, "inspector")


COMPLIANCE_ROLES = (
    Role.INSPECTOR,
    Role.FOCUS_DESK,
    Role.AUDITOR,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)


def can_view_compliance(user) -> bool:
    """Review compliance of one's own force: sergeants and above, and the inspector, focus
    desk, auditor, analyst and administrator roles."""
    if not getattr(user, "is_authenticated", False) or user.force_id is None:
        return False
    return any(user.has_role(role) for role in COMPLIANCE_ROLES) or _at_least(user, "sergeant")


BOARD_ROLES = (Role.INSPECTOR, Role.FOCUS_DESK, Role.ADMINISTRATOR)


def can_view_board(user) -> bool:
    """The Daily Management Meeting board and the focus desk queue of one's own force:
    sergeants and above, and the inspector, focus desk and administrator roles."""
    if not getattr(user, "is_authenticated", False) or user.force_id is None:
        return False
    return any(user.has_role(role) for role in BOARD_ROLES) or _at_least(user, "sergeant")


def can_run_meeting(user, force_id) -> bool:
    """Open, minute and close a Daily Management Meeting: whoever may see the board."""
    return force_id == getattr(user, "force_id", None) and can_view_board(user)


def is_focus_desk_officer(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(Role.FOCUS_DESK)


def can_record_advice(user, case) -> bool:
    """Vulnerability Focus Desk officers advise on cases of their own force."""
    return case.force_id == getattr(user, "force_id", None) and is_focus_desk_officer(user)
