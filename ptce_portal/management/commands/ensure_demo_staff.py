import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEFAULT_EMAIL = "equipe@labo-ess.example"
DEFAULT_PASSWORD = "demo-ptce-2014"


class Command(BaseCommand):
    help = "Crée ou met à jour le compte d'équipe de démonstration et affiche ses identifiants."

    def handle(self, *args, **options):
        email = os.environ.get("DEMO_STAFF_EMAIL", DEFAULT_EMAIL)
        password = os.environ.get("DEMO_STAFF_PASSWORD", DEFAULT_PASSWORD)
        User = get_user_model()
        with transaction.atomic():
            user, _created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": "Équipe", "last_name": "Labo de l'ESS"},
            )
            user.is_staff = True
            user.is_superuser = True
            user.is_active = True
            user.set_password(password)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(f"Compte d'équipe de démonstration : {email} / mot de passe : {password}")
