"""Who is designated, and who is on duty, at an instant as known at another."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vigil.core.time import now
from vigil.rosters.models import Designation, DesignationRole, DutyPeriod, SlotDefinition
from vigil.rosters.slots import Slot, slot_containing, slot_on, slots_between


def slot_definitions(area) -> list[SlotDefinition]:
    return list(SlotDefinition.objects.filter(area=area).order_by("position"))


def slot_at(area, at: datetime) -> Slot | None:
    return slot_containing(slot_definitions(area), at)


def slot_for(area, slot_date: date, slot_code: str) -> Slot | None:
    for definition in slot_definitions(area):
        if definition.code == slot_code:
            return slot_on(definition, slot_date)
    return None


def designated_for(area, role: str, at: datetime, known_at: datetime | None = None):
    """The designation in force for (area, role) at instant `at`, as recorded by `known_at`.

    Every row of one slot shares its instants and the rows form one chain, so the newest
    row recorded by `known_at` is the head of the chain as it stood then.
    """
    known_at = known_at or now()
    return (
        Designation.objects.filter(
            area=area, role=role, starts_at__lte=at, ends_at__gt=at, recorded_at__lte=known_at
        )
        .select_related("person", "recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def designation_chain(designation: Designation) -> list[Designation]:
    """The original and every correction of one slot and role, oldest first."""
    return list(
        Designation.objects.filter(
            area_id=designation.area_id,
            slot_date=designation.slot_date,
            slot_code=designation.slot_code,
            role=designation.role,
        )
        .select_related("person", "recorded_by", "supersedes")
        .order_by("recorded_at", "pk")
    )


def current_designation(area, slot_date: date, slot_code: str, role: str):
    """The head of the chain now: the row nobody has superseded."""
    return (
        Designation.objects.filter(
            area=area,
            slot_date=slot_date,
            slot_code=slot_code,
            role=role,
            superseded_by__isnull=True,
        )
        .select_related("person")
        .first()
    )


@dataclass
class RosterRow:
    slot: Slot
    cells: dict  # role -> Designation | None (as known at the time asked)
    corrected: dict  # role -> bool

    @property
    def missing_roles(self) -> list[str]:
        return [role for role, d in self.cells.items() if d is None]


def roster_grid(area, start: date, days: int, known_at: datetime | None = None) -> list[RosterRow]:
    """Every slot of `days` days from `start` with its designations, in two queries."""
    known_at = known_at or now()
    definitions = slot_definitions(area)
    slots = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        slots.extend(slot_on(d, day) for d in definitions)
    rows = (
        Designation.objects.filter(
            area=area,
            slot_date__gte=start,
            slot_date__lt=start + timedelta(days=days),
            recorded_at__lte=known_at,
        )
        .select_related("person")
        .order_by("recorded_at", "pk")
    )
    heads: dict = {}
    counts: dict = {}
    for row in rows:
        key = (row.slot_date, row.slot_code, row.role)
        heads[key] = row  # later rows supersede earlier ones
        counts[key] = counts.get(key, 0) + 1
    result = []
    for slot in slots:
        cells = {role: heads.get((slot.date, slot.code, role)) for role in DesignationRole.values}
        corrected = {
            role: counts.get((slot.date, slot.code, role), 0) > 1 for role in DesignationRole.values
        }
        result.append(RosterRow(slot=slot, cells=cells, corrected=corrected))
    return result


def unfilled_slots(area, start: datetime | None = None, hours: int = 48) -> list[RosterRow]:
    """Slots overlapping the next `hours` with a role nobody is designated for."""
    start = start or now()
    slots = slots_between(slot_definitions(area), start, start + timedelta(hours=hours))
    if not slots:
        return []
    first, last = slots[0].date, slots[-1].date
    grid = roster_grid(area, first, (last - first).days + 1)
    wanted = {s.key for s in slots}
    return [row for row in grid if row.slot.key in wanted and row.missing_roles]


def on_duty(person, at: datetime, known_at: datetime | None = None) -> bool:
    known_at = known_at or now()
    return (
        DutyPeriod.objects.filter(
            person=person,
            starts_at__lte=at,
            ends_at__gt=at,
            recorded_at__lte=known_at,
            cancelled=False,
        )
        .exclude(superseded_by__recorded_at__lte=known_at)
        .exists()
    )


def designation_in_force(force_id, pk: int) -> Designation | None:
    """One designation row, only if it belongs to an area of `force_id` (else None)."""
    if force_id is None:
        return None
    return (
        Designation.objects.filter(pk=pk, area__force_id=force_id)
        .select_related("area", "area__force", "person", "recorded_by", "supersedes")
        .first()
    )
