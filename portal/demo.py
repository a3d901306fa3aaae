"""Demo data: fictitious, clearly marked, loaded only by `manage.py seed_ptce --demo`.

Production runs `seed_ptce` alone (real data). `make run` adds this layer so that the portal
is worth visiting: every person in it is fictitious, named « … (démo) », with an address at
exemple.org (or the demo staff account at labo-ess.example).

This module only orchestrates: it makes the demo staff account (`ensure_demo_staff`), then
runs each app's demo step (`<app>/demo.py`, declared in its contributions) in their order,
in one transaction, with the e-mails the services send swallowed (a dummy mailer: nobody
reads exemple.org), and prints what was made and how to log in. Every step is idempotent.
"""

import io
import os
from contextlib import contextmanager

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from portal.management.commands.ensure_demo_staff import (
    DEFAULT_EMAIL,
    DEFAULT_PASSWORD,
    second_factor_help,
)
from ptce_portal.contributions import DemoContext, steps

STAFF_WHO = "équipe du Labo de l'ESS (staff : files de validation, admin)"


@contextmanager
def _mail_swallowed():
    """The services e-mail on commit; demo addresses read nothing, so nothing is sent."""
    dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    with override_settings(MAILERS=dummy):
        yield


def staff_account() -> tuple[str, str, str]:
    """(who, e-mail, password) of the demo staff account."""
    return (
        STAFF_WHO,
        os.environ.get("DEMO_STAFF_EMAIL", DEFAULT_EMAIL),
        os.environ.get("DEMO_STAFF_PASSWORD", DEFAULT_PASSWORD),
    )


def _recovery_codes(user) -> list[str]:
    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(instance).get_unused_codes()


def load() -> DemoContext:
    """Everything, in the caller's transaction."""
    call_command("ensure_demo_staff", stdout=io.StringIO())
    who, email, password = staff_account()
    staff = get_user_model().objects.get(email=email)
    context = DemoContext(staff=staff, accounts=[(who, email, password)])
    for _app, step in steps("demo"):
        step.run(context)
    context.data["staff_recovery_codes"] = _recovery_codes(staff)
    return context


def run(*, stdout=None) -> DemoContext:
    with _mail_swallowed(), transaction.atomic():
        context = load()
    if stdout is not None:
        stdout.write("démo : " + " ; ".join(context.summary))
        stdout.write("")
        stdout.write("Comptes de démonstration (données fictives) :")
        for who, email, password in context.accounts:
            stdout.write(f"  {who} : {email} / mot de passe : {password}")
        stdout.write(second_factor_help(context.data["staff_recovery_codes"]))
    return context
