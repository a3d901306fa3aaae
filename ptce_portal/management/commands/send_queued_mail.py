"""Send the e-mails that are due (never sent, or failed and due again), then delete old ones.

Run it from cron every few minutes (see README, "Production deployment"). Two runs at the same
time never send a message twice (row locks, skipped when taken)."""

from django.core.management.base import BaseCommand, CommandError

from ptce_portal.mail import RETENTION_DAYS, purge_old_mail, send_due_mail, undelivering_backend


class Command(BaseCommand):
    help = (
        "Send the queued e-mails that are due (pending, or failed with attempts left) and "
        f"delete sent ones older than {RETENTION_DAYS} days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="At most this many messages in this run."
        )
        parser.add_argument(
            "--no-purge", action="store_true", help="Do not delete old sent messages."
        )

    def handle(self, *args, limit=None, no_purge=False, verbosity=1, **options):
        backend = undelivering_backend()
        if backend:
            # Sending would mark the messages sent and lose them: leave them queued.
            raise CommandError(
                f"DEBUG is off and the mail backend is {backend}: no e-mail can be delivered, "
                "none was touched. Set the EMAIL_* settings (read the server's environment "
                "file: .env.example)."
            )
        if limit is not None and limit < 1:
            limit = None
        sent, failed = send_due_mail(limit=limit)
        deleted = 0 if no_purge else purge_old_mail()
        if verbosity >= 1:
            self.stdout.write(
                f"{sent} e-mail(s) sent, {failed} failed (retried later), "
                f"{deleted} old one(s) deleted."
            )
