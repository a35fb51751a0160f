"""Plain words for what the pages show: event kinds, people's labels, payload highlights."""

from collections import defaultdict
from datetime import date, datetime

from vigil.core.time import LONDON, london_date
from vigil.organisation.selectors import person_labels
from vigil.rosters.models import DesignationRole

EVENT_LABELS = {
    "case.opened": "Case opened",
    "missing.reported": "Reported missing",
    "case.graded": "Graded",
    "case.regraded": "Re-graded",
    "case.grading_endorsed": "Grading endorsed",
    "case.found": "Found",
    "case.access_granted": "Access granted",
    "roster.designated": "Designated on the roster",
    "roster.corrected": "Roster designation corrected",
}

SYSTEM_JOB_LABELS = {"setup": "Set-up (system)"}


def event_label(kind: str) -> str:
    if kind in EVENT_LABELS:
        return EVENT_LABELS[kind]
    words = kind.split(".")[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


def system_job_label(job: str) -> str:
    return SYSTEM_JOB_LABELS.get(job, f"{job.replace('_', ' ')} (system)")


class PersonLabeller:
    """`person_label` for many (person, day) pairs, one query per distinct day."""

    def __init__(self):
        self.wanted: dict[date, dict] = defaultdict(dict)
        self.labels: dict[tuple[int, date], str] = {}

    def want(self, user, day: date) -> None:
        if user is not None:
            self.wanted[day][user.pk] = user

    def resolve(self) -> "PersonLabeller":
        for day, users in self.wanted.items():
            for pk, label in person_labels(users.values(), day).items():
                self.labels[(pk, day)] = label
        self.wanted.clear()
        return self

    def label(self, user, day: date) -> str:
        if user is None:
            return ""
        return self.labels.get((user.pk, day), user.display_name)


def _london(value: str) -> str:
    try:
        return datetime.fromisoformat(value).astimezone(LONDON).strftime("%d %b %Y %H:%M")
    except (TypeError, ValueError):
        return str(value)


def event_details(event, grade_label) -> list[str]:
    """A few plain-words highlights of an event's payload."""
    p = event.payload or {}
    kind = event.kind
    if kind == "case.opened":
        return [f"Reference {p.get('reference', '')}", f"Area {p.get('area', '')}"]
    if kind == "missing.reported":
        details = [
            f"Reported {_london(p['reported_at'])}" if p.get("reported_at") else "",
            f"Last seen {_london(p['last_seen_at'])}" if p.get("last_seen_at") else "",
            f"Reporter is the {p['relationship']}" if p.get("relationship") else "",
        ]
        return [d for d in details if d]
    if kind in ("case.graded", "case.regraded"):
        details = []
        if p.get("from"):
            details.append(f"From {grade_label(p['from'])} to {grade_label(p.get('to', ''))}")
        else:
            details.append(f"Grade {grade_label(p.get('to', ''))}")
        facts = p.get("facts", 0)
        details.append(f"{facts} fact{'s' if facts != 1 else ''} recorded")
        if p.get("policy_version"):
            details.append(f"Policy version {p['policy_version']}")
        return details
    if kind == "case.grading_endorsed":
        return [f"Grade {grade_label(p.get('grade', ''))}"]
    if kind == "case.found":
        return [f"Found {_london(p['found_at'])}"] if p.get("found_at") else []
    if kind in ("roster.designated", "roster.corrected"):
        role = p.get("role", "")
        role_label = DesignationRole(role).label if role in DesignationRole.values else role
        return [f"{role_label}, {p.get('slot', '')} slot on {p.get('slot_date', '')}"]
    return []


def timeline_entries(events, grade_label) -> list[dict]:
    events = list(events)
    labeller = PersonLabeller()
    for event in events:
        labeller.want(event.actor, london_date(event.occurred_at))
    labeller.resolve()
    entries = []
    for event in events:
        if event.actor is not None:
            who = labeller.label(event.actor, london_date(event.occurred_at))
        else:
            who = system_job_label(event.system_job)
        entries.append(
            {
                "at": event.occurred_at,
                "who": who,
                "what": event_label(event.kind),
                "details": event_details(event, grade_label),
                "reason": event.reason,
            }
        )
    return entries
