"""Answers typed with non-ASCII digits are refused with a message, never a 500."""

import pytest

from referential.models import Answer
from referential.services import ReferentialError, parse_choice

from .factories import AssessmentFactory, InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["²", "٣", "３", "0" * 5000 + "1"])
def test_parse_choice_refuses_non_ascii_digits(raw):
    with pytest.raises(ReferentialError):
        parse_choice(raw)


def test_autosave_with_a_superscript_digit_is_a_400(client, version, pole):
    invitation = InvitationFactory(assessment=AssessmentFactory(version=version, pole=pole))
    url = f"/referentiel/repondre/{invitation.token}/enregistrer/"
    response = client.post(url, {"code": "2.3.1", "choice": "²"})
    assert response.status_code == 400
    assert "hors de l'échelle" in response.json()["error"]
    assert not Answer.objects.filter(invitation=invitation).exists()
