"""`staff_member reset-2fa` and `remove` sign the account out everywhere: whoever holds the
password and a session cannot enrol their own second factor, nor keep staff pages open."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client

from tests.factories import StaffFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["reset-2fa", "remove"])
def test_the_command_ends_the_sessions_of_the_account(client, action):
    staff = StaffFactory()
    other = UserFactory()
    client.force_login(staff)
    assert client.get("/mon-espace/").status_code == 200
    bystander = Client()
    bystander.force_login(other)

    call_command("staff_member", action, staff.email)

    if action == "reset-2fa":
        assert not Authenticator.objects.filter(user=staff).exists()
    response = client.get("/mon-espace/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert bystander.get("/mon-espace/").status_code == 200  # other accounts stay signed in
