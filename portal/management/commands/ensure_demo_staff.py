import os

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ptce_portal import demo
from ptce_portal.permissions import staff_group

DEFAULT_EMAIL = "equipe@labo-ess.example"
DEFAULT_PASSWORD = "demo-ptce-2014"
# Fixed second factor of the demo account, so that anyone can log in to the demo: the TOTP
# secret (type it into an authenticator app) and the seed of its recovery codes. Public on
# purpose: never run this command on a production database.
DEMO_TOTP_SECRET = demo.DEMO_TOTP_SECRET
DEMO_RECOVERY_SEED = "ptce-demo-19-septembre-2014-bercy"


def refuse_outside_a_demo() -> None:
    """The demo accounts have public passwords and a public second factor: refuse to create
    them on what looks like production (DEBUG off), unless the instance is declared a demo
    (DEMO_BANNER=1, which also marks every page as fictitious)."""
    if not (settings.DEBUG or settings.DEMO_BANNER):
        raise CommandError(
            "Données de démonstration refusées : DEBUG est désactivé, cette base ressemble à "
            "une production. Pour une instance de démonstration, définissez DEMO_BANNER=1."
        )


def demo_second_factor(user) -> list[str]:
    """Give `user` the demo TOTP authenticator and fresh demo recovery codes (allauth's own
    authenticators, replacing any previous ones); return the recovery codes."""
    Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).delete()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    codes = RecoveryCodes(
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0},
        )
    )
    return codes.generate_codes()


class Command(BaseCommand):
    help = (
        "Crée ou met à jour le compte d'équipe de démonstration (groupe de l'équipe, double "
        "authentification de démonstration) et affiche comment s'y connecter."
    )

    def handle(self, *args, **options):
        refuse_outside_a_demo()
        email = os.environ.get("DEMO_STAFF_EMAIL", DEFAULT_EMAIL)
        password = os.environ.get("DEMO_STAFF_PASSWORD", DEFAULT_PASSWORD)
        User = get_user_model()
        with transaction.atomic():
            user, _created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": "Équipe", "last_name": "Labo de l'ESS"},
            )
            user.is_staff = True
            user.is_superuser = False
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(staff_group())
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            codes = demo_second_factor(user)
        self.stdout.write(f"Compte d'équipe de démonstration : {email} / mot de passe : {password}")
        self.stdout.write(second_factor_help(codes))


def second_factor_help(codes: list[str]) -> str:
    return (
        "  authentification à deux facteurs : le code d'une application TOTP réglée avec la clé "
        f"{DEMO_TOTP_SECRET}, ou l'un de ces codes de récupération à usage unique (remis à neuf "
        f"à chaque seed_ptce --demo) : {' '.join(codes)}"
    )
