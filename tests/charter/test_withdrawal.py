"""Withdrawing a validated signature: the coordinator gives a reason, staff decide, and the
pole stays a signatory until they accept; the founding signatures of 2014 alike."""

import pytest
from django.core.exceptions import ValidationError

from charter import services
from charter.models import Signature
from poles.models import Pole
from tests.factories import StaffFactory, UserFactory
from tests.poles.factories import PoleCoordinatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def founding(seeded_charter):
    """A pole that signed on 19 September 2014, its signature and an approved coordinator."""
    signature = (
        Signature.objects.filter(status=Signature.Status.VALIDATED, signer__isnull=True)
        .select_related("pole")
        .order_by("register_number")
        .first()
    )
    coordinator = UserFactory(email="coordination@pole-2014.exemple.fr")
    PoleCoordinatorFactory(pole=signature.pole, user=coordinator, status="approved")
    return signature, coordinator


def test_a_founding_signature_waits_for_staff_then_a_refusal_keeps_it(
    founding, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.STAFF_NOTIFICATION_EMAIL = "equipe@labo-ess.example"
    signature, coordinator = founding
    staff = StaffFactory()
    pole = signature.pole
    signed_on = pole.charter_signed_on
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_withdraw(
            signature=signature, by=coordinator, reason="Erreur de manipulation."
        )
    signature.refresh_from_db()
    pole.refresh_from_db()
    assert signature.status == "validated" and signature.withdrawal_pending
    assert pole.status == Pole.Status.SIGNATORY and pole.charter_signed_on == signed_on
    [notice] = mailoutbox
    assert notice.to == ["equipe@labo-ess.example"]
    assert pole.name in notice.subject and "/charte/validation/#retrait-" in notice.body
    assert "Erreur de manipulation." not in notice.body  # read on the portal, not mailed
    with pytest.raises(ValidationError, match="déjà demandé"):
        services.signature_withdraw(signature=signature, by=coordinator, reason="Encore.")

    with django_capture_on_commit_callbacks(execute=True):
        services.signature_withdrawal_decide(signature=signature, by=staff, accept=False)
    signature.refresh_from_db()
    pole.refresh_from_db()
    assert signature.status == "validated" and not signature.withdrawal_pending
    assert pole.status == Pole.Status.SIGNATORY
    assert mailoutbox[-1].to == [coordinator.email]
    assert "reste valide" in mailoutbox[-1].body
    with pytest.raises(ValidationError, match="Aucun retrait"):
        services.signature_withdrawal_decide(signature=signature, by=staff, accept=True)


def test_an_accepted_withdrawal_takes_the_founding_pole_off_the_signatories(founding, client):
    signature, coordinator = founding
    services.signature_withdraw(signature=signature, by=coordinator, reason="Le pôle cesse.")
    services.signature_withdrawal_decide(signature=signature, by=StaffFactory(), accept=True)
    signature.pole.refresh_from_db()
    assert signature.pole.status != Pole.Status.SIGNATORY
    assert signature.pole.name not in client.get("/charte/signataires/").content.decode()


def test_the_withdrawal_reason_has_a_length_limit(founding):
    signature, coordinator = founding
    with pytest.raises(ValidationError):
        services.signature_withdraw(signature=signature, by=coordinator, reason="x" * 2001)
    signature.refresh_from_db()
    assert not signature.withdrawal_pending
