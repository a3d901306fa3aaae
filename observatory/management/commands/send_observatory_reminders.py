"""Remind the coordinators of the poles whose report is not submitted yet, before the open
campaigns close (observatory.models.REMINDER_DAYS). Idempotent: run it daily (cron, timer)."""

from django.core.management.base import BaseCommand

from observatory import services


class Command(BaseCommand):
    help = (
        "Relance les coordinateurs des pôles dont le rapport à l'observatoire n'est pas transmis."
    )

    def handle(self, *args, **options):
        sent = services.reminders_send()
        self.stdout.write(f"observatory: {sent} relance(s) envoyée(s)")
