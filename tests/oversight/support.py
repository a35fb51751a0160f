"""Helpers for the prompt tests."""

from vigil.notices.models import Notice
from vigil.oversight.models import Prompt
from vigil.oversight.selectors import prompt_state

NO_PROOF = "no_proof_of_life"


def prompt_on(case, rule=NO_PROOF) -> Prompt:
    return Prompt.objects.get(case=case, rule=rule)


def state_of(case, rule=NO_PROOF):
    return prompt_state(prompt_on(case, rule))


def prompt_notices(prompt):
    return list(
        Notice.objects.filter(key__startswith=f"prompt:{prompt.pk}:")
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
