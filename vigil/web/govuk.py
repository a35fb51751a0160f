"""Turn Django bound fields into GOV.UK Frontend macro parameters.

Each field's HTML id is its name (date fields: `<name>-day`, `-month`, `-year`), so the
error summary links straight to the field at fault.
"""

from datetime import date


def field_error(bound_field) -> dict | None:
    errors = bound_field.errors
    return {"text": errors[0]} if errors else None


def _value(bound_field) -> str:
    value = bound_field.value()
    return "" if value is None else str(value)


def input_params(bound_field, label: str, *, hint: str = "", classes: str = "", **extra) -> dict:
    params = {
        "id": bound_field.name,
        "name": bound_field.html_name,
        "label": {"text": label},
        "value": _value(bound_field),
        "errorMessage": field_error(bound_field),
        "classes": classes,
    }
    if hint:
        params["hint"] = {"text": hint}
    params.update(extra)
    return params


def textarea_params(bound_field, label: str, *, hint: str = "", rows: int = 4, **extra) -> dict:
    params = input_params(bound_field, label, hint=hint, **extra)
    params["rows"] = rows
    return params


def date_params(bound_field, legend: str, *, hint: str = "For example, 27 3 2024") -> dict:
    value = bound_field.value()
    if isinstance(value, date):
        day, month, year = str(value.day), str(value.month), str(value.year)
    elif isinstance(value, list | tuple) and len(value) == 3:
        day, month, year = (str(v or "") for v in value)
    else:
        day = month = year = ""
    error = field_error(bound_field)
    wrong = "govuk-input--error " if error else ""
    name = bound_field.html_name
    return {
        "id": bound_field.name,
        "namePrefix": name,
        "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": hint},
        "errorMessage": error,
        "items": [
            {
                "name": "day",
                "label": "Day",
                "value": day,
                "classes": wrong + "govuk-input--width-2",
            },
            {
                "name": "month",
                "label": "Month",
                "value": month,
                "classes": wrong + "govuk-input--width-2",
            },
            {
                "name": "year",
                "label": "Year",
                "value": year,
                "classes": wrong + "govuk-input--width-4",
            },
        ],
    }


def choice_items(bound_field, choices, hints: dict | None = None) -> list[dict]:
    current = _value(bound_field)
    hints = hints or {}
    items = []
    for value, text in choices:
        item = {"value": value, "text": text, "checked": str(value) == current}
        if value in hints:
            item["hint"] = {"text": hints[value]}
        items.append(item)
    return items


def radios_params(bound_field, legend: str, *, hints: dict | None = None, hint: str = "") -> dict:
    params = {
        "idPrefix": bound_field.name,
        "name": bound_field.html_name,
        "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
        "items": choice_items(bound_field, bound_field.field.choices, hints),
        "errorMessage": field_error(bound_field),
    }
    if hint:
        params["hint"] = {"text": hint}
    return params


def select_params(bound_field, label: str, *, hint: str = "") -> dict:
    current = _value(bound_field)
    items = [
        {"value": value, "text": text, "selected": str(value) == current}
        for value, text in bound_field.field.choices
    ]
    params = {
        "id": bound_field.name,
        "name": bound_field.html_name,
        "label": {"text": label},
        "items": items,
        "errorMessage": field_error(bound_field),
    }
    if hint:
        params["hint"] = {"text": hint}
    return params


def field_anchor(form, name: str) -> str:
    """Where the error summary links for a field: the first input it renders."""
    field = form.fields.get(name)
    if field is None:
        return ""
    widget = field.widget
    if getattr(widget, "is_date_triple", False):
        return f"#{name}-day"
    return f"#{name}"


def error_list(form) -> list[dict]:
    """Errors in the order the fields appear, each linked to its field."""
    items = []
    href = getattr(form, "non_field_href", "")
    for error in form.non_field_errors():
        items.append({"text": error, "href": href} if href else {"text": error})
    for name in form.fields:
        errors = form.errors.get(name)
        if errors:  # the first message per field; ErrorList[0] gives plain text, a slice does not
            items.append({"text": errors[0], "href": field_anchor(form, name)})
    return items


def error_summary(*forms) -> dict | None:
    items = []
    for form in forms:
        if form is not None and form.is_bound:
            items.extend(error_list(form))
    if not items:
        return None
    return {"titleText": "There is a problem", "errorList": items}


GLOBALS = {
    "govuk_input": input_params,
    "govuk_textarea": textarea_params,
    "govuk_date": date_params,
    "govuk_radios": radios_params,
    "govuk_select": select_params,
    "govuk_error_summary": error_summary,
}
