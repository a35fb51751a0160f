"""Reads of a missing person episode."""

from vigil.missing.models import MissingEpisode


def episode_for(case) -> MissingEpisode | None:
    """The missing person details of a case, with the people and place, or None."""
    return (
        MissingEpisode.objects.select_related("subject", "reporter", "missing_from")
        .filter(case=case)
        .first()
    )
