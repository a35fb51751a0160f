"""Default policy documents, each value with its source (see ../shared/POLICY-SOURCES.md).

A force publishes these as version 1 and changes them by publishing a new version.
"Local" marks a value no national figure was confirmed for: a sensible default a force
should set in its own procedure.
"""

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
    # Review cadences are added by the review issue; they will live here too.
    "reviews": [],
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
    "reviews": [],
}

DEFAULTS = {"missing_person": MISSING_PERSON, "investigation": INVESTIGATION}
