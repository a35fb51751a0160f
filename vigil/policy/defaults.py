"""Default policy documents, each value with its source (see ../shared/POLICY-SOURCES.md).

A force publishes these as version 1 and changes them by publishing a new version.
"Local" marks a value no national figure was confirmed for: a sensible default a force
should set in its own procedure.
"""

from vigil.policy import sections
from vigil.policy.sections import (  # noqa: F401  (each topic's defaults, merged below)
    actions,
    children,
    closure,
    commsdata,
    disclosures,
    insight,
    investigations,
    proof_of_life,
    quality,
    referrals,
    retention,
    workload,
)

MISSING_PERSON = {
    # College of Policing APP, missing persons (2016/17 onwards): four grades, lowest first.
    "grades": [
        {
            "code": "no_apparent_risk",
            "label": "No apparent risk",
            "meaning": "No apparent risk of harm to the subject or the public.",
        },
        {
            "code": "low",
            "label": "Low risk",
            "meaning": "The risk of harm to the subject or the public is possible but minimal.",
        },
        {
            "code": "medium",
            "label": "Medium risk",
            "meaning": "The risk of harm to the subject or the public is likely but not serious.",
        },
        {
            "code": "high",
            "label": "High risk",
            "meaning": "The risk of serious harm to the subject or the public is very likely.",
        },
    ],
    # APP risk assessment prompts. APP asks that each fact relied on is recorded with who
    # supplied it and when it was obtained.
    "questions": [
        {"code": "out_of_character", "text": "Is the behaviour out of character?"},
        {
            "code": "crime_victim_or_suspect",
            "text": "Might the person be the victim of a crime, or a suspect?",
        },
        {
            "code": "self_harm_or_suicide",
            "text": "Is there any indication of self-harm or suicidal intent?",
        },
        {
            "code": "health_or_medication",
            "text": "Does the person need medication or care they do not have with them?",
        },
        {
            "code": "child_or_vulnerable",
            "text": "Is the person a child, or vulnerable through age, illness or disability?",
        },
        {"code": "exploitation", "text": "Is there a risk of sexual or criminal exploitation?"},
        {"code": "domestic_abuse", "text": "Is there domestic or family abuse, current or past?"},
        {
            "code": "previous_episodes",
            "text": "Has the person gone missing before, and came to harm?",
        },
        {
            "code": "weather_or_environment",
            "text": "Do the weather or surroundings add to the risk?",
        },
    ],
    # Roles each grade requires, with minimum ranks (acting rank counts).
    # Medium: supervised by the response duty sergeant (seed 000, Cambridgeshire Manual of
    # Standards). High: owned by a detective inspector (seed 001, Metropolitan Police);
    # supervised at inspector level with an SIO.
    "required_roles": {
        "no_apparent_risk": [
            {"role": "owner", "min_rank": "constable"},
            {"role": "supervisor", "min_rank": "sergeant"},
        ],
        "low": [
            {"role": "owner", "min_rank": "constable"},
            {"role": "supervisor", "min_rank": "sergeant"},
        ],
        "medium": [
            {"role": "owner", "min_rank": "constable"},
            {"role": "supervisor", "min_rank": "sergeant"},
        ],
        "high": [
            {"role": "owner", "min_rank": "constable"},
            {"role": "supervisor", "min_rank": "inspector"},
            {"role": "sio", "min_rank": "inspector", "detective": True},
        ],
    },
    # Who fills a role by roster rule when nobody hands it on.
    "roster_rule": {
        "owner": "mp_sergeant",
        "supervisor": {"sergeant": "mp_sergeant", "inspector": "duty_inspector"},
        "sio": "on_call_di",
        "reviewing_inspector": "duty_inspector",
    },
    "ownership": {
        # Seed 001 (Metropolitan Police): frontline officers own low and medium for the
        # first 48 hours; high risk is owned by a safeguarding detective inspector.
        "initial_period_hours": 48,
        # Local: how long an owner may be unavailable before ownership passes by rule.
        "owner_unavailable_limit_hours": 24,
        # Local: how long a supervisor may stay off duty, unhanded, before the rule applies.
        "supervisor_off_duty_grace_minutes": 0,
        # Local: a supervision handover recorded this close to the end of a slot is for the
        # next slot (the incoming sergeant takes it over at shift change; seed 002, HMIC
        # 2007: risk reviewed at every shift / supervisor handover).
        "handover_window_minutes": 60,
        # Seed 001 (Metropolitan Police): frontline officers own low and medium for the first
        # 48 hours, then the policy's next owner (Local: the designated missing person
        # sergeant of the slot running); high risk is owned by a (safeguarding) detective
        # inspector (here: the on-call detective inspector) from the moment it is graded high.
        # "to" names a roster designation; hours run from the case's opening.
        "transfer": {
            "low": {"after_hours": 48, "to": "mp_sergeant"},
            "medium": {"after_hours": 48, "to": "mp_sergeant"},
            "high": {"after_hours": 0, "to": "on_call_di"},
        },
    },
    "thresholds": {
        # Police National Computer circulation within 48 hours (Hansard, 29 April 2008).
        "national_computer_circulation_hours": 48,
        # NCA UK Missing Persons Unit: notify of anyone missing more than 72 hours.
        "ukmpu_notification_hours": 72,
        # Seed 002 (HMIC 2007): long-term enquiries reviewed monthly.
        "long_term_days": 28,
        # Local: medium risk this long without an inspector review prompts (seed 000).
        "medium_without_inspector_review_hours": 72,
    },
    # Escalation prompts (issue 4, §5): a named person on duty must answer with a decision and
    # a rationale. "rule" names the check Vigil runs (vigil/oversight/selectors.py); "answered_by"
    # the first step of "climb", the rank chain an unanswered prompt climbs, one step every
    # "climb_after_minutes" (Local: an hour; IOPC Gwent 2019: an alert left with an off-duty
    # sergeant went seven hours unanswered). Once answered, the rule's clock starts again.
    "prompts": [
        {
            # Seed 000 (Cambridgeshire): a medium-risk case ran seven weeks before anyone
            # re-graded it. Local: 72 hours at medium without an inspector review.
            "code": "medium_without_inspector_review",
            "rule": "grade_without_review",
            "label": "Medium risk for more than 72 hours without an inspector review",
            "grades": ["medium"],
            "hours": 72,
            "review_kind": "inspector",
            "answered_by": "duty_inspector",
            "climb": ["duty_inspector", "on_call_superintendent"],
            "climb_after_minutes": 60,
            "decisions": [
                {"code": "keep_grade", "label": "Keep the grade, for the reasons given"},
                {"code": "regrade", "label": "Re-grade the risk now"},
                {"code": "review_now", "label": "Carry out an inspector review now"},
            ],
        },
        {
            # Seed 000: a long time at medium with no proof of life; the murder was found only
            # after re-grading. Threshold Local (no national figure): 3 days, the point at which
            # the NCA UK Missing Persons Unit must be told of anyone still missing. Measured from
            # the last verified proof of life; until sightings are recorded, from last seen.
            "code": "no_proof_of_life",
            "rule": "no_proof_of_life",
            "label": "No verified proof of life for more than 3 days",
            "days": 3,
            "answered_by": "supervisor",
            "climb": ["supervisor", "duty_inspector", "on_call_superintendent"],
            "climb_after_minutes": 60,
            "decisions": [
                {"code": "regrade_high", "label": "Re-grade to high risk"},
                {"code": "critical_incident", "label": "Declare a critical incident"},
                {
                    "code": "homicide_hypothesis",
                    "label": "Open a homicide hypothesis with the on-call detective inspector",
                },
                {"code": "keep_grade", "label": "Keep the grade and plan, for the reasons given"},
            ],
        },
        {
            # Seed 000: 33 of 49 due reviews were missed and nothing flagged it. Local: two
            # missed in a row of one kind go to the duty inspector.
            "code": "consecutive_missed_reviews",
            "rule": "consecutive_missed_reviews",
            "label": "Two consecutive reviews missed",
            "missed": 2,
            "answered_by": "duty_inspector",
            "climb": ["duty_inspector", "on_call_superintendent"],
            "climb_after_minutes": 60,
            "decisions": [
                {"code": "review_now", "label": "Review the case now"},
                {
                    "code": "reassign_reviews",
                    "label": "Give the reviews to someone who can do them",
                },
                {
                    "code": "keep_arrangements",
                    "label": "Keep the arrangements, for the reasons given",
                },
            ],
        },
    ],
    # Review kinds. Cadences add up: every kind that applies is due, none replaces another.
    # cadence: {"slots": [slot codes]} (one window per listed accountability slot),
    # {"every_hours": n} (windows from when the kind starts to apply) or
    # {"on_handover": [roles]} (a window opens at each written handover of those roles);
    # any may add "start_after_days" (counted from the case's opening).
    # reviewer: {"designation": roster role} for that slot, or {"ledger": responsibility role}
    # (whoever holds it when the window opens). window_hours: null = the slot itself.
    # late_limit_hours: null = a late review counts until the next window of the kind opens.
    "reviews": [
        {
            # Seed 000 (Cambridgeshire Manual of Standards): medium-risk cases are reviewed on
            # each early shift by the response duty sergeant: here the designated missing
            # person sergeant of every early slot.
            "code": "supervisory",
            "label": "Supervisory review",
            "grades": ["medium"],
            "cadence": {"slots": ["early"]},
            "reviewer": {"designation": "mp_sergeant"},
            "min_rank": "sergeant",
            "window_hours": None,
            # Local: the review belongs to the sergeant's own shift: no grace.
            "grace_minutes": 0,
            # Local: a missed review may still be done, late, until the next early slot opens.
            "late_limit_hours": None,
            # Local: a case reported with under half the slot left is first due in the next.
            "min_window_fraction": 0.5,
        },
        {
            # Seed 001 (Metropolitan Police) and APP: high risk is overseen at inspector
            # level. Local: reviewed by the duty inspector in every slot.
            "code": "inspector",
            "label": "Inspector review",
            "grades": ["high"],
            "cadence": {"slots": ["early", "late", "night"]},
            "reviewer": {"designation": "duty_inspector"},
            "min_rank": "inspector",
            "window_hours": None,
            # Local.
            "grace_minutes": 30,
            "late_limit_hours": 2,
            "min_window_fraction": 0.25,
        },
        {
            # APP: risk is reviewed continually. Local: low and no apparent risk every
            # 24 hours by the case's supervisor (from the responsibility ledger).
            "code": "periodic",
            "label": "Periodic review",
            "grades": ["no_apparent_risk", "low"],
            "cadence": {"every_hours": 24},
            "reviewer": {"ledger": "supervisor"},
            "min_rank": "sergeant",
            "window_hours": 24,
            # Local.
            "grace_minutes": 60,
            "late_limit_hours": 12,
            "min_window_fraction": 0.5,
        },
        {
            # Seed 002 (HMIC 2007): risk reviewed at every shift / supervisor handover. The
            # incoming supervisor confirms the risk (the ledger's supervisor once handed over).
            "code": "handover_confirmation",
            "label": "Confirmation of risk at handover",
            "grades": ["no_apparent_risk", "low", "medium", "high"],
            "cadence": {"on_handover": ["supervisor"]},
            "reviewer": {"ledger": "supervisor"},
            "min_rank": "sergeant",
            # Local: within two hours of taking over; late up to six hours after that.
            "window_hours": 2,
            "grace_minutes": 0,
            "late_limit_hours": 6,
            "min_window_fraction": 0,
        },
        {
            # Seed 002 (HMIC 2007): long-term enquiries reviewed monthly; long-term from
            # 28 days (thresholds.long_term_days). Local: by the duty inspector, within a week.
            "code": "long_term",
            "label": "Monthly long-term review",
            "grades": ["no_apparent_risk", "low", "medium", "high"],
            "cadence": {"every_hours": 24 * 28, "start_after_days": 28},
            "reviewer": {"designation": "duty_inspector"},
            "min_rank": "inspector",
            "window_hours": 24 * 7,
            "grace_minutes": 0,
            "late_limit_hours": 24 * 7,
            "min_window_fraction": 0,
        },
    ],
}

INVESTIGATION = {
    # Kent Internet Risk Assessment Tool grading (seed 003): action within 24 hours / 7 days /
    # 6 weeks / 3 months of receipt of the referral.
    "grades": [
        {"code": "low", "label": "Low", "deadline_hours": 24 * 91},
        {"code": "medium", "label": "Medium", "deadline_hours": 24 * 42},
        {"code": "high", "label": "High", "deadline_hours": 24 * 7},
        {"code": "very_high", "label": "Very high", "deadline_hours": 24},
    ],
    "questions": [
        {"code": "access_to_children", "text": "Does the suspect have access to children?"},
        {"code": "contact_offending", "text": "Is there evidence of contact offending?"},
        {"code": "position_of_trust", "text": "Does the suspect hold a position of trust?"},
    ],
    "required_roles": {
        grade: [
            {"role": "owner", "min_rank": "constable"},
            {"role": "supervisor", "min_rank": "sergeant"},
        ]
        for grade in ("low", "medium", "high", "very_high")
    },
    "roster_rule": {"owner": "mp_sergeant", "supervisor": {"sergeant": "mp_sergeant"}},
    "ownership": {},
    "thresholds": {},
    "reviews": [
        {
            # Local (seed 003: investigations sat untouched for years): a supervisory review
            # of every open investigation every 14 days by its supervisor (from the ledger).
            "code": "supervisory",
            "label": "Supervisory review",
            "grades": ["low", "medium", "high", "very_high"],
            "cadence": {"every_hours": 24 * 14},
            "reviewer": {"ledger": "supervisor"},
            "min_rank": "sergeant",
            "window_hours": 72,
            "grace_minutes": 0,
            "late_limit_hours": 24 * 7,
            "min_window_fraction": 0,
        },
    ],
}


def _merge(document: dict, section: dict) -> None:
    for key, value in section.items():
        if isinstance(value, list) and isinstance(document.get(key), list):
            document[key] = [*document[key], *value]
        elif isinstance(value, dict) and isinstance(document.get(key), dict):
            document[key] = {**document[key], **value}
        else:
            document[key] = value


for _section in (
    sections.actions,
    sections.proof_of_life,
    sections.commsdata,
    sections.disclosures,
    sections.referrals,
    sections.closure,
    sections.children,
    sections.quality,
    sections.insight,
    sections.workload,
    sections.investigations,
    sections.retention,
):
    _merge(MISSING_PERSON, _section.MISSING_PERSON)
    _merge(INVESTIGATION, _section.INVESTIGATION)

DEFAULTS = {"missing_person": MISSING_PERSON, "investigation": INVESTIGATION}
