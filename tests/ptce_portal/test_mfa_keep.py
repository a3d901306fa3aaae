"""Staff must keep their second factor: /compte/2fa/ offers them no « Désactiver », and the
deactivation itself is refused with a French explanation (the middleware would otherwise ask
for a new one at once). Members who chose one may still deactivate it."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory


def sign_in_recently(client, user):
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_staff_cannot_deactivate_their_second_factor(client):
    staff = StaffFactory()
    sign_in_recently(client, staff)

    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("mfa_deactivate_totp") not in html
    assert "ne peut pas être désactivée" in html

    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200  # the form again, with the reason
    assert "doivent garder leur authentification à deux facteurs" in response.content.decode()
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


@pytest.mark.django_db
def test_a_member_may_deactivate_the_second_factor_they_chose(client):
    member = UserFactory()
    TOTP.activate(member, generate_totp_secret())
    sign_in_recently(client, member)

    assert reverse("mfa_deactivate_totp") in client.get(reverse("mfa_index")).content.decode()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member, type="totp").exists()
