"""`manage.py sweep`: due reviews, their notices, escalation prompts and their climbs.

Run once (cron, a systemd timer) or `--every 60` to loop (what `make run` starts).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from vigil.core.time import london
from vigil.oversight.sweep import sweep_once


class Command(BaseCommand):
    help = "Write due reviews, send their notices, raise and climb escalation prompts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Loop, one sweep every SECONDS (0: run once and exit).",
        )
        parser.add_argument("--job", default="sweep", help="The system job named in the audit log.")

    def handle(self, *args, every: int = 0, job: str = "sweep", **options):
        if every < 0:
            raise CommandError("--every must be zero or more seconds.")
        try:
            while True:
                report = self.run_once(job)
                if not every:
                    if not report.ok:
                        raise CommandError("; ".join(report.failed))
                    return
                close_old_connections()  # a long-running loop must not keep a stale one
                time.sleep(every)
        except KeyboardInterrupt:
            self.stdout.write("Sweep loop stopped.")

    def run_once(self, job: str):
        """One sweep and its printout: the body of the `--every` loop."""
        report = sweep_once(system_job=job)
        self.stdout.write(f"Sweep at {london(report.at):%d %b %Y %H:%M:%S} (UK time)")
        for line in report.lines:
            self.stdout.write(f"  {line}")
        return report
