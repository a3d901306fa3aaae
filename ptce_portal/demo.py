"""What every app's demo data shares (`seed_ptce --demo`): demo data is fictitious and says
so, « (démo) » in names and titles, addresses at exemple.org."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEMO_MARK = "(démo)"
DEMO_DOMAIN = "exemple.org"
# Fixed second factor of the demo accounts that need one (staff, a regional coordination), so
# that anyone can log in to the demo: type it into an authenticator app. Public on purpose.
DEMO_TOTP_SECRET = "PTCEDEMOLABOESSBERCYSEPTEMBRE234"
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


def demo_totp(user) -> None:
    """Give `user` the demo TOTP authenticator (DEMO_TOTP_SECRET), replacing any other."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, DEMO_TOTP_SECRET)
