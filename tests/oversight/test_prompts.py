"""Escalation prompts under time travel: raised by policy, addressed to a named person on
duty, climbing the rank chain when unanswered, stopped by an answer."""

from datetime import UTC

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.notices.support import london, report_missing
from tests.oversight.support import NO_PROOF, prompt_notices, prompt_on, state_of
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import verify_chain
from vigil.core.errors import Conflict, NotAllowed, ServiceError
from vigil.oversight.models import Prompt, PromptAnswer, PromptEscalation
from vigil.oversight.services import prompt_answer, prompts_climb, prompts_raise
from vigil.oversight.sweep import sweep_once
from vigil.responsibility.services import case_assign


@pytest.fixture
def case(staffed, clock):
    """Reported 09:00 on 3 June (last seen 06:00); from 10:00 on 6 June PS Baker supervises
    it, though her shift is the late one."""
    w = staffed
    case = report_missing(w)
    clock.move_to(london(6, 10))
    case_assign(case=case, role="supervisor", holder=w.sergeant_b, actor=w.inspector, reason="x")
    return case


def test_no_prompt_before_the_policy_time(staffed, clock, case):
    clock.move_to(london(6, 5, 59))  # last seen 06:00 on 3 June: three days less a minute
    prompts_raise()
    assert not Prompt.objects.filter(case=case, rule=NO_PROOF).exists()


def test_prompt_goes_to_the_on_duty_designated_sergeant_not_the_off_duty_supervisor(
    staffed, clock, case, django_capture_on_commit_callbacks
):
    w = staffed
    clock.move_to(london(6, 10, 30))
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_once()
    print("\n".join(report.lines))
    prompt = prompt_on(case)
    assert prompt.raised_at == london(6, 10, 30)
    assert (prompt.level, prompt.level_role) == (0, "supervisor")
    assert prompt.addressed_to == w.sergeant  # PS Archer: designated for the early slot
    assert prompt.why_this_person == (
        "designated missing person sergeant for Early 6 Jun and on duty; "
        f"PS Baker (supervisor of {case.reference}) is off duty"
    )
    assert "No verified proof of life for 3 days" in prompt.question
    assert [d["code"] for d in prompt.decisions] == [
        "regrade_high",
        "critical_incident",
        "homicide_hypothesis",
        "keep_grade",
    ]
    (notice,) = prompt_notices(prompt)
    assert notice.recipient == w.sergeant and notice.kind == "prompt.raised"
    assert notice.link == f"/prompts/{prompt.pk}/answer/"
    assert case.reference in notice.title and "Baker" not in notice.title
    # The e-mail (sent by the task once the transaction committed) names nobody.
    sent = [m for m in mail.outbox if f"/inbox/{notice.pk}/" in m.body]
    (message,) = sent
    assert message.to == [w.sergeant.email]
    for word in ("Amy", "Example", "Archer", "Baker", case.reference):
        assert word not in message.subject + message.body
    assert not any(m.to == [w.sergeant_b.email] for m in mail.outbox)

    events = AuditEvent.objects.filter(case=case, kind="oversight.prompt_raised")
    (event,) = [e for e in events if e.payload["prompt"] == prompt.pk]
    assert event.system_job == "sweep"
    assert event.payload["addressed_to"] == w.sergeant.pk
    assert event.payload["rule"] == NO_PROOF
    assert verify_chain(w.force).ok


def test_unanswered_prompt_climbs_to_the_duty_inspector_after_the_policy_time(staffed, clock, case):
    w = staffed
    clock.move_to(london(6, 10, 30))
    prompts_raise()
    prompt = prompt_on(case)
    clock.move_to(london(6, 11, 29))  # 59 minutes: not yet (climb_after_minutes is 60)
    prompts_climb()
    assert not PromptEscalation.objects.filter(prompt=prompt).exists()
    assert state_of(case).climbs_at == london(6, 11, 30)

    clock.move_to(london(6, 11, 30))
    (moved,) = [m for m in prompts_climb() if m.prompt == prompt]
    escalation = moved.escalation
    assert (escalation.step, escalation.reason) == (1, "climbed")
    assert (escalation.level, escalation.level_role) == (1, "duty_inspector")
    assert escalation.addressed_to == w.inspector
    assert escalation.why_this_person == "designated duty inspector for Early 6 Jun and on duty"
    state = state_of(case)
    assert state.addressed_to == w.inspector and state.level_role == "duty_inspector"
    assert state.climbs_at == london(6, 12, 30)
    notices = prompt_notices(prompt)
    assert [(n.recipient, n.kind) for n in notices] == [
        (w.sergeant, "prompt.raised"),
        (w.inspector, "prompt.climbed"),
    ]
    events = AuditEvent.objects.filter(case=case, kind="oversight.prompt_climbed")
    (event,) = [e for e in events if e.payload["prompt"] == prompt.pk]
    assert event.payload["addressed_to"] == w.inspector.pk

    # Still unanswered an hour later: the on-call superintendent, the top of the chain.
    clock.move_to(london(6, 12, 30))
    prompts_climb()
    state = state_of(case)
    assert (state.level_role, state.addressed_to) == ("on_call_superintendent", w.superintendent)
    assert state.climbs_at is None
    clock.move_to(london(6, 15))
    prompts_climb()
    assert PromptEscalation.objects.filter(prompt=prompt).count() == 2  # nowhere higher


def test_answering_stops_the_climb(staffed, clock, case):
    w = staffed
    clock.move_to(london(6, 10, 30))
    prompts_raise()
    prompt = prompt_on(case)
    clock.move_to(london(6, 11))
    answer = prompt_answer(
        prompt=prompt,
        actor=w.sergeant,
        decision="regrade_high",
        rationale="No phone or bank activity since last seen; re-grading now.",
    )
    assert answer.addressed_to == w.sergeant and not answer.on_behalf
    clock.move_to(london(6, 13))
    assert [m for m in prompts_climb() if m.prompt == prompt] == []
    assert not PromptEscalation.objects.filter(prompt=prompt).exists()
    state = state_of(case)
    assert state.answered and state.climbs_at is None
    (event,) = AuditEvent.objects.filter(case=case, kind="oversight.prompt_answered")
    assert event.actor == w.sergeant
    assert event.reason.startswith("No phone or bank activity")
    assert event.payload["decision"] == "regrade_high"


def test_answered_rule_starts_its_clock_again(staffed, clock, case):
    w = staffed
    clock.move_to(london(6, 10, 30))
    prompts_raise()
    first = prompt_on(case)
    clock.move_to(london(6, 11))
    prompt_answer(prompt=first, actor=w.sergeant, decision="keep_grade", rationale="Reasons.")
    clock.move_to(london(9, 10, 59))
    prompts_raise()
    assert Prompt.objects.filter(case=case, rule=NO_PROOF).count() == 1
    clock.move_to(london(9, 11))  # three days after the answer
    prompts_raise()
    second = Prompt.objects.filter(case=case, rule=NO_PROOF).exclude(pk=first.pk).get()
    assert second.occurrence == f"since:{london(6, 11).astimezone(UTC).isoformat()}"
    assert "since this was last answered" in second.question


def test_answer_refusals(staffed, clock, case):
    w = staffed
    clock.move_to(london(6, 10, 30))
    prompts_raise()
    prompt = prompt_on(case)
    with pytest.raises(ServiceError) as refused:
        prompt_answer(prompt=prompt, actor=w.sergeant, decision="shrug", rationale="x")
    assert refused.value.field == "decision"
    with pytest.raises(ServiceError) as refused:
        prompt_answer(prompt=prompt, actor=w.sergeant, decision="keep_grade", rationale="  ")
    assert refused.value.field == "rationale"
    with pytest.raises(NotAllowed):
        prompt_answer(prompt=prompt, actor=w.constable, decision="keep_grade", rationale="x")
    # Another sergeant may answer a sergeant-level prompt: on behalf of the one it is with.
    answer = prompt_answer(
        prompt=prompt, actor=w.acting_sergeant, decision="keep_grade", rationale="Seen CCTV."
    )
    assert answer.on_behalf and answer.addressed_to == w.sergeant
    with pytest.raises(Conflict):
        prompt_answer(prompt=prompt, actor=w.sergeant, decision="keep_grade", rationale="x")


def test_prompts_and_answers_are_insert_only(staffed, clock, case):
    w = staffed
    clock.move_to(london(6, 10, 30))
    prompts_raise()
    prompt = prompt_on(case)
    prompt_answer(prompt=prompt, actor=w.sergeant, decision="keep_grade", rationale="Reasons.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Prompt.objects.filter(pk=prompt.pk).update(addressed_to=w.superintendent)
    with pytest.raises(IntegrityError), transaction.atomic():
        PromptAnswer.objects.filter(prompt=prompt).delete()


def test_a_prompt_passes_on_when_the_person_it_is_with_goes_off_duty(staffed, clock, case):
    """Raised at 14:45 to PS Archer (early shift ends 15:00): at 15:05 it is with PS Baker,
    designated for the late slot and on duty, before the climb timer runs out."""
    w = staffed
    from vigil.responsibility.services import case_assign as assign

    clock.move_to(london(6, 14, 40))
    assign(case=case, role="supervisor", holder=w.sergeant, actor=w.inspector, reason="back")
    clock.move_to(london(6, 14, 45))
    prompts_raise()
    prompt = prompt_on(case)
    assert prompt.addressed_to == w.sergeant
    clock.move_to(london(6, 15, 5))
    prompts_climb()
    state = state_of(case)
    (escalation,) = state.escalations
    assert escalation.reason == "off_duty" and escalation.level_role == "supervisor"
    assert state.addressed_to == w.sergeant_b
    assert state.climbs_at == london(6, 15, 45)  # the step's timer is not restarted
    assert [n.kind for n in prompt_notices(prompt)] == ["prompt.raised", "prompt.readdressed"]
