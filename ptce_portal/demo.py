"""What every app's demo data shares (`seed_ptce --demo`): demo data is fictitious and says
so, « (démo) » in names and titles, addresses at exemple.org."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEMO_MARK = "(démo)"
DEMO_DOMAIN = "exemple.org"
# ARCEP reserves 04 65 71 xx xx for fiction: this number reaches nobody.
FICTION_PHONE = "04 65 71 00 00"


def demo_user(email: str, first_name: str, last_name: str, *, password: str | None = None):
    """A demo account with a verified e-mail (the portal requires verification to log in);
    without `password`, an account nobody can log in with."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if password:
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
