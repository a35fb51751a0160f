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
    if kind.startswith("responsibility."):
        from vigil.responsibility.models import ROLE_LABELS

        details = [ROLE_LABELS.get(p.get("role", ""), p.get("role", ""))]
        if kind == "responsibility.handed_over":
            if p.get("risk_confirmed"):
                details.append("Risk confirmed")
            elif p.get("new_grade"):
                details.append(f"Risk changed to {grade_label(p['new_grade'])}")
        return [d for d in details if d]
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


# Responsibility ---------------------------------------------------------------------------

EVENT_LABELS.update(
    {
        "responsibility.assigned": "Role assigned",
        "responsibility.handed_over": "Role handed over",
        "responsibility.accepted": "Role accepted",
        "responsibility.escalated": "Role given by rule on re-grading",
    }
)


def _designation_words(designation, designation_role: str) -> str:
    if designation is None:
        return ""
    role = designation_role or designation.role
    label = DesignationRole(role).label.lower() if role in DesignationRole.values else role
    return f"the designated {label}"


def decided_words(answer, labeller: "PersonLabeller", day: date) -> dict:
    """How an answer was reached, in plain words: a short headline and the detail.

    Headlines: "Assigned by …", "Handed over by …", "Initial, when reported", "By roster
    rule", "Transfer by policy", "Escalation on re-grading, by rule"…"""
    if answer.person is None:
        return {"headline": "Nobody holds it", "detail": answer.rule, "by_rule": True}
    how = answer.how_label
    if answer.decided_by == "person" and answer.assigned_by is not None:
        if answer.how == "initial":
            headline = f"{how}, by {labeller.label(answer.assigned_by, day)}"
        else:
            headline = f"{how} by {labeller.label(answer.assigned_by, day)}"
        return {"headline": headline, "detail": "", "by_rule": False}
    if answer.holding_id is not None:  # written by a rule at the moment it happened
        detail = _designation_words(answer.designation, answer.designation_role)
        return {
            "headline": f"{how}, by rule",
            "detail": f"Given to {detail}" if detail else "",
            "by_rule": True,
        }
    detail = answer.rule[:1].upper() + answer.rule[1:] if answer.rule else ""
    return {"headline": how, "detail": detail, "by_rule": True}


def holder_rows(answers, user, *, day: date | None = None) -> list[dict]:
    """Each required role's holder now, for the case page's "Who is responsible"."""
    from vigil.core.time import now

    day = day or london_date(now())
    labeller = PersonLabeller()
    for answer in answers:
        labeller.want(answer.person, day)
        labeller.want(answer.assigned_by, day)
    labeller.resolve()
    return [
        {
            "answer": answer,
            "role": answer.role,
            "role_label": answer.role_label,
            "person": labeller.label(answer.person, day) if answer.person else "Nobody",
            "since": answer.since,
            "decided": decided_words(answer, labeller, day),
            "accepted": answer.accepted,
            "accepted_at": answer.accepted_at,
            "is_me": answer.person is not None and answer.person.pk == user.pk,
            "may_accept": (
                answer.person is not None and answer.person.pk == user.pk and not answer.accepted
            ),
            "seen": answer.ref,
        }
        for answer in answers
    ]


def history_rows(history, grade_label) -> list[dict]:
    """Written holdings, oldest first, with acceptance and any handover, in plain words."""
    from vigil.responsibility.models import ROLE_LABELS, How

    labeller = PersonLabeller()
    for row in history:
        day = london_date(row.holding.starts_at)
        labeller.want(row.holding.holder, day)
        labeller.want(row.holding.assigned_by, day)
    labeller.resolve()
    rows = []
    for row in history:
        holding = row.holding
        day = london_date(holding.starts_at)
        if holding.assigned_by is not None:
            by = labeller.label(holding.assigned_by, day)
        else:
            by = "rule: " + (
                _designation_words(holding.designation, "")
                or system_job_label(holding.assigned_by_job)
            )
        if row.acceptance is not None:
            accepted = f"Accepted {row.acceptance.accepted_at.astimezone(LONDON):%d %b %Y %H:%M}"
        elif holding.assigned_by_id is not None and holding.assigned_by_id == holding.holder_id:
            accepted = "Took it themselves"
        else:
            accepted = ""
        handover = None
        if row.handover is not None:
            h = row.handover
            handover = {
                "summary": h.summary,
                "risk": "Risk confirmed"
                if h.risk_confirmed
                else f"Risk changed to {grade_label(h.grading.grade) if h.grading else ''}",
                "outstanding": h.outstanding,
            }
        rows.append(
            {
                "starts_at": holding.starts_at,
                "recorded_at": holding.recorded_at,
                "role_label": ROLE_LABELS[holding.role],
                "holder": labeller.label(holding.holder, day),
                "how": How(holding.how).label,
                "by": by,
                "reason": holding.reason if row.handover is None else "",
                "accepted": accepted,
                "handover": handover,
            }
        )
    return rows


def timeline_rows(segments, *, role_label: str) -> list[dict]:
    """Who held one role from the opening, derived holdings included, oldest first."""
    labeller = PersonLabeller()
    for segment in segments:
        labeller.want(segment.answer.person, london_date(segment.starts_at))
        labeller.want(segment.answer.assigned_by, london_date(segment.starts_at))
    labeller.resolve()
    rows = []
    for segment in segments:
        answer = segment.answer
        if not answer.required:
            continue
        day = london_date(segment.starts_at)
        rows.append(
            {
                "role_label": role_label,
                "from": segment.starts_at,
                "to": segment.ends_at,
                "person": labeller.label(answer.person, day) if answer.person else "Nobody",
                "decided": decided_words(answer, labeller, day),
                "accepted": answer.accepted,
            }
        )
    return rows
