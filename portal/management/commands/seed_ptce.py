"""Load the portal's reference and seed data, idempotently.

Each domain app may provide a `seed` module with `run(*, stdout) -> None`; they run
in dependency order, each in its own transaction, and running twice changes nothing.
That is real data only, what production runs. `--demo` then adds the fictitious demo data
of `portal.demo` (accounts, assessments, pending requests, a demo day), for `make run`.
The audit log records what people change, not the loading of the versioned seed: it is off
while the command runs (otherwise every re-run would add hundreds of anonymous entries).
"""

from importlib import import_module

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand
from django.db import transaction

from ptce_portal import versions

SEED_ORDER = ["poles", "events", "charter", "referential"]


class Command(BaseCommand):
    help = (
        "Charge les données réelles (référence, pôles, charte, journées, référentiel) ; "
        "--demo ajoute les données fictives de démonstration (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", choices=SEED_ORDER, help="Limiter à ces apps.")
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
        for app in SEED_ORDER:
            if only and app not in only:
                continue
            try:
                module = import_module(f"{app}.seed")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.seed":
                    raise
                continue
            with transaction.atomic():
                module.run(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"seed {app}: ok"))
        if demo:
            from portal import demo as demo_data

            demo_data.run(stdout=self.stdout)
