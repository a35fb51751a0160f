"""Reporting a missing person: the person, the reporter, the place and the case, at once."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from vigil.access.cases import can_report
from vigil.audit.services import audit_record
from vigil.cases.services import FactInput, _case_open, _grade
from vigil.core import hooks
from vigil.core.errors import NotAllowed, ServiceError
from vigil.core.time import now, require_aware
from vigil.missing.models import MissingEpisode
from vigil.people.models import Location, Person
from vigil.people.services import PersonDetails, _location_create, _person_create
from vigil.responsibility.services import _initial_holdings


@dataclass(frozen=True)
class InitialGrading:
    grade: str
    rationale: str
    facts: tuple[FactInput, ...] = ()


@transaction.atomic(durable=True)
def missing_report(
    *,
    actor,
    area,
    subject: PersonDetails | Person,
    reported_at: datetime,
    last_seen_at: datetime,
    last_seen_place: str,
    circumstances: str,
    reporter: PersonDetails | Person | None = None,
    reporter_relationship: str = "",
    missing_from_address: str = "",
    missing_from_kind: str = Location.Kind.HOME,
    grading: InitialGrading | None = None,
) -> MissingEpisode:
    if not can_report(actor, area):
        raise NotAllowed("You cannot report a case in that area.")
    reported_at = require_aware(reported_at, "reported_at")
    last_seen_at = require_aware(last_seen_at, "last_seen_at")
    current = now()
    if reported_at > current:
        raise ServiceError("The time reported cannot be in the future.", field="reported_at")
    if last_seen_at > reported_at:
        raise ServiceError(
            "The person must have been last seen before they were reported.", field="last_seen_at"
        )
    if not last_seen_place.strip():
        raise ServiceError("Enter where the person was last seen.", field="last_seen_place")
    if not circumstances.strip():
        raise ServiceError("Describe the circumstances.", field="circumstances")
    force = area.force
    for field, person in (("subject", subject), ("reporter", reporter)):
        if isinstance(person, Person) and person.force_id != force.pk:
            raise ServiceError("That person is recorded by another force.", field=field)
    if isinstance(subject, PersonDetails):
        subject = _person_create(force=force, details=subject, actor=actor)
    if isinstance(reporter, PersonDetails):
        reporter = _person_create(force=force, details=reporter, actor=actor)
    missing_from = None
    if missing_from_address.strip():
        missing_from = _location_create(
            force=force, address=missing_from_address, kind=missing_from_kind
        )
    case = _case_open(force=force, area=area, case_type="missing_person", actor=actor)
    owner = _initial_holdings(case=case, reporter=actor)  # before grading; audited below
    episode = MissingEpisode.objects.create(
        case=case,
        subject=subject,
        reporter=reporter,
        reporter_relationship=reporter_relationship.strip(),
        reported_at=reported_at,
        last_seen_at=last_seen_at,
        last_seen_place=last_seen_place.strip(),
        circumstances=circumstances.strip(),
        missing_from=missing_from,
    )
    audit_record(
        force=force,
        kind="missing.reported",
        actor=actor,
        case=case,
        payload={
            "subject": str(subject.public_id),
            "reporter": str(reporter.public_id) if reporter else None,
            "relationship": episode.reporter_relationship,
            "reported_at": reported_at,
            "last_seen_at": last_seen_at,
            "owner_holding": owner.pk if owner else None,
            "owner": owner.holder_id if owner else None,
        },
    )
    if grading is not None:
        _grade(
            case=case,
            grade=grading.grade,
            rationale=grading.rationale,
            facts=list(grading.facts),
            actor=actor,
        )
        case.refresh_from_db()
    # Referrals owed, protocol data pulled in, repeat episodes linked (vigil.core.hooks).
    hooks.case_opened(case=case, actor=actor, at=now())
    return episode
