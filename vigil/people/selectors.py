"""Reads of people: always within one force, addressed by public_id."""

from vigil.people.models import Person


def force_persons(force_id):
    if force_id is None:
        return Person.objects.none()
    return Person.objects.filter(force_id=force_id).order_by("family_name", "given_name", "pk")


def person_in_force(force_id, public_id) -> Person | None:
    return force_persons(force_id).filter(public_id=public_id).first()


def person_episodes(person: Person, user):
    """The missing episodes this person is the subject of, in cases `user` may see."""
    from vigil.cases.models import Case
    from vigil.missing.models import MissingEpisode

    return (
        MissingEpisode.objects.filter(subject=person, case__in=Case.objects.visible_to(user))
        .select_related("case")
        .order_by("-reported_at")
    )
