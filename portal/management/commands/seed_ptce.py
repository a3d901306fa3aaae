"""Load the portal's reference and seed data, idempotently.

Each app may contribute a seed step (`ptce_portal.contributions.Step`, `run(*, stdout)`);
they run in the steps' order, each in its own transaction, and running twice changes nothing.
That is real data only, what production runs. `--demo` then adds the fictitious demo data
of `portal.demo` (accounts, assessments, pending requests, a demo day), for `make run`.
The audit log records what people change, not the loading of the versioned seed: it is off
while the command runs (otherwise every re-run would add hundreds of anonymous entries).
"""

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand
from django.db import transaction

from ptce_portal import versions
from ptce_portal.contributions import steps


class Command(BaseCommand):
    help = (
        "Charge les données réelles (référence, pôles, charte, journées, référentiel) ; "
        "--demo ajoute les données fictives de démonstration (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            nargs="*",
            choices=[label for label, _step in steps("seed")],
            help="Limiter à ces apps.",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Ajouter les données fictives de démonstration (jamais en production).",
        )

    def handle(self, *args, only=None, demo=False, **options):
        if demo:
            from .ensure_demo_staff import refuse_outside_a_demo

            refuse_outside_a_demo()  # before anything is written
        with disable_auditlog():
            self._seed(only=only, demo=demo)
        # The seeds write in bulk (no signals): whatever was cached from the content goes.
        versions.bump_all()

    def _seed(self, *, only, demo):
        for app, step in steps("seed"):
            if only and app not in only:
                continue
            with transaction.atomic():
                step.run(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"seed {app}: ok"))
        if demo:
            from portal import demo as demo_data

            demo_data.run(stdout=self.stdout)
