"""Page forms: they check the shape of what was typed and nothing more.

Rules (what may be graded, who may be designated…) live in the services; a refused request
comes back as a `ServiceError` and is shown against the field it names.
"""

import re
from datetime import date, datetime, time

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from vigil.core.errors import ServiceError
from vigil.core.time import LONDON, exists_in_london
from vigil.rosters.models import DesignationRole

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.]?(\d{2})\s*$")


class DateTripleWidget(forms.Widget):
    """Three boxes (day, month, year) named `<name>-day` and so on, as GOV.UK asks."""

    is_date_triple = True

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class GovukDateField(forms.Field):
    widget = DateTripleWidget

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {"required": f"Enter the {what}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = list(value or ["", "", ""])
        if not any(parts):
            return None
        names = ("day", "month", "year")
        missing = [n for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise forms.ValidationError(f"The {self.what} must include a {' and a '.join(missing)}")
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(f"The {self.what} must be a real date, in numbers")
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise forms.ValidationError(f"The year of the {self.what} must have 4 numbers")
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise forms.ValidationError(f"The {self.what} must be a real date") from exc


class GovukTimeField(forms.CharField):
    """A 24-hour London wall-clock time such as 14:30."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {"required": f"Enter the {what}"})
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        match = TIME_PATTERN.match(text)
        if not match:
            raise forms.ValidationError(f"Enter the {self.what} as hours and minutes, like 14:30")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise forms.ValidationError(f"The {self.what} must be a real time, like 14:30")
        return time(hour, minute)


def london_instant(form, date_field: str, time_field: str, what: str) -> datetime | None:
    """Combine a cleaned London date and time; a time skipped by the clocks is an error."""
    day = form.cleaned_data.get(date_field)
    at = form.cleaned_data.get(time_field)
    if day is None or at is None:
        return None
    naive = datetime.combine(day, at)
    if not exists_in_london(naive):
        form.add_error(
            time_field,
            f"The {what} did not exist in the UK: the clocks went forward that night. "
            "Enter a time before 1am or from 2am",
        )
        return None
    return naive.replace(tzinfo=LONDON)


class ServiceErrorForm(forms.Form):
    """A form that can show a service's refusal against the field it names."""

    # Service field name -> this form's field name.
    service_fields: dict = {}

    def add_service_error(self, error: ServiceError) -> None:
        name = self.service_fields.get(error.field, error.field)
        if name in self.fields:
            self.add_error(name, error.message)
        else:
            self.add_error(None, error.message)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account cannot sign in",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def add_error(self, field, error):
        # A wrong username or password belongs to the username box, so the summary links it.
        super().add_error(field or "username", error)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(required=False)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *statuses]


class ReportForm(ServiceErrorForm):
    given_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter the given name"}
    )
    family_name = forms.CharField(
        max_length=100, error_messages={"required": "Enter the family name"}
    )
    date_of_birth = GovukDateField(what="date of birth", required=False)
    description = forms.CharField(required=False)
    vulnerabilities = forms.CharField(required=False)
    reporter_given_name = forms.CharField(max_length=100, required=False)
    reporter_family_name = forms.CharField(max_length=100, required=False)
    reporter_relationship = forms.CharField(max_length=100, required=False)
    reported_date = GovukDateField(what="date reported")
    reported_time = GovukTimeField(what="time reported")
    last_seen_date = GovukDateField(what="date last seen")
    last_seen_time = GovukTimeField(what="time last seen")
    last_seen_place = forms.CharField(
        max_length=300, error_messages={"required": "Enter where the person was last seen"}
    )
    circumstances = forms.CharField(error_messages={"required": "Describe the circumstances"})
    missing_from_address = forms.CharField(required=False)

    service_fields = {
        "given_name": "given_name",
        "subject": "given_name",
        "reporter": "reporter_given_name",
        "reported_at": "reported_time",
        "last_seen_at": "last_seen_time",
    }

    def clean(self):
        data = super().clean()
        given = data.get("reporter_given_name", "").strip()
        family = data.get("reporter_family_name", "").strip()
        if given and not family:
            self.add_error("reporter_family_name", "Enter the reporter's family name")
        if family and not given:
            self.add_error("reporter_given_name", "Enter the reporter's given name")
        data["reported_at"] = london_instant(
            self, "reported_date", "reported_time", "time reported"
        )
        data["last_seen_at"] = london_instant(
            self, "last_seen_date", "last_seen_time", "time last seen"
        )
        return data


class GradeForm(ServiceErrorForm):
    """Grade, rationale and, for each policy question, answer, source and when obtained."""

    grade = forms.ChoiceField(error_messages={"required": "Choose a grade"})
    rationale = forms.CharField(error_messages={"required": "Explain the grading"})

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["grade"].choices = [(g["code"], g["label"]) for g in policy.grades]
        self.questions = policy.questions
        for number, question in enumerate(self.questions, start=1):
            code = question["code"]
            self.fields[f"answer_{code}"] = forms.CharField(required=False)
            self.fields[f"source_{code}"] = forms.CharField(max_length=200, required=False)
            self.fields[f"obtained_date_{code}"] = GovukDateField(
                what=f"date answer {number} was obtained", required=False
            )
            self.fields[f"obtained_time_{code}"] = GovukTimeField(
                what=f"time answer {number} was obtained", required=False
            )
        self.answered: list[str] = []

    def question_fields(self):
        for question in self.questions:
            code = question["code"]
            yield {
                "question": question,
                "answer": self[f"answer_{code}"],
                "source": self[f"source_{code}"],
                "obtained_date": self[f"obtained_date_{code}"],
                "obtained_time": self[f"obtained_time_{code}"],
            }

    def clean(self):
        data = super().clean()
        self.answered = []
        for number, question in enumerate(self.questions, start=1):
            code = question["code"]
            if not data.get(f"answer_{code}", "").strip():
                continue
            self.answered.append(code)
            if f"obtained_date_{code}" in data and data[f"obtained_date_{code}"] is None:
                self.add_error(
                    f"obtained_date_{code}", f"Enter the date answer {number} was obtained"
                )
            if f"obtained_time_{code}" in data and data[f"obtained_time_{code}"] is None:
                self.add_error(
                    f"obtained_time_{code}", f"Enter the time answer {number} was obtained"
                )
            data[f"obtained_at_{code}"] = london_instant(
                self,
                f"obtained_date_{code}",
                f"obtained_time_{code}",
                f"time answer {number} was obtained",
            )
        return data

    def map_fact_field(self, field: str | None) -> str | None:
        """`facts.2.source` -> `source_<code of the third answered question>`."""
        if not field or not field.startswith("facts."):
            return field
        _, index, part = field.split(".", 2)
        try:
            code = self.answered[int(index)]
        except (ValueError, IndexError):
            return None
        if part == "obtained_at":
            return f"obtained_time_{code}"
        if part == "question_code":
            return f"answer_{code}"
        return f"{part}_{code}"

    def add_service_error(self, error: ServiceError) -> None:
        name = self.map_fact_field(error.field)
        if name in self.fields:
            self.add_error(name, error.message)
        else:
            self.add_error(None, error.message)


class EndorseForm(ServiceErrorForm):
    comment = forms.CharField(required=False, max_length=2000)


class RosterFilterForm(forms.Form):
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    days = forms.IntegerField(required=False, min_value=1, max_value=31)
    known_at = forms.CharField(required=False)

    def __init__(self, data, *args, **kwargs):
        data = data.copy()
        if "from" in data:
            data["start"] = data["from"]
        super().__init__(data, *args, **kwargs)
        self.fields["start"].error_messages["invalid"] = "Enter the first day as YYYY-MM-DD"
        self.fields["days"].error_messages.update(
            {
                "invalid": "Enter the number of days as a number",
                "min_value": "Show at least 1 day",
                "max_value": "Show at most 31 days",
            }
        )

    def clean_known_at(self):
        text = self.cleaned_data.get("known_at", "").strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError as exc:
            raise forms.ValidationError(
                "Enter ‘as known at’ as a date and time, like 2024-03-27T14:30"
            ) from exc
        if value.tzinfo is None:
            if not exists_in_london(value):
                raise forms.ValidationError(
                    "That time did not exist in the UK: the clocks went forward"
                )
            value = value.replace(tzinfo=LONDON)
        return value


class DesignateForm(ServiceErrorForm):
    slot_date = GovukDateField(what="date of the slot")
    slot_code = forms.ChoiceField(error_messages={"required": "Choose a slot"})
    role = forms.ChoiceField(
        choices=DesignationRole.choices, error_messages={"required": "Choose a role"}
    )
    person = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Choose the person to designate"}
    )
    reason = forms.CharField(required=False, max_length=2000)

    service_fields = {"slot_date": "slot_date", "slot_code": "slot_code"}

    def __init__(self, *args, slots, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot_code"].choices = slots
        self.fields["person"].choices = [("", "Choose a person"), *people]
        for name in ("slot_code", "role", "person"):
            self.fields[name].error_messages["invalid_choice"] = self.fields[name].error_messages[
                "required"
            ]


# Responsibility: assign, hand over, accept ---------------------------------------------------

STALE_MESSAGE = (
    "Someone else changed who holds this role while you were looking; check and try again"
)


class HolderFormMixin:
    """`seen`: the holder the form was rendered with (a written holding's id or a rule's key),
    so a form filled in while someone else changed the holder is refused, not applied."""

    # Where a refusal that names no field links to: the current holder, shown on the page.
    non_field_href = "#current-holder"


class AssignForm(HolderFormMixin, ServiceErrorForm):
    person = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Choose the person to give the role to"}
    )
    reason = forms.CharField(
        max_length=2000, error_messages={"required": "Say why you are assigning the role"}
    )
    seen = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    service_fields = {"holder": "person", "reason": "reason"}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a person"), *people]
        self.fields["person"].error_messages["invalid_choice"] = self.fields[
            "person"
        ].error_messages["required"]


class HandoverForm(HolderFormMixin, ServiceErrorForm):
    to_person = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Choose who you are handing over to"}
    )
    summary = forms.CharField(error_messages={"required": "Write the handover summary"})
    risk = forms.ChoiceField(
        choices=[("confirmed", "Confirmed"), ("changed", "Changed")],
        error_messages={"required": "Say whether the risk is confirmed or has changed"},
    )
    new_grade = forms.ChoiceField(required=False)
    rationale = forms.CharField(required=False)
    outstanding = forms.CharField(
        error_messages={
            "required": "Say what is outstanding (or write that nothing is)",
        }
    )
    seen = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    service_fields = {
        "holder": "to_person",
        "to_holder": "to_person",
        "summary": "summary",
        "new_grade": "new_grade",
        "rationale": "rationale",
        "outstanding": "outstanding",
    }

    def __init__(self, *args, people, grades, current_grade_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].choices = [("", "Choose a person"), *people]
        self.fields["to_person"].error_messages["invalid_choice"] = self.fields[
            "to_person"
        ].error_messages["required"]
        self.fields["new_grade"].choices = grades
        self.fields["new_grade"].error_messages["invalid_choice"] = "Choose the new risk grade"
        confirmed = (
            f"Confirmed: still {current_grade_label}" if current_grade_label else "Confirmed"
        )
        self.fields["risk"].choices = [
            ("confirmed", confirmed),
            ("changed", "Changed: choose the new grade below"),
        ]
        self.fields["risk"].error_messages["invalid_choice"] = self.fields["risk"].error_messages[
            "required"
        ]

    def service_arguments(self) -> dict:
        """The handover as the service takes it: a new grade only when the risk changed."""
        data = self.cleaned_data
        changed = data["risk"] == "changed"
        return {
            "summary": data["summary"],
            "risk_confirmed": not changed,
            "new_grade": (data["new_grade"] or None) if changed else None,
            "rationale": data["rationale"] if changed else "",
            "outstanding": data["outstanding"],
            "seen": data["seen"] or None,
        }


class AcceptForm(HolderFormMixin, ServiceErrorForm):
    seen = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
