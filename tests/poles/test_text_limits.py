"""Free text has a length limit, checked by the forms (a French message) and by the
database (a constraint no other path can pass)."""

import pytest
from django.db import IntegrityError, connection, transaction

from poles.models import Pole
from ptce_portal import text_limits
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory
from tests.poles.test_coordinators import edit_payload

pytestmark = pytest.mark.django_db

# (table, constraint): every free text typed by someone other than staff, and the limit.
CONSTRAINTS = {
    ("poles_pole", "pole_description_length"),
    ("poles_polecoordinator", "pole_coordinator_message_length"),
    ("poles_polecoordinator", "pole_coordinator_refusal_reason_length"),
    ("poles_polerevision", "pole_revision_reason_length"),
    ("charter_signature", "signature_pole_contact_length"),
    ("charter_signature", "signature_refusal_reason_length"),
    ("events_registration", "registration_accessibility_needs_length"),
    ("referential_answer", "answer_comment_length"),
}


def test_the_database_holds_every_length_constraint():
    with connection.cursor() as cursor:
        present = {
            (table, name)
            for table, _name in CONSTRAINTS
            for name in connection.introspection.get_constraints(cursor, table)
        }
    assert present >= CONSTRAINTS


def test_the_database_refuses_a_description_too_long_whatever_the_path():
    pole = PoleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pole.objects.filter(pk=pole.pk).update(description="x" * (text_limits.DESCRIPTION + 1))
    Pole.objects.filter(pk=pole.pk).update(description="é" * text_limits.DESCRIPTION)  # fits


def test_the_edit_form_says_in_french_that_the_description_is_too_long(client):
    user = UserFactory()
    pole = PoleFactory()
    PoleCoordinatorFactory(pole=pole, user=user)
    client.login(email=user.email, password=DEFAULT_PASSWORD)
    too_long = "Une coopération. " * 400  # 6,799 characters once stripped
    response = client.post(
        f"/poles/{pole.slug}/modifier/", edit_payload(pole, description=too_long)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["description"]
    assert errors == [
        "Assurez-vous que cette valeur comporte au plus 5000 caractères (actuellement 6799)."
    ]
    assert 'maxlength="5000"' in response.content.decode()
    pole.refresh_from_db()
    assert pole.description != too_long
