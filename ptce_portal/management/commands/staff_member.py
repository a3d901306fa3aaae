from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ptce_portal.permissions import staff_group, staff_users
from ptce_portal.sessions import end_sessions


class Command(BaseCommand):
    help = (
        "Équipe du Labo de l'ESS : ajoute (add) ou retire (remove) un compte existant, liste "
        "(list) les comptes de l'équipe, ou efface l'authentification à deux facteurs d'un "
        "compte qui a perdu son application et ses codes de récupération (reset-2fa). Un "
        "compte ajouté active une application TOTP à sa prochaine connexion ; il n'est jamais "
        "superutilisateur."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "remove", "list", "reset-2fa"])
        parser.add_argument("email", nargs="?")

    def handle(self, *args, action, email=None, **options):
        if action == "list":
            for user in staff_users().order_by("email"):
                self.stdout.write(f"{user.email}\t{user.get_full_name()}")
            return
        if not email:
            raise CommandError("Indiquez l'adresse e-mail du compte.")
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(
                f"Aucun compte pour {email} : la personne crée d'abord son compte sur le portail "
                "(et confirme son adresse)."
            )
        with transaction.atomic():
            if action == "reset-2fa":
                deleted, _detail = Authenticator.objects.filter(user=user).delete()
                # Whoever is signed in with the account now (the password alone) must not
                # enrol their own application: every session ends, the owner signs in again.
                sessions = end_sessions(user)
                self.stdout.write(
                    f"{user.email} : {deleted} authentificateur(s) effacé(s), {sessions} "
                    "session(s) fermée(s). À sa prochaine connexion, le portail lui demande "
                    "d'activer une nouvelle application."
                )
                return
            if action == "add":
                if not user.is_active:
                    raise CommandError(f"Le compte {user.email} est désactivé.")
                user.is_staff = True
                user.save(update_fields=["is_staff"])
                user.groups.add(staff_group())
                self.stdout.write(
                    f"{user.email} fait partie de l'équipe. À sa prochaine connexion, le portail "
                    "lui demande d'activer une application d'authentification (TOTP)."
                )
            else:
                user.is_staff = False
                user.is_superuser = False
                user.save(update_fields=["is_staff", "is_superuser"])
                user.groups.remove(staff_group())
                sessions = end_sessions(user)
                self.stdout.write(
                    f"{user.email} ne fait plus partie de l'équipe ({sessions} session(s) "
                    "fermée(s))."
                )
