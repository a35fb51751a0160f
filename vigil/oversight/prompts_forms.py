"""The prompt answer form: shape only; the service decides what may be answered."""

from django import forms

from vigil.web.forms import ServiceErrorForm


class PromptAnswerForm(ServiceErrorForm):
    decision = forms.ChoiceField(
        choices=(),
        error_messages={
            "required": "Choose a decision",
            "invalid_choice": "Choose one of the decisions",
        },
    )
    rationale = forms.CharField(
        widget=forms.Textarea,
        error_messages={"required": "Give your reasons for the decision"},
    )

    def __init__(self, *args, decisions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d["code"], d["label"]) for d in decisions]
