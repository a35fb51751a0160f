"""The review form: it checks the shape of what was typed; the rules are in the service."""

from django import forms

from vigil.web.forms import ServiceErrorForm

RISK_CHOICES = [("confirmed", "Risk confirmed"), ("changed", "Risk changed: re-grade")]
OWN, ON_BEHALF = "own", "on_behalf"


class ReviewForm(ServiceErrorForm):
    kind = forms.ChoiceField(error_messages={"required": "Choose the kind of review"})
    risk = forms.ChoiceField(
        choices=RISK_CHOICES,
        error_messages={"required": "Say whether the risk is confirmed or changed"},
    )
    new_grade = forms.ChoiceField(required=False)
    rationale = forms.CharField(error_messages={"required": "Explain the review"})
    facts_relied_on = forms.CharField(required=False)
    actions_reviewed = forms.CharField(required=False)
    decisions = forms.CharField(required=False)
    next_steps = forms.CharField(required=False)
    attribution = forms.ChoiceField(
        required=False,
        error_messages={"required": "Say whether this is your own review or on their behalf"},
    )

    service_fields = {
        "kind": "kind",
        "due": "kind",
        "new_grade": "new_grade",
        "risk_confirmed": "risk",
        "rationale": "rationale",
        "on_behalf_of": "attribution",
    }

    def __init__(self, *args, kinds, grades, accountable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["new_grade"].choices = [("", "Choose the new grade"), *grades]
        self.accountable = accountable
        if accountable is not None:
            self.fields["attribution"].required = True
            self.fields["attribution"].choices = [
                (OWN, "As my own review"),
                (ON_BEHALF, f"On behalf of {accountable}"),
            ]
        else:
            del self.fields["attribution"]

    def clean(self):
        data = super().clean()
        if data.get("risk") == "changed" and not data.get("new_grade"):
            self.add_error("new_grade", "Choose the new grade")
        return data
