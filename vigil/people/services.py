"""Recording people and places."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from vigil.audit.services import audit_record
from vigil.core.errors import ServiceError
from vigil.core.time import london_date, now
from vigil.people.models import Location, Person


@dataclass(frozen=True)
class PersonDetails:
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    known_as: str = ""
    sex: str = ""
    description: str = ""
    vulnerabilities: str = ""


def _person_create(*, force, details: PersonDetails, actor) -> Person:
    if not details.given_name.strip() or not details.family_name.strip():
        raise ServiceError("Enter the person's given and family names.", field="given_name")
    if details.date_of_birth and details.date_of_birth > london_date(now()):
        raise ServiceError("The date of birth must be in the past.", field="date_of_birth")
    person = Person.objects.create(
        force=force,
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        known_as=details.known_as.strip(),
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        description=details.description,
        vulnerabilities=details.vulnerabilities,
        created_at=now(),
        created_by=actor,
    )
    audit_record(
        force=force,
        kind="person_record.created",
        actor=actor,
        payload={"person": str(person.public_id)},
    )
    return person


def _location_create(
    *, force, address: str, kind: str = Location.Kind.HOME, name: str = "", postcode: str = ""
) -> Location:
    if kind not in Location.Kind.values:
        raise ServiceError(f"Unknown kind of place {kind!r}.", field="kind")
    return Location.objects.create(
        force=force,
        kind=kind,
        name=name,
        address=address.strip(),
        postcode=postcode.strip().upper(),
    )


@transaction.atomic(durable=True)
def person_create(*, force, details: PersonDetails, actor) -> Person:
    return _person_create(force=force, details=details, actor=actor)
