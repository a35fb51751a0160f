"""A new policy version changes a prompt's threshold only from the date it takes effect."""

import copy

import pytest

from tests.notices.support import london, report_missing
from tests.oversight.support import NO_PROOF, prompt_on
from vigil.core.errors import ServiceError
from vigil.oversight.models import Prompt
from vigil.oversight.services import prompts_raise
from vigil.policy.selectors import policy_at
from vigil.policy.services import policy_publish


def one_day_policy(force):
    document = copy.deepcopy(policy_at(force, "missing_person").document)
    for rule in document["prompts"]:
        if rule["code"] == NO_PROOF:
            rule["days"] = 1
            rule["label"] = "No verified proof of life for more than a day"
    return document


def test_threshold_from_a_new_version_applies_only_from_its_date(staffed, clock):
    w = staffed
    case = report_missing(w)  # last seen 06:00 on 3 June
    clock.move_to(london(3, 12))
    v2 = policy_publish(
        force=w.force,
        case_type="missing_person",
        document=one_day_policy(w.force),
        effective_from=london(5, 0),
        reason="Force procedure: one day without proof of life prompts",
        actor=w.superintendent,
    )
    clock.move_to(london(4, 23, 59))  # 42 hours: past one day, but version 1 (3 days) governs
    prompts_raise()
    assert not Prompt.objects.filter(case=case, rule=NO_PROOF).exists()
    clock.move_to(london(5, 0))
    prompts_raise()
    prompt = prompt_on(case)
    assert prompt.policy_version == v2
    assert prompt.label == "No verified proof of life for more than a day"
    assert prompt.raised_at == london(5, 0)


def test_a_version_cannot_take_effect_before_it_is_saved(staffed, clock):
    w = staffed
    with pytest.raises(ServiceError):
        policy_publish(
            force=w.force,
            case_type="missing_person",
            document=one_day_policy(w.force),
            effective_from=london(2, 0),
            actor=w.superintendent,
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(rule="astrology"), "unknown rule"),
        (lambda r: r.update(climb=["supervisor", "chief_constable"]), "climb"),
        (lambda r: r.update(answered_by="duty_inspector"), "climb"),
        (lambda r: r.update(climb_after_minutes=0), "climb_after_minutes"),
        (lambda r: r.update(decisions=[]), "decisions"),
        (lambda r: r.update(days=0), "days above zero"),
        (lambda r: r.update(grades=["purple"]), "grade"),
    ],
)
def test_prompt_rules_are_checked_when_published(staffed, clock, change, message):
    w = staffed
    document = one_day_policy(w.force)
    change(next(r for r in document["prompts"] if r["code"] == NO_PROOF))
    with pytest.raises(ServiceError) as refused:
        policy_publish(force=w.force, case_type="missing_person", document=document)
    assert message in refused.value.message
