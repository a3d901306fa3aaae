"""Delete the registration requests that were not confirmed from their e-mail in time.

They hold no seat (the pages already ignore them once expired): this removes what strangers
typed in them. Run it from the same timer as send_queued_mail (every few minutes is fine)."""

from django.core.management.base import BaseCommand

from events.services import registrations_expire


class Command(BaseCommand):
    help = "Delete registration requests not confirmed within their day's confirmation delay."

    def handle(self, *args, verbosity=1, **options):
        deleted = registrations_expire()
        if verbosity >= 1:
            self.stdout.write(f"{deleted} unconfirmed registration request(s) deleted.")
