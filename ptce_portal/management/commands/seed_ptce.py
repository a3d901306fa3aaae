"""Load the portal's reference and seed data, idempotently.

Each domain app may provide a `seed` module with `run(*, stdout) -> None`; they run
in dependency order, each in its own transaction, and running twice changes nothing.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

SEED_ORDER = ["poles", "events", "charter", "referential"]


class Command(BaseCommand):
    help = "Charge les données de référence et de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", choices=SEED_ORDER, help="Limiter à ces apps.")

    def handle(self, *args, only=None, **options):
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
