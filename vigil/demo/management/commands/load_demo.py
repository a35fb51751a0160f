"""Load the demo force (once) and print its logins (every time). `make run` calls this."""

import time

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.selectors import verify_chain
from vigil.demo.builder import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    FORCE_CODE,
    FORCE_NAME,
    DemoOptions,
    build_demo,
    demo_logins,
)
from vigil.organisation.models import Force


class Command(BaseCommand):
    help = (
        "Build the Demo Constabulary through the services under time travel, from a seed. "
        "Does nothing but print the logins if it already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--days-back", type=int, default=60, help="Days of past rosters and cases (>= 1)."
        )
        parser.add_argument(
            "--days-ahead", type=int, default=14, help="Days of rosters from today on."
        )
        parser.add_argument("--cases", type=int, default=40, help="Missing person cases.")

    def handle(self, *args, seed, days_back, days_ahead, cases, **options):
        if Force.objects.filter(code=FORCE_CODE).exists():
            self.stdout.write(f"{FORCE_NAME} is already loaded: nothing to do.")
        else:
            options = DemoOptions(
                seed=seed, days_back=days_back, days_ahead=days_ahead, cases=cases
            )
            started = time.monotonic()
            try:
                summary = build_demo(options)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            except Exception:
                if Force.objects.filter(code=FORCE_CODE).exists():
                    # Each service commits on its own, so a failed load leaves part of a force.
                    self.stderr.write(
                        "The demo force is only partly loaded: start again from an empty "
                        "database (e.g. `make clean` or a new DATABASE_URL)."
                    )
                raise
            seconds = time.monotonic() - started
            report = verify_chain(summary.force)
            self.stdout.write(
                f"Loaded {FORCE_NAME} (seed {seed}) in {seconds:.1f} s: "
                f"{summary.people} people, {summary.designations} designations "
                f"({summary.corrections} corrected), {summary.duty_periods} duty periods, "
                f"{summary.cases} cases; audit chain of {report.events} events "
                f"{'verified' if report.ok else 'BROKEN: ' + report.problem}."
            )
        self.print_logins()

    def print_logins(self):
        logins = demo_logins(FORCE_CODE)
        if not logins:
            self.stderr.write("The demo logins are missing: the demo force did not load fully.")
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role:<13}  {login.name}")
