"""`make bench`: the Daily Management Meeting board for 2,000 open cases, timed against a
hand-written SQL query of the same data in the same process.

Builds a throwaway SQLite database (a temporary file, migrated from scratch): a force with four
areas, its people and a roster through the services (under time travel, so policy is in force
before the cases open); then 2,000 open missing person cases bulk-inserted as real rows (case,
subject, episode, grading, status, initial holding, some acceptances and assignments), their
due review rows written by the real `due_reviews_fix`, a few hundred unanswered prompts and a
meeting that discussed half the cases. Then it times `build_board` (the selector the page and
the API use) and the raw SQL several times each, and prints the medians, their ratio (board
time ÷ raw SQL time) and the board's query count. No figure here is asserted anywhere.

    python -m bench.board [--cases 2000] [--repeat 7]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path


def _setup_django(path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings.test")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def _world(now: datetime):
    import time_machine

    from vigil.organisation import services as org
    from vigil.policy.services import policy_install_defaults
    from vigil.rosters.services import DesignationEntry, roster_publish

    built_at = now - timedelta(days=30)
    with time_machine.travel(built_at, tick=False):
        force = org.force_create(name="Bench Constabulary", code="bench")
        policy_install_defaults(force=force)
        areas = [
            org.area_create(force=force, name=name, code=name.lower())
            for name in ("North", "South", "East", "West")
        ]
        n = iter(range(1, 10_000))

        def person(rank, roles=("officer",), detective=False):
            i = next(n)
            return org.user_create(
                force=force,
                username=f"bench-{rank}-{i}",
                first_name="Bench",
                last_name=f"{rank.title()}{i}",
                rank=rank,
                rank_since=date(2015, 1, 1),
                password="bench bench bench bench",
                collar_number=str(5000 + i),
                roles=list(roles),
                is_detective=detective,
            )

        constables = [person("constable") for _ in range(40)]
        sergeants = [person("sergeant", ("officer", "supervisor")) for _ in range(12)]
        inspectors = [person("inspector", ("officer", "inspector")) for _ in range(4)]
        detectives = [person("inspector", ("officer",), detective=True) for _ in range(4)]
        superintendent = person("superintendent")
        today = now.date()
        for index, area in enumerate(areas):
            entries = []
            for offset in range(-5, 4):
                day = today + timedelta(days=offset)
                for s, code in enumerate(("early", "late", "night")):
                    for role, who in (
                        ("mp_sergeant", sergeants[(index * 3 + s) % len(sergeants)]),
                        ("duty_inspector", inspectors[index]),
                        ("on_call_di", detectives[index]),
                        ("on_call_superintendent", superintendent),
                    ):
                        entries.append(DesignationEntry(day, code, role, who))
            roster_publish(area=area, entries=entries, system_job="bench")
    return force, areas, constables, sergeants, inspectors


def _cases(force, areas, constables, sergeants, count: int, now: datetime, rng):
    from vigil.cases.models import Case, CaseStatusChange, Grading
    from vigil.missing.models import MissingEpisode
    from vigil.people.models import Person
    from vigil.policy.models import PolicyVersion
    from vigil.responsibility.models import Holding, HoldingAcceptance

    version = PolicyVersion.objects.get(force=force, case_type="missing_person")
    grades = ["no_apparent_risk", "low", "medium", "medium", "medium", "high"]
    opened = [now - timedelta(minutes=rng.randint(60, 36 * 60)) for _ in range(count)]
    people = Person.objects.bulk_create(
        Person(
            force=force,
            given_name=f"Subject{i}",
            family_name="Bench",
            created_at=opened[i],
            created_by=constables[i % len(constables)],
        )
        for i in range(count)
    )
    cases = Case.objects.bulk_create(
        Case(
            force=force,
            area=areas[i % len(areas)],
            case_type="missing_person",
            reference=f"MP-BENCH-{i:05d}",
            status="open",
            current_grade=rng.choice(grades),
            created_at=opened[i],
            created_by=constables[i % len(constables)],
        )
        for i in range(count)
    )
    MissingEpisode.objects.bulk_create(
        MissingEpisode(
            case=case,
            subject=people[i],
            reported_at=case.created_at,
            last_seen_at=case.created_at - timedelta(hours=rng.randint(1, 30)),
            last_seen_place="Bench Street",
            circumstances="Benchmark.",
        )
        for i, case in enumerate(cases)
    )
    Grading.objects.bulk_create(
        Grading(
            case=case,
            sequence=1,
            grade=case.current_grade,
            rationale="Benchmark.",
            assessed_by=case.created_by,
            assessed_at=case.created_at,
            recorded_at=case.created_at,
            policy_version=version,
        )
        for case in cases
    )
    CaseStatusChange.objects.bulk_create(
        CaseStatusChange(
            case=case, from_status="", to_status="open", at=case.created_at, by=case.created_by
        )
        for case in cases
    )
    owners = Holding.objects.bulk_create(
        Holding(
            case=case,
            role="owner",
            holder=case.created_by,
            starts_at=case.created_at,
            recorded_at=case.created_at,
            assigned_by=case.created_by,
            how="initial",
        )
        for case in cases
    )
    # A third of the cases have a supervisor assigned, half of those accepted.
    supervised = []
    for i, case in enumerate(cases):
        if i % 3 == 0 and case.current_grade != "high":
            at = case.created_at + timedelta(minutes=20)
            supervised.append(
                Holding(
                    case=case,
                    role="supervisor",
                    holder=sergeants[i % len(sergeants)],
                    starts_at=at,
                    recorded_at=at,
                    assigned_by=sergeants[(i + 1) % len(sergeants)],
                    how="assignment",
                    reason="Benchmark.",
                )
            )
    supervised = Holding.objects.bulk_create(supervised)
    HoldingAcceptance.objects.bulk_create(
        HoldingAcceptance(
            case_id=h.case_id,
            role=h.role,
            holding=h,
            person_id=h.holder_id,
            accepted_at=h.starts_at + timedelta(minutes=5),
            recorded_at=h.starts_at + timedelta(minutes=5),
        )
        for h in supervised[::2]
    )
    return cases, owners, version


def _prompts_and_meeting(force, areas, cases, version, inspectors, now: datetime):
    from vigil.oversight.models import Meeting, MeetingCase, Prompt

    Prompt.objects.bulk_create(
        Prompt(
            force=force,
            case=case,
            rule="no_proof_of_life",
            rule_kind="no_proof_of_life",
            occurrence=f"bench:{case.pk}",
            key=f"{case.pk}:no_proof_of_life:bench",
            label="No verified proof of life for more than 3 days",
            question="Benchmark.",
            decisions=[{"code": "keep_grade", "label": "Keep the grade"}],
            climb=["supervisor", "duty_inspector"],
            climb_after_minutes=60,
            policy_version=version,
            raised_at=now - timedelta(minutes=30),
            raised_by_job="bench",
            level=0,
            level_role="supervisor",
            addressed_to=inspectors[0],
            why_this_person="Benchmark.",
        )
        for case in cases[::7]
    )
    meeting = Meeting.objects.create(
        force=force,
        area=None,
        meeting_date=now.date(),
        chair=inspectors[0],
        opened_at=now - timedelta(minutes=10),
        opened_by=inspectors[0],
    )
    MeetingCase.objects.bulk_create(
        MeetingCase(
            meeting=meeting,
            case=case,
            discussed=True,
            marked_at=now - timedelta(minutes=5),
            marked_by=inspectors[0],
        )
        for case in cases[::2]
    )


def raw_sql() -> str:
    """The board's data, by hand: one statement, no rules applied (the comparison's floor)."""
    from vigil.cases.models import Case
    from vigil.missing.models import MissingEpisode
    from vigil.organisation.models import User
    from vigil.oversight.models import Meeting, MeetingCase, Prompt, PromptAnswer
    from vigil.people.models import Person
    from vigil.responsibility.models import Holding, HoldingAcceptance
    from vigil.reviews.models import DueReview, Review

    t = {
        "case": Case._meta.db_table,
        "episode": MissingEpisode._meta.db_table,
        "person": Person._meta.db_table,
        "user": User._meta.db_table,
        "holding": Holding._meta.db_table,
        "acceptance": HoldingAcceptance._meta.db_table,
        "review": Review._meta.db_table,
        "due": DueReview._meta.db_table,
        "prompt": Prompt._meta.db_table,
        "answer": PromptAnswer._meta.db_table,
        "meeting": Meeting._meta.db_table,
        "mark": MeetingCase._meta.db_table,
    }

    def holder(role: str) -> str:
        return f"""
        (SELECT u.first_name || ' ' || u.last_name || CASE WHEN EXISTS (
                   SELECT 1 FROM {t["acceptance"]} a WHERE a.holding_id = h.id) THEN ' (accepted)'
                   ELSE '' END
           FROM {t["holding"]} h JOIN {t["user"]} u ON u.id = h.holder_id
          WHERE h.case_id = c.id AND h.role = '{role}' AND h.starts_at <= %(at)s
          ORDER BY h.starts_at DESC, h.id DESC LIMIT 1) AS {role}"""

    return f"""
    SELECT c.id, c.reference, c.area_id, c.current_grade, e.last_seen_at, e.reported_at,
           p.given_name, p.family_name,
           {holder("owner")}, {holder("supervisor")}, {holder("sio")},
           (SELECT MAX(r.recorded_at) FROM {t["review"]} r
             WHERE r.case_id = c.id AND r.recorded_at <= %(at)s) AS last_review,
           (SELECT d.kind || ' ' || d.late_after || ' ' || COALESCE(u.last_name, '')
              FROM {t["due"]} d LEFT JOIN {t["user"]} u ON u.id = d.reviewer_id
             WHERE d.case_id = c.id AND d.opens_at <= %(at)s AND d.closes_at > %(at)s
               AND NOT EXISTS (SELECT 1 FROM {t["review"]} r
                                WHERE r.due_id = d.id AND r.counts AND r.recorded_at <= %(at)s)
             ORDER BY d.window_start LIMIT 1) AS next_due,
           (SELECT COUNT(*) FROM {t["due"]} d
             WHERE d.case_id = c.id AND d.late_after <= %(at)s AND d.closes_at > %(at)s
               AND NOT EXISTS (SELECT 1 FROM {t["review"]} r
                                WHERE r.due_id = d.id AND r.counts)) AS overdue,
           (SELECT COUNT(*) FROM {t["prompt"]} q
             WHERE q.case_id = c.id AND q.raised_at <= %(at)s
               AND NOT EXISTS (SELECT 1 FROM {t["answer"]} a WHERE a.prompt_id = q.id)) AS prompts,
           EXISTS (SELECT 1 FROM {t["mark"]} m
                    WHERE m.case_id = c.id AND m.discussed AND m.meeting_id = (
                      SELECT mt.id FROM {t["meeting"]} mt
                       WHERE mt.force_id = c.force_id AND mt.opened_at <= %(at)s
                         AND (mt.area_id IS NULL OR mt.area_id = c.area_id)
                       ORDER BY mt.opened_at DESC, mt.id DESC LIMIT 1)) AS discussed
      FROM {t["case"]} c
      JOIN {t["episode"]} e ON e.case_id = c.id
      JOIN {t["person"]} p ON p.id = e.subject_id
     WHERE c.force_id = %(force)s AND c.status IN ('reported', 'open') AND c.created_at <= %(at)s
     ORDER BY c.id
    """


def _median_ms(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as folder:
        _setup_django(Path(folder) / "bench.sqlite3")
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from vigil.core.time import now as vigil_now
        from vigil.oversight.board import build_board
        from vigil.reviews.services import due_reviews_fix

        rng = random.Random(args.seed)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        now = vigil_now().astimezone(UTC)
        force, areas, constables, sergeants, inspectors = _world(now)
        cases, _owners, version = _cases(force, areas, constables, sergeants, args.cases, now, rng)
        written = due_reviews_fix(system_job="bench")
        _prompts_and_meeting(force, areas, cases, version, inspectors, now)
        built = time.perf_counter() - started
        print(
            f"Built {len(cases)} open cases in {len(areas)} areas, {len(written)} due review "
            f"rows, in {built:.1f} s (SQLite, {connection.settings_dict['NAME']})."
        )

        reader = inspectors[0]
        at = vigil_now()
        build_board(reader, at=at)  # warm caches (connections, templates of nothing)
        with CaptureQueriesContext(connection) as captured:
            board = build_board(reader, at=at)
        queries = len(captured)
        board_ms, board = _median_ms(lambda: build_board(reader, at=at), args.repeat)

        sql = raw_sql()
        params = {"at": at, "force": force.pk}

        def run_sql():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        sql_ms, rows = _median_ms(run_sql, args.repeat)
        assert len(rows) == len(board.rows) == args.cases, (len(rows), len(board.rows))
        few = build_board(reader, at=at, cases=list(board.rows[i].case for i in range(3)))
        with CaptureQueriesContext(connection) as captured_few:
            build_board(reader, at=at, cases=[r.case for r in few.rows])
        print(f"Board selector (build_board), median of {args.repeat}: {board_ms:9.1f} ms")
        print(f"Hand-written SQL of the same data, median of {args.repeat}: {sql_ms:9.1f} ms")
        print(f"Ratio (board time / raw SQL time): {board_ms / sql_ms:.1f}")
        print(
            f"Board queries: {queries} for {len(board.rows)} cases "
            f"({len(captured_few)} for 3 of them: fixed, whatever the number of cases)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
