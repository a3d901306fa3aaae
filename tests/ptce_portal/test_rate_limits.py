"""Every anonymous form that sends an e-mail is limited per client IP and per address, in the
shared cache, with the French 429 page (registration for a day: tests/events)."""

import pytest
from allauth.account import app_settings as account_settings

pytestmark = pytest.mark.django_db

# The anonymous forms that send e-mail, and the limits (allauth's actions, and the portal's
# own through ptce_portal.ratelimits) that hold them, per IP and per address (key).
ANONYMOUS_MAIL_FORMS = {
    "events:register": ("event_registration",),
    "account_signup": ("signup", "confirm_email"),  # a known address is told by e-mail
    "account_reset_password": ("reset_password",),
    "account_login": ("login", "confirm_email"),  # an unverified address gets its link again
}


def test_every_anonymous_form_that_sends_mail_is_limited_per_ip_and_per_address():
    rates = account_settings.RATE_LIMITS
    for form, actions in ANONYMOUS_MAIL_FORMS.items():
        limits = ",".join(rates.get(action) or "" for action in actions)
        assert "/ip" in limits, (form, limits)
        assert "/key" in limits or "s/key" in limits, (form, limits)


def test_a_burst_of_signups_from_one_client_is_answered_429(client):
    statuses = [
        client.post(
            "/compte/signup/",
            {
                "email": f"rafale{n}@exemple.fr",
                "password1": "Coop-Territoire-2014",
                "password2": "Coop-Territoire-2014",
            },
        ).status_code
        for n in range(30)
    ]
    assert statuses == [302] * 20 + [429] * 10
    refused = client.post("/compte/signup/", {"email": "encore@exemple.fr"})
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()


def test_a_burst_of_password_resets_for_one_address_is_answered_429(client):
    from tests.factories import UserFactory

    person = UserFactory(email="cible@exemple.fr")
    statuses = [
        client.post(
            "/compte/password/reset/",
            {"email": person.email},
            REMOTE_ADDR=f"192.0.2.{n}",  # from 30 clients: the per-address limit holds
        ).status_code
        for n in range(30)
    ]
    assert statuses == [302] * 5 + [429] * 25
