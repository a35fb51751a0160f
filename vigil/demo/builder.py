"""The demo force, built only through the services while travelling forward in time.

Everything is planned first from `random.Random(seed)` and today's date (pure data, no
database), then replayed in time order: the clock is moved to each moment and the service
that a person would have used then is called. So every row's recorded time is realistic,
the audit chain verifies, and the same seed on the same day gives the same force.

Shape (issue 2, section 9): three areas, each with four response teams on a 2-2-2-2 rota
(earlies 07-17, lates 14-24, nights 22-07, rest) and a CID team; inspectors in four
groups that follow the same rota (one inspector covers two areas by day and all three by
night); detective inspectors on call by day; two superintendents on call by week.
Rosters are published a week ahead, duty hours with them, and a few designations are
corrected afterwards. About forty missing person cases run through report, grading,
endorsement, re-grading and being found.
"""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from vigil.cases.selectors import latest_grading
from vigil.cases.services import FactInput, case_grade, case_record_found, grading_endorse
from vigil.core.time import london, london_date, london_wall
from vigil.missing.services import InitialGrading, missing_report
from vigil.organisation import services as org
from vigil.organisation.models import Force, User
from vigil.organisation.selectors import person_label
from vigil.people.models import Location
from vigil.people.services import PersonDetails
from vigil.policy.services import policy_install_defaults
from vigil.rosters.selectors import current_designation, designated_for
from vigil.rosters.services import (
    DesignationEntry,
    duty_record,
    duty_record_many,
    roster_correct,
    roster_publish,
)

DEMO_PASSWORD = "vigil-demo-2026"
DEFAULT_SEED = 2026
FORCE_CODE = "demo"
FORCE_NAME = "Demo Constabulary"

# (role shown, username suffix): the people whose logins are printed on every run.
LOGINS = (
    ("Constable", "constable"),
    ("Sergeant", "sergeant"),
    ("Inspector", "inspector"),
    ("Administrator", "admin"),
)

AREAS = (
    ("northfield", "Northfield"),
    ("riverside", "Riverside"),
    ("eastmarsh", "Eastmarsh"),
)
TEAM_LETTERS = ("A", "B", "C", "D")
CONSTABLES_PER_TEAM = 3
# The one acting sergeant: a constable acting up as the sergeant of this team.
ACTING_SERGEANT_TEAM = ("eastmarsh", "C")

SHIFTS = ("early", "late", "night", "rest")
EPOCH = date(2024, 1, 1)  # the rota's day zero (a Monday)
# Real rotas overlap; accountability slots (07-15, 15-23, 23-07) do not.
DUTY_HOURS = {
    "early": (time(7), 0, time(17)),
    "late": (time(14), 1, time(0)),
    "night": (time(22), 1, time(7)),
}
SLOT_STARTS = {"early": time(7), "late": time(15), "night": time(23)}
ROLES = ("mp_sergeant", "duty_inspector", "on_call_di", "on_call_superintendent")
DI_PATTERN = (0, 1, 2, 0, 1)  # the third DI is part-time and on call one day in five

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Daniel", "Ellie", "Farhan", "Grace", "Harry", "Imogen",
    "Jack", "Kiran", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sophie",
    "Tom", "Usman", "Victoria", "Will", "Yasmin", "Zoe", "Adam", "Bethany", "Callum",
    "Deborah", "Ewan", "Fiona", "Gareth", "Hannah", "Isaac", "Jasmine", "Kwame", "Lucy",
    "Marcus", "Nadia", "Owen", "Paula", "Rebecca", "Sanjay", "Tariq", "Ursula", "Vikram",
    "Wendy", "Zara", "Amir", "Bronwen", "Connor", "Dawn", "Eleanor", "Gemma", "Jamal",
)  # fmt: skip
SURNAMES = (
    "Ahmed", "Bennett", "Carter", "Dixon", "Evans", "Fletcher", "Green", "Hughes",
    "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn",
    "Roberts", "Shaw", "Taylor", "Underwood", "Vaughan", "Walsh", "Young", "Atkinson",
    "Bailey", "Clarke", "Davies", "Ellis", "Fox", "Gill", "Hall", "Jackson", "Kelly",
    "Lowe", "Mason", "Nash", "Owen", "Price", "Reid", "Singh", "Turner", "Ward", "Wood",
    "Begum", "Campbell", "Doyle", "Foster", "Grant", "Holmes", "Kaur", "Mensah", "Moss",
)  # fmt: skip
STREETS = (
    "Station Road", "Church Lane", "Mill Street", "Victoria Terrace", "Park Avenue",
    "Queen Street", "Meadow Close", "Canal Walk", "Orchard Way", "Beech Grove",
)  # fmt: skip
PLACES = {
    "northfield": (
        "Northfield bus station", "Northfield Academy gates", "the retail park on Ring Road",
        "Northfield Common", "McDonald's, High Street",
    ),
    "riverside": (
        "Riverside railway station", "the towpath by Lock 12", "Riverside shopping centre",
        "the skate park, Riverside Rec", "Riverside General Hospital, A&E",
    ),
    "eastmarsh": (
        "Eastmarsh seafront shelter", "the amusement arcade, Marine Parade",
        "Eastmarsh Co-op car park", "the caravan park off Coast Road", "Eastmarsh library",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DemoOptions:
    seed: int = DEFAULT_SEED
    days_back: int = 60
    days_ahead: int = 14
    cases: int = 40
    code: str = FORCE_CODE
    name: str = FORCE_NAME


@dataclass(frozen=True)
class Login:
    role: str
    name: str
    username: str
    password: str


@dataclass
class DemoSummary:
    force: Force
    people: int = 0
    designations: int = 0
    corrections: int = 0
    duty_periods: int = 0
    cases: int = 0
    started: datetime | None = None
    finished: datetime | None = None


def login_username(code: str, suffix: str) -> str:
    return f"{code}.{suffix}"


def demo_logins(code: str = FORCE_CODE) -> list[Login]:
    """The printed logins, read back from the database (so they are true after any run)."""
    today = london_date(timezone.now())
    result = []
    for role, suffix in LOGINS:
        user = User.objects.filter(username=login_username(code, suffix)).first()
        if user is not None:
            result.append(Login(role, person_label(user, today), user.username, DEMO_PASSWORD))
    return result


def build_demo(options: DemoOptions | None = None, *, now: datetime | None = None) -> DemoSummary:
    """Build the demo force. Refuses (ValueError) if a force with its code exists."""
    options = options or DemoOptions()
    if options.days_back < 1 or options.days_ahead < 0 or options.cases < 0:
        raise ValueError("days back must be at least 1; days ahead and cases at least 0")
    if Force.objects.filter(code=options.code).exists():
        raise ValueError(f"A force with code {options.code!r} already exists.")
    builder = _Builder(options, now or timezone.now())
    builder.plan()
    return builder.run()


# --- the plan: pure data from the seed and the date ------------------------------------


def shift_of(team_index: int, day: date) -> str:
    """2 earlies, 2 lates, 2 nights, 2 rest days; on any day each team has a different one."""
    block = (day - EPOCH).days // 2
    return SHIFTS[(block + team_index) % 4]


def team_on(day: date, shift: str) -> int:
    block = (day - EPOCH).days // 2
    return (SHIFTS.index(shift) - block) % 4


def slot_key(at: datetime) -> tuple[date, str]:
    """The (London date, slot code) of the default slot containing `at`."""
    local = london(at)
    hour = local.time()
    if hour < time(7):
        return local.date() - timedelta(days=1), "night"
    if hour < time(15):
        return local.date(), "early"
    if hour < time(23):
        return local.date(), "late"
    return local.date(), "night"


def _whole(at: datetime) -> datetime:
    return at.replace(microsecond=0)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


@dataclass
class PersonPlan:
    key: str
    first: str
    last: str
    rank: str
    roles: list[str]
    team: tuple[str, str] | None = None  # (area code, team name)
    fraction: str = "1.00"
    detective: bool = False
    collar: str = ""
    since: date = date(2015, 1, 1)
    username: str = ""
    password: str | None = None


@dataclass
class GradingPlan:
    at: datetime
    grade: str
    rationale: str
    facts: tuple[FactInput, ...]
    assessor: str  # a person key, or "mp_sergeant" (whoever is designated then)


@dataclass
class CasePlan:
    index: int
    area: str
    reported_at: datetime
    reporter_key: str
    profile: str
    subject: PersonDetails | None
    repeat_of: int | None
    reporter: PersonDetails
    relationship: str
    address: str
    from_kind: str
    last_seen_at: datetime
    last_seen_place: str
    circumstances: str
    initial: GradingPlan | None = None
    endorse_at: datetime | None = None
    endorse_role: str = "mp_sergeant"
    regrade: GradingPlan | None = None
    endorse2_at: datetime | None = None
    found_at: datetime | None = None
    found_recorded_at: datetime | None = None
    found_by: str = ""
    found_note: str = ""

    @property
    def final_grade(self) -> str | None:
        plan = self.regrade or self.initial
        return plan.grade if plan else None


# Subject profiles: weight, age range, where from, reporter relationships, grade weights
# (no_apparent_risk, low, medium, high), vulnerabilities, and the facts a grading relies on.
PROFILES = {
    "child_in_care": {
        "weight": 0.22,
        "ages": (12, 17),
        "from": Location.Kind.CHILDRENS_HOME,
        "relationships": ("residential care worker", "home manager"),
        "grades": (0, 0.35, 0.45, 0.2),
        "vulnerabilities": "Looked-after child; Philomena protocol part 1 on file; "
        "associates with older males.",
        "circumstances": (
            "Did not return to the children's home by the agreed time of 22:00.",
            "Left the home after an argument with staff; phone switched off.",
            "Seen getting into a car with two older males outside school.",
        ),
        "facts": (
            (
                "child_or_vulnerable",
                "Yes: 15, looked after by the local authority",
                "Care home manager",
            ),
            (
                "exploitation",
                "Known to the exploitation hub; seen with older males",
                "Exploitation hub record",
            ),
            (
                "previous_episodes",
                "Four episodes in the last 90 days, returned each time",
                "Vigil records",
            ),
        ),
    },
    "child_at_home": {
        "weight": 0.18,
        "ages": (11, 17),
        "from": Location.Kind.HOME,
        "relationships": ("mother", "father", "grandmother"),
        "grades": (0, 0.3, 0.5, 0.2),
        "vulnerabilities": "Child; bullying reported at school.",
        "circumstances": (
            "Did not come home from school; friends last saw them at the bus stop.",
            "Went to a party and did not come home; not answering messages.",
            "Left a note saying they could not cope any more.",
        ),
        "facts": (
            ("child_or_vulnerable", "Yes: 13 years old", "Mother, by phone"),
            ("out_of_character", "Yes: has never stayed out before", "Mother, in person"),
            (
                "self_harm_or_suicide",
                "Note left; school reports recent self-harm",
                "School safeguarding lead",
            ),
        ),
    },
    "adult_mental_health": {
        "weight": 0.2,
        "ages": (19, 60),
        "from": Location.Kind.HOME,
        "relationships": ("partner", "sister", "community mental health nurse"),
        "grades": (0, 0.15, 0.45, 0.4),
        "vulnerabilities": "Depression; under the community mental health team.",
        "circumstances": (
            "Left home after a row, taking their medication; texted 'sorry for everything'.",
            "Missed a mental health appointment; car found at the coast.",
            "Discharged from hospital this morning and did not arrive home.",
        ),
        "facts": (
            (
                "self_harm_or_suicide",
                "Text message 'sorry for everything' at 21:40",
                "Partner, screenshot seen",
            ),
            (
                "health_or_medication",
                "Took two weeks of antidepressants with them",
                "Partner, in person",
            ),
            ("out_of_character", "Yes: always answers their phone", "Sister, by phone"),
        ),
    },
    "adult_other": {
        "weight": 0.22,
        "ages": (18, 70),
        "from": Location.Kind.HOME,
        "relationships": ("partner", "friend", "housemate", "employer"),
        "grades": (0.35, 0.4, 0.2, 0.05),
        "vulnerabilities": "",
        "circumstances": (
            "Did not arrive at work and has not been in touch since yesterday evening.",
            "Went out for a drink and did not come home; phone going to voicemail.",
            "Left after a relationship break-up; took a bag and their passport.",
        ),
        "facts": (
            (
                "out_of_character",
                "Partly: has stayed with friends before without saying",
                "Housemate, by phone",
            ),
            ("crime_victim_or_suspect", "No indication", "PNC and local intelligence checks"),
            (
                "domestic_abuse",
                "One domestic incident recorded two years ago",
                "Local intelligence check",
            ),
        ),
    },
    "older_dementia": {
        "weight": 0.18,
        "ages": (70, 92),
        "from": Location.Kind.CARE_HOME,
        "relationships": ("care home manager", "daughter", "son"),
        "grades": (0, 0, 0.5, 0.5),
        "vulnerabilities": "Dementia; Herbert protocol form held; needs daily medication.",
        "circumstances": (
            "Walked out of the care home while the door was open for a delivery.",
            "Went for a walk to the shop and did not come back; it is dark and cold.",
            "Not in their room at the morning check; slippers missing.",
        ),
        "facts": (
            ("child_or_vulnerable", "Yes: dementia, disorientated at times", "Care home manager"),
            ("health_or_medication", "Needs insulin twice a day; none with them", "GP surgery"),
            (
                "weather_or_environment",
                "Near freezing overnight; close to the river",
                "Met Office; control room",
            ),
        ),
    },
}

GRADES = ("no_apparent_risk", "low", "medium", "high")
RATIONALES = {
    "no_apparent_risk": "No risk factors identified; has done this before and always returned "
    "safe. Reporter wants to know they are safe; no risk of harm apparent.",
    "low": "Possible but minimal risk: adult, no known vulnerabilities, left with phone and "
    "money. Keep under review.",
    "medium": "Likely risk of harm: out of character, no contact for several hours and "
    "known vulnerabilities. Active enquiries, sergeant supervision.",
    "high": "Very likely risk of serious harm given the vulnerabilities and circumstances. "
    "Immediate deployment, search and inspector oversight.",
}
ESCALATIONS = (
    (
        "self_harm_or_suicide",
        "Social media post suggesting intent to self-harm",
        "Family, screenshot verified",
    ),
    (
        "exploitation",
        "Phone cell-sited with a known exploitation suspect",
        "Communications data result",
    ),
    (
        "crime_victim_or_suspect",
        "Bank card used by someone else",
        "Bank, via data protection request",
    ),
)
DE_ESCALATIONS = (
    ("out_of_character", "Seen on CCTV buying food, appeared well", "CCTV review, Town Centre"),
    (
        "crime_victim_or_suspect",
        "Spoke to a friend by phone; said they are safe",
        "Friend, in person",
    ),
    ("health_or_medication", "Collected prescription at a pharmacy today", "Pharmacy"),
)
FOUND_NOTES = (
    "Found safe and well at a friend's address; prevention interview offered.",
    "Returned home of their own accord; seen in person and safe and well check done.",
    "Found by officers near {place}; taken home, seen in person.",
    "Traced to hospital; seen in person by ward staff and the officer; safe.",
)
CORRECTION_REASONS = (
    "PS {old} on a court warning; PS {new} covers the late turn.",
    "PS {old} called to a training course; PS {new} covers.",
    "Shift swap agreed by the duty inspector: PS {new} works the late for PS {old}.",
)


class _Builder:
    def __init__(self, options: DemoOptions, real_now: datetime):
        self.o = options
        self.rng = random.Random(options.seed)
        # Everything recorded at or before `end`, a little before the real now.
        self.end = _whole(real_now).replace(second=0) - timedelta(minutes=1)
        self.today = london_date(self.end)
        self.first_day = self.today - timedelta(days=options.days_back)
        self.last_day = self.today + timedelta(days=options.days_ahead - 1)
        self.start = london_wall(self.first_day - timedelta(days=8), time(9))
        self.people: dict[str, PersonPlan] = {}
        self.teams: dict[str, dict[str, dict]] = {}
        self.inspector_groups: list[tuple[str, str]] = []
        self.dis: list[str] = []
        self.supers: list[str] = []
        self.events: list[tuple[datetime, int, Callable[[], None]]] = []
        self.cases: list[CasePlan] = []
        # Filled in while running.
        self.users: dict[str, User] = {}
        self.areas: dict = {}
        self.team_objs: dict = {}
        self.case_objs: dict = {}
        self.force = None
        self.summary = None
        self._used_names: set[tuple[str, str]] = set()
        self._collars = iter(self.rng.sample(range(1100, 9900), 200))

    # -- scheduling ---------------------------------------------------------------------

    def at(self, moment: datetime, fn: Callable[[], None]) -> None:
        if moment > self.end:
            return  # not happened yet
        self.events.append((_whole(moment), len(self.events), fn))

    def run(self) -> DemoSummary:
        self.events.sort(key=lambda e: (e[0], e[1]))
        with time_machine.travel(self.events[0][0], tick=False) as traveller:
            for moment, _, fn in self.events:
                traveller.move_to(moment, tick=False)
                fn()
        self.summary.started = self.events[0][0]
        self.summary.finished = self.events[-1][0]
        return self.summary

    # -- people -------------------------------------------------------------------------

    def _name(self, unique: bool = False) -> tuple[str, str]:
        """A name; `unique` for the force's people (their usernames are made from it)."""
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
            if not unique or (first, last) not in self._used_names:
                self._used_names.add((first, last))
                return first, last

    def _person(self, key: str, rank: str, roles: list[str], **extra) -> str:
        first, last = self._name(unique=True)
        years = self.rng.randint(1, 18)
        plan = PersonPlan(
            key=key,
            first=first,
            last=last,
            rank=rank,
            roles=roles,
            since=self.first_day - timedelta(days=365 * years + self.rng.randint(0, 300)),
            **extra,
        )
        if rank in ("constable", "sergeant") and not plan.collar:
            plan.collar = str(next(self._collars))
        login = extra.get("password")
        plan.username = login_username(self.o.code, key) if login else ""
        self.people[key] = plan
        return key

    def plan_people(self) -> None:
        officer, sergeant = ["officer"], ["officer", "supervisor"]
        # Superintendents take the inspector role too: they may do what an inspector may.
        inspector = ["officer", "inspector"]
        self._person("admin", "staff", ["administrator"], password=DEMO_PASSWORD)
        for code, _ in AREAS:
            self.teams[code] = {}
            for letter in TEAM_LETTERS:
                team = (code, f"Response {letter}")
                members = {"sergeant": None, "constables": []}
                if (code, letter) == ACTING_SERGEANT_TEAM:
                    members["sergeant"] = self._person(
                        f"{code}-{letter}-acting-sergeant", "constable", sergeant, team=team
                    )
                    self.acting_sergeant = members["sergeant"]
                else:
                    is_login = (code, letter) == ("northfield", "A")
                    members["sergeant"] = self._person(
                        "sergeant" if is_login else f"{code}-{letter}-sergeant",
                        "sergeant",
                        sergeant,
                        team=team,
                        password=DEMO_PASSWORD if is_login else None,
                    )
                for n in range(CONSTABLES_PER_TEAM):
                    is_login = (code, letter, n) == ("northfield", "A", 0)
                    members["constables"].append(
                        self._person(
                            "constable" if is_login else f"{code}-{letter}-pc{n}",
                            "constable",
                            officer,
                            team=team,
                            password=DEMO_PASSWORD if is_login else None,
                        )
                    )
                self.teams[code][letter] = members
            cid = (code, "CID")
            self.dis.append(
                self._person(f"{code}-di", "inspector", inspector, team=cid, detective=True)
            )
            self._person(f"{code}-dc", "constable", officer, team=cid, detective=True)
        # Part-timers: five response constables, the third DI (seed 004), a staff member.
        constables = [
            k for area in self.teams.values() for t in area.values() for k in t["constables"]
        ]
        for key in self.rng.sample([k for k in constables if k != "constable"], 5):
            self.people[key].fraction = self.rng.choice(("0.50", "0.60", "0.75", "0.80"))
        self.people[self.dis[2]].fraction = "0.60"
        for g, letter in enumerate(TEAM_LETTERS):
            a = self._person(
                "inspector" if g == 0 else f"inspector-{letter}-1",
                "inspector",
                inspector,
                team=("northfield", f"Response {letter}"),
                password=DEMO_PASSWORD if g == 0 else None,
            )
            b = self._person(
                f"inspector-{letter}-2",
                "inspector",
                inspector,
                team=("eastmarsh", f"Response {letter}"),
            )
            self.inspector_groups.append((a, b))
        self.supers = [
            self._person(f"superintendent-{n}", "superintendent", inspector) for n in (1, 2)
        ]
        self._person("analyst", "staff", ["analyst"])
        self._person("focus-desk", "staff", ["focus_desk"], fraction="0.50")
        self._person("safeguarding-hub", "staff", ["safeguarding_hub"])

    def works(self, key: str) -> bool:
        """Whether a part-timer works a given shift (decided once, from the seed)."""
        fraction = float(self.people[key].fraction)
        return fraction >= 1 or self.rng.random() < fraction

    # -- rosters ------------------------------------------------------------------------

    def designated(self, area: str, day: date, slot: str, role: str) -> str:
        day_number = (day - EPOCH).days
        if role == "mp_sergeant":
            return self.teams[area][TEAM_LETTERS[team_on(day, slot)]]["sergeant"]
        if role == "duty_inspector":
            first, second = self.inspector_groups[team_on(day, slot)]
            return first if slot == "night" or area != "eastmarsh" else second
        if role == "on_call_di":
            return self.dis[DI_PATTERN[day_number % len(DI_PATTERN)]]
        return self.supers[(day_number // 7) % 2]

    def duty_for_day(self, day: date) -> list[tuple[str, datetime, datetime]]:
        periods = []

        def add(key, start, end_offset, end):
            periods.append(
                (key, london_wall(day, start), london_wall(day + timedelta(days=end_offset), end))
            )

        for area in self.teams.values():
            for index, letter in enumerate(TEAM_LETTERS):
                shift = shift_of(index, day)
                if shift == "rest":
                    continue
                members = area[letter]
                for key in [members["sergeant"], *members["constables"]]:
                    if self.works(key):
                        add(key, *DUTY_HOURS[shift])
        for index, (first, second) in enumerate(self.inspector_groups):
            shift = shift_of(index, day)
            if shift != "rest":
                add(first, *DUTY_HOURS[shift])
            if shift in ("early", "late"):
                add(second, *DUTY_HOURS[shift])
        if day.weekday() < 5:
            for key, plan in self.people.items():
                if plan.team and plan.team[1] == "CID" and self.works(key):
                    add(key, time(8), 0, time(18))
                elif plan.rank == "staff" and self.works(key):
                    add(key, time(9), 0, time(17))
        return periods

    def plan_rosters(self) -> None:
        published = []
        week_start = self.first_day
        last_publish = self.start
        while week_start <= self.last_day:
            days = [
                week_start + timedelta(days=n)
                for n in range(7)
                if week_start + timedelta(days=n) <= self.last_day
            ]
            publish_at = london_wall(week_start - timedelta(days=7), time(10))
            publish_at = min(max(publish_at, last_publish + timedelta(minutes=5)), self.end)
            last_publish = publish_at
            entries = {
                code: [
                    (day, slot, role, self.designated(code, day, slot, role))
                    for day in days
                    for slot in ("early", "late", "night")
                    for role in ROLES
                ]
                for code, _ in AREAS
            }
            duty = [p for day in days for p in self.duty_for_day(day)]
            self.at(publish_at, self._publish(entries, duty))
            published.append((days, publish_at))
            week_start += timedelta(days=7)
        self.plan_corrections(published)

    def plan_corrections(self, published) -> None:
        all_days = [d for days, _ in published for d in days]
        count = max(1, len(all_days) // 12)
        chosen = set()
        for n in range(count):
            day = self.rng.choice(all_days)
            area = self.rng.choice([code for code, _ in AREAS])
            role = "mp_sergeant" if n == 0 or self.rng.random() < 0.75 else "on_call_di"
            slot = "late" if role == "mp_sergeant" else "early"
            hours_before = self.rng.uniform(4, 36)
            reason_pick = self.rng.randrange(len(CORRECTION_REASONS))
            if (day, area, role) in chosen:
                continue
            chosen.add((day, area, role))
            old = self.designated(area, day, slot, role)
            if role == "mp_sergeant":
                new = self.teams[area][TEAM_LETTERS[team_on(day, "rest")]]["sergeant"]
                reason = CORRECTION_REASONS[reason_pick].format(
                    old=self.people[old].last, new=self.people[new].last
                )
            else:
                new = self.dis[(self.dis.index(old) + 1) % len(self.dis)]
                reason = (
                    f"DI {self.people[old].last} on annual leave; "
                    f"DI {self.people[new].last} takes the on-call."
                )
            publish_at = next(p for days, p in published if day in days)
            moment = london_wall(day, SLOT_STARTS[slot]) - timedelta(hours=hours_before)
            moment = min(max(moment, publish_at + timedelta(minutes=30)), self.end)
            self.at(moment, self._correct(area, day, slot, role, new, reason))

    # -- cases --------------------------------------------------------------------------

    def on_duty_constable(self, area: str, at: datetime) -> str:
        day, slot = slot_key(at)
        constables = self.teams[area][TEAM_LETTERS[team_on(day, slot)]]["constables"]
        return constables[int(self.rng.random() * len(constables))]

    def _facts(self, chosen, at: datetime) -> tuple[FactInput, ...]:
        return tuple(
            FactInput(
                question_code=code,
                answer=answer,
                source=source,
                obtained_at=_whole(at - timedelta(minutes=self.rng.randint(5, 120))),
            )
            for code, answer, source in chosen
        )

    def plan_cases(self) -> None:
        n = self.o.cases
        if n == 0:
            return
        window_start = london_wall(self.first_day, time(8))
        window_end = self.end - timedelta(hours=3)
        ungraded = max(1, n // 12)
        times = sorted(
            window_start + (window_end - window_start) * self.rng.random()
            for _ in range(n - ungraded)
        ) + sorted(self.end - timedelta(minutes=self.rng.randint(10, 150)) for _ in range(ungraded))
        profiles = list(PROFILES)
        weights = [PROFILES[p]["weight"] for p in profiles]
        for index, reported_at in enumerate(times):
            reported_at = _whole(reported_at)
            area = self.rng.choices([c for c, _ in AREAS], weights=(0.4, 0.35, 0.25))[0]
            profile_name = self.rng.choices(profiles, weights=weights)[0]
            profile = PROFILES[profile_name]
            earlier_found = [
                c
                for c in self.cases
                if c.found_recorded_at
                and c.found_recorded_at < reported_at
                and c.profile == profile_name
            ]
            repeat = (
                self.rng.choice(earlier_found)
                if earlier_found and self.rng.random() < 0.35
                else None
            )
            age = self.rng.randint(*profile["ages"])
            first, last = (
                (repeat.subject.given_name, repeat.subject.family_name)
                if repeat and repeat.subject
                else self._name()
            )
            subject = PersonDetails(
                given_name=first,
                family_name=last,
                date_of_birth=london_date(reported_at)
                - timedelta(days=365 * age + self.rng.randint(10, 350)),
                sex=self.rng.choice(("female", "male")),
                description=self.rng.choice(
                    (
                        "Slim build, short dark hair, grey hoodie and jeans.",
                        "Medium build, shoulder-length fair hair, black puffer jacket.",
                        "Tall, shaved head, blue tracksuit and white trainers.",
                        "Small, grey hair, beige raincoat, walks with a stick.",
                    )
                ),
                vulnerabilities=profile["vulnerabilities"],
            )
            place = self.rng.choice(PLACES[area])
            area_name = dict(AREAS)[area]
            if profile["from"] == Location.Kind.CHILDRENS_HOME:
                address = (
                    f"Oak House children's home\n{self.rng.randint(2, 90)} Elm Road\n{area_name}"
                )
            elif profile["from"] == Location.Kind.CARE_HOME:
                address = f"Willow Court care home\nHospital Lane\n{area_name}"
            else:
                address = f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}\n{area_name}"
            reporter_first, reporter_last = self._name()
            relationship = self.rng.choice(profile["relationships"])
            if relationship in ("mother", "father", "grandmother", "sister", "daughter", "son"):
                reporter_last = last
            plan = CasePlan(
                index=index,
                area=area,
                reported_at=reported_at,
                reporter_key=self.on_duty_constable(area, reported_at),
                profile=profile_name,
                subject=None if repeat else subject,
                repeat_of=repeat.index if repeat else None,
                reporter=PersonDetails(given_name=reporter_first, family_name=reporter_last),
                relationship=relationship,
                address=address,
                from_kind=profile["from"],
                last_seen_at=_whole(reported_at - timedelta(hours=self.rng.uniform(0.5, 20))),
                last_seen_place=place,
                circumstances=self.rng.choice(profile["circumstances"]),
            )
            if index < n - ungraded:
                self._plan_lifecycle(plan, profile)
            self.cases.append(plan)
            self._schedule_case(plan)

    def _plan_lifecycle(self, plan: CasePlan, profile: dict) -> None:
        rng = self.rng
        t = plan.reported_at
        grade = rng.choices(GRADES, weights=profile["grades"])[0]
        facts = rng.sample(profile["facts"], rng.randint(1, len(profile["facts"])))
        plan.initial = GradingPlan(
            t, grade, RATIONALES[grade], self._facts(facts, t), plan.reporter_key
        )
        last = t
        if rng.random() < 0.85:
            plan.endorse_at = _whole(t + timedelta(hours=rng.uniform(0.5, 6)))
            plan.endorse_role = "on_call_di" if grade == "high" else "mp_sergeant"
            last = plan.endorse_at
        if rng.random() < 0.35:
            at = _whole(last + timedelta(hours=rng.uniform(4, 96)))
            position = GRADES.index(grade)
            up = position < 3 and (position == 0 or rng.random() < 0.6)
            new_grade = GRADES[position + 1 if up else position - 1]
            if profile["ages"][0] < 18 and new_grade == "no_apparent_risk":
                new_grade = "low"  # inspectors criticised children graded at no apparent risk
            source = rng.choice(ESCALATIONS if up else DE_ESCALATIONS)
            verb = "raised" if up else "lowered"
            rationale = (
                f"New information: {source[1].lower()}. Risk {verb} to "
                f"{new_grade.replace('_', ' ')}. {RATIONALES[new_grade]}"
            )
            plan.regrade = GradingPlan(
                at, new_grade, rationale, self._facts([source], at), "mp_sergeant"
            )
            last = at
            if rng.random() < 0.75:
                plan.endorse2_at = _whole(at + timedelta(hours=rng.uniform(1, 8)))
                last = plan.endorse2_at
        found_chance = {"no_apparent_risk": 0.85, "low": 0.8, "medium": 0.65, "high": 0.6}
        if rng.random() < found_chance[plan.final_grade]:
            hours = rng.uniform(1, 48) if rng.random() < 0.85 else rng.uniform(72, 24 * 20)
            found_at = max(plan.reported_at + timedelta(hours=hours), last)
            recorded = found_at + timedelta(minutes=rng.randint(10, 90))
            note = rng.choice(FOUND_NOTES).format(place=plan.last_seen_place)
            finder = self.on_duty_constable(plan.area, recorded)
            if recorded <= self.end:
                plan.found_at = _whole(found_at)
                plan.found_recorded_at = _whole(recorded)
                plan.found_by = finder
                plan.found_note = note

    def _schedule_case(self, plan: CasePlan) -> None:
        self.at(plan.reported_at, lambda: self._report(plan))
        if plan.endorse_at:
            self.at(plan.endorse_at, lambda: self._endorse(plan, plan.endorse_role))
        if plan.regrade:
            self.at(plan.regrade.at, lambda: self._regrade(plan))
        if plan.endorse2_at:
            self.at(plan.endorse2_at, lambda: self._endorse(plan, "duty_inspector"))
        if plan.found_recorded_at:
            self.at(plan.found_recorded_at, lambda: self._found(plan))

    def plan(self) -> None:
        self.at(self.start, self._setup)
        self.plan_people()
        self.plan_rosters()
        self.plan_cases()

    # -- replay: the services, each at its moment ---------------------------------------

    def _setup(self) -> None:
        o = self.o
        force = org.force_create(name=o.name, code=o.code)
        self.force = force
        self.summary = DemoSummary(force=force)
        for code, name in AREAS:
            self.areas[code] = org.area_create(force=force, name=name, code=code)
        for code, _ in AREAS:
            for name in [f"Response {letter}" for letter in TEAM_LETTERS] + ["CID"]:
                self.team_objs[(code, name)] = org.team_create(area=self.areas[code], name=name)
        policy_install_defaults(force=force)
        admin = None
        for key, plan in self.people.items():
            username = plan.username or login_username(
                o.code, f"{_slug(plan.first)}.{_slug(plan.last)}"
            )
            user = org.user_create(
                force=force,
                username=username,
                first_name=plan.first,
                last_name=plan.last,
                rank=plan.rank,
                rank_since=plan.since,
                password=plan.password,
                collar_number=plan.collar,
                team=self.team_objs[plan.team] if plan.team else None,
                roles=plan.roles,
                fraction=plan.fraction,
                is_detective=plan.detective,
                actor=admin,
            )
            admin = admin or user  # the administrator records everyone after herself
            self.users[key] = user
        org.user_record_rank(
            user=self.users[self.acting_sergeant],
            rank="sergeant",
            acting=True,
            starts_on=self.first_day - timedelta(days=14),
            ends_on=self.last_day + timedelta(days=90),
            reason="Acting sergeant on Eastmarsh Response C while the post is vacant.",
            actor=admin,
        )
        self.summary.people = len(self.users)

    def _publish(self, entries: dict, duty: list) -> Callable[[], None]:
        def publish():
            admin = self.users["admin"]
            for code, rows in entries.items():
                created = roster_publish(
                    area=self.areas[code],
                    entries=[
                        DesignationEntry(day, slot, role, self.users[key])
                        for day, slot, role, key in rows
                    ],
                    actor=admin,
                )
                self.summary.designations += len(created)
            if duty:
                duty_record_many(periods=[(self.users[k], s, e) for k, s, e in duty], actor=admin)
                self.summary.duty_periods += len(duty)

        return publish

    def _correct(self, area, day, slot, role, new_key, reason) -> Callable[[], None]:
        def correct():
            area_obj = self.areas[area]
            head = current_designation(area_obj, day, slot, role)
            inspector = designated_for(area_obj, "duty_inspector", timezone.now())
            actor = inspector.person if inspector else self.users["admin"]
            roster_correct(designation=head, person=self.users[new_key], reason=reason, actor=actor)
            if role == "mp_sergeant":
                start, offset, end = DUTY_HOURS[slot]
                duty_record(
                    person=self.users[new_key],
                    starts_at=london_wall(day, start),
                    ends_at=london_wall(day + timedelta(days=offset), end),
                    actor=actor,
                )
                self.summary.duty_periods += 1
            self.summary.corrections += 1

        return correct

    def _designated_person(self, area: str, role: str) -> User | None:
        row = designated_for(self.areas[area], role, timezone.now())
        return row.person if row else None

    def _report(self, plan: CasePlan) -> None:
        subject = (
            self.case_objs[plan.repeat_of].missing.subject
            if plan.repeat_of is not None
            else plan.subject
        )
        initial = plan.initial
        episode = missing_report(
            actor=self.users[plan.reporter_key],
            area=self.areas[plan.area],
            subject=subject,
            reported_at=plan.reported_at,
            last_seen_at=plan.last_seen_at,
            last_seen_place=plan.last_seen_place,
            circumstances=plan.circumstances,
            reporter=plan.reporter,
            reporter_relationship=plan.relationship,
            missing_from_address=plan.address,
            missing_from_kind=plan.from_kind,
            grading=InitialGrading(initial.grade, initial.rationale, initial.facts)
            if initial
            else None,
        )
        self.case_objs[plan.index] = episode.case
        self.summary.cases += 1

    def _endorse(self, plan: CasePlan, role: str) -> None:
        case = self.case_objs[plan.index]
        grading = latest_grading(case)
        candidates = [self._designated_person(plan.area, r) for r in (role, "duty_inspector")]
        endorser = next(
            (p for p in candidates if p is not None and p.pk != grading.assessed_by_id), None
        )
        if endorser is None:
            return
        comment = (
            "Grading agreed; supervision as per policy."
            if role == "mp_sergeant"
            else "Agreed; inspector oversight in place."
        )
        grading_endorse(grading=grading, actor=endorser, comment=comment)

    def _regrade(self, plan: CasePlan) -> None:
        assessor = (
            self._designated_person(plan.area, "mp_sergeant") or self.users[plan.reporter_key]
        )
        regrade = plan.regrade
        case_grade(
            case=self.case_objs[plan.index],
            grade=regrade.grade,
            rationale=regrade.rationale,
            facts=list(regrade.facts),
            actor=assessor,
        )

    def _found(self, plan: CasePlan) -> None:
        case_record_found(
            case=self.case_objs[plan.index],
            actor=self.users[plan.found_by],
            found_at=plan.found_at,
            note=plan.found_note,
        )
