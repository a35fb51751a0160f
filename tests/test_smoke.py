from tests.builders import report
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain


def test_reporting_a_case_writes_a_verified_chain(world):
    case = report(world)
    assert case.status == "open"
    assert case.current_grade == "medium"
    kinds = list(AuditEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["case.opened", "missing.reported", "case.graded"]
    assert verify_chain(world.force).ok
