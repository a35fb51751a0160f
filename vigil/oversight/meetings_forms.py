"""Forms for the board filters, meetings and advice notes: shape only; services decide."""

from django import forms

from vigil.oversight.board import BoardFilters
from vigil.oversight.models import DecisionKind
from vigil.web.forms import ServiceErrorForm


class BoardFilterForm(forms.Form):
    grade = forms.ChoiceField(required=False, choices=())
    not_accepted = forms.BooleanField(required=False)
    overdue = forms.BooleanField(required=False)
    not_discussed = forms.BooleanField(required=False)
    prompts = forms.BooleanField(required=False)
    attention = forms.BooleanField(required=False)

    def __init__(self, *args, grades: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "Any grade"), *grades]

    def filters(self) -> BoardFilters:
        if not self.is_valid():
            return BoardFilters()
        data = self.cleaned_data
        return BoardFilters(
            grade=data["grade"] or "",
            not_accepted=bool(data["not_accepted"]),
            overdue=bool(data["overdue"]),
            not_discussed=bool(data["not_discussed"]),
            prompts=bool(data["prompts"]),
            attention=bool(data["attention"]),
        )


class MeetingOpenForm(ServiceErrorForm):
    chair = forms.CharField(required=False, max_length=150)
    attendees = forms.CharField(required=False, widget=forms.Textarea)
    service_fields = {"chair": "chair", "attendees": "attendees"}


class DecisionForm(ServiceErrorForm):
    kind = forms.ChoiceField(
        choices=DecisionKind.choices,
        error_messages={
            "required": "Choose what kind of decision this is",
            "invalid_choice": "Choose one of the kinds of decision",
        },
    )
    text = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Write down the decision"}
    )


class AdviceForm(ServiceErrorForm):
    text = forms.CharField(widget=forms.Textarea, error_messages={"required": "Write the advice"})
