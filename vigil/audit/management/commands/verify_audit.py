"""Prove each force's audit chain; print heads for publishing; check an anchored head."""

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.selectors import chain_contains, verify_chain
from vigil.organisation.models import Force


class Command(BaseCommand):
    help = "Walk every force's audit chain and name the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("--force", help="Only this force (its short code).")
        parser.add_argument(
            "--anchor", action="store_true", help="Print each chain's head hash for publishing."
        )
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="HASH",
            help="Fail unless this previously published head hash is still in the chain.",
        )

    def handle(self, *args, force=None, anchor=False, expect=(), **options):
        forces = Force.objects.order_by("pk")
        if force:
            forces = forces.filter(code=force)
            if not forces.exists():
                raise CommandError(f"No force with code {force!r}.")
        failures = []
        for f in forces:
            report = verify_chain(f)
            if report.ok:
                self.stdout.write(f"{f.code}: chain of {report.events} events verified")
            else:
                failures.append(f"{f.code}: {report.problem}")
                self.stderr.write(f"{f.code}: BROKEN at {report.problem}")
            if anchor:
                self.stdout.write(f"{f.code} head {report.head_hash}")
        for anchored in expect:
            if not any(chain_contains(f, anchored) for f in forces):
                failures.append(f"anchored head {anchored} is no longer in any chain")
                self.stderr.write(f"MISSING: anchored head {anchored} is no longer in any chain")
        if failures:
            raise CommandError("; ".join(failures))
