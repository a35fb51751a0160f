"""The recipient rule: the accountable person if on duty, else the designated person for the
slot running (then the duty inspector, then the on-call superintendent) — never only someone
whose shift has ended (IOPC Gwent 2019)."""

from tests.notices.support import london, report_missing
from vigil.notices.selectors import notice_recipients
from vigil.organisation.services import user_record_availability


def test_accountable_person_on_duty_is_told(staffed, clock):
    w = staffed
    case = report_missing(w)
    (r,) = notice_recipients(
        case=case,
        designation_role="mp_sergeant",
        accountable=w.sergeant,
        accountable_as="supervisor of the case",
        at=london(3, 10),
    )
    assert r.person == w.sergeant
    assert r.why == "supervisor of the case and on duty"


def test_off_duty_supervisor_passes_to_the_designated_sergeant_on_duty(staffed, clock):
    w = staffed
    case = report_missing(w)
    # 16:00: the late slot; PS Baker is designated and on duty; PS Archer's shift has ended.
    (r,) = notice_recipients(
        case=case,
        designation_role="mp_sergeant",
        accountable=w.sergeant,
        accountable_as="supervisor of the case",
        at=london(3, 16),
    )
    assert r.person == w.sergeant_b
    assert r.designation_role == "mp_sergeant"
    assert r.why == (
        "designated missing person sergeant for Late 3 Jun and on duty; "
        "PS Archer (supervisor of the case) is off duty"
    )


def test_designated_sergeant_off_duty_goes_to_the_duty_inspector(staffed, clock):
    w = staffed
    case = report_missing(w)
    # The acting sergeant is designated for nights; at 18:00 the late sergeant is sick.
    user_record_availability(
        user=w.sergeant_b,
        status="sick",
        starts_at=london(3, 17),
        ends_at=london(4, 17),
        reason="sick",
        actor=w.inspector,
    )
    clock.move_to(london(3, 18))
    (r,) = notice_recipients(
        case=case, designation_role="mp_sergeant", accountable=w.sergeant, at=london(3, 18)
    )
    assert r.person == w.inspector
    assert "designated duty inspector for Late 3 Jun and on duty" in r.why
    assert "PS Archer" in r.why and "PS Baker" in r.why


def test_nobody_on_duty_tells_everyone_on_the_chain_not_only_the_off_duty_one(staffed, clock):
    w = staffed
    case = report_missing(w)
    # 02:00 on 4 June: only the acting sergeant is on duty; make them sick too.
    user_record_availability(
        user=w.acting_sergeant,
        status="sick",
        starts_at=london(4, 1),
        ends_at=london(4, 12),
        reason="sick",
        actor=w.inspector,
    )
    at = london(4, 2)
    clock.move_to(at)
    recipients = notice_recipients(
        case=case, designation_role="mp_sergeant", accountable=w.sergeant, at=at
    )
    people = [r.person for r in recipients]
    assert people == [w.sergeant, w.acting_sergeant, w.inspector, w.superintendent]
    assert all("nobody on the chain is on duty now" in r.why for r in recipients)
