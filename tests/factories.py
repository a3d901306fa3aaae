import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEFAULT_PASSWORD = "un-mot-de-passe-solide-2014"


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose e-mail address is verified, as after allauth's confirmation."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.save()
        if extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    """A member of the Labo de l'ESS staff: `is_staff`, in the staff group (not superuser),
    with an activated TOTP authenticator (its secret in `user.totp_secret`) unless
    `StaffFactory(totp=False)`."""

    is_staff = True

    @factory.post_generation
    def staff_group(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            from ptce_portal.permissions import staff_group

            obj.groups.add(staff_group())

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        obj.totp_secret = None
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            obj.totp_secret = generate_totp_secret()
            TOTP.activate(obj, obj.totp_secret)


class FailedEmailFactory(factory.django.DjangoModelFactory):
    """An e-mail of the outbox that the mail server refused once (a staff queue's item)."""

    class Meta:
        model = "ptce_portal.OutgoingEmail"

    from_email = "portail@labo-ess.example"
    to = factory.LazyFunction(lambda: ["camille@exemple.fr"])
    subject = "Votre signature est validée"
    status = "failed"
    attempts = 1
    last_error = "Connection refused"


def activate_totp(user) -> None:
    """An authenticator app activated for `user` (its secret in `user.totp_secret`)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)


def totp_code(user) -> str:
    """The code a StaffFactory user's authenticator app shows now (allauth's own TOTP)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(user.totp_secret, counter))
