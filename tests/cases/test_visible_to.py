"""Every case read starts from visible_to(user); out of scope looks like not there."""

import pytest
from django.http import Http404

from tests.builders import build_world, make_user, report
from vigil.access.cases import get_case_or_404
from vigil.cases.models import Case
from vigil.cases.services import case_grant_access
from vigil.core.errors import NotAllowed


def test_a_case_of_another_force_is_invisible(world):
    other = build_world(code="other", name="Other Constabulary")
    first_theirs = report(other)
    theirs = report(other)
    mine = report(world)
    assert list(Case.objects.visible_to(world.constable)) == [mine]
    with pytest.raises(Http404):
        get_case_or_404(world.constable, theirs.reference)
    # References are numbered per force: each force sees only its own under a shared one.
    assert first_theirs.reference == mine.reference
    assert get_case_or_404(world.constable, mine.reference) == mine
    assert get_case_or_404(other.constable, mine.reference) == first_theirs


def test_a_restricted_case_only_for_people_granted_it_by_name(world):
    case = report(world)
    Case.objects.filter(pk=case.pk).update(restricted=True)
    outsider = make_user(world.force, "sergeant")
    with pytest.raises(Http404):
        get_case_or_404(world.sergeant, case.reference)
    with pytest.raises(NotAllowed):
        case_grant_access(case=case, user=world.sergeant, actor=world.constable, reason="x")
    case_grant_access(
        case=case, user=world.sergeant, actor=world.inspector, reason="Supervising sergeant"
    )
    assert get_case_or_404(world.sergeant, case.reference) == case
    assert not Case.objects.visible_to(outsider).exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    report(world)
    assert not Case.objects.visible_to(AnonymousUser()).exists()
