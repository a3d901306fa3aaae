import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from charter import permissions, selectors, services
from charter.models import CharterItem, Signature
from poles.models import Pole, PoleCoordinator

from .conftest import signature_data
from .factories import PoleCoordinatorFactory, PoleFactory, SignatureFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Database constraints ---------------------------------------------------------------


def test_both_commitments_are_required_by_the_database(charter_version):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignatureFactory(version=charter_version, commitment_community=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignatureFactory(version=charter_version, commitment_build=False)


def test_one_active_signature_per_pole_and_version(charter_version):
    first = SignatureFactory(version=charter_version)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignatureFactory(version=charter_version, pole=first.pole)
    # A withdrawn or refused signature frees the pole to sign again.
    Signature.objects.filter(pk=first.pk).update(status="withdrawn")
    second = SignatureFactory(version=charter_version, pole=first.pole)
    Signature.objects.filter(pk=second.pk).update(status="refused", refusal_reason="Doublon")
    SignatureFactory(version=charter_version, pole=first.pole)
    assert Signature.objects.filter(pole=first.pole).count() == 3


def test_refused_needs_a_reason_and_validated_needs_a_date(charter_version):
    signature = SignatureFactory(version=charter_version)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(status="refused")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(status="validated")


def test_verification_codes_are_unguessable_and_well_formed(charter_version):
    codes = {SignatureFactory(version=charter_version).verification_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert selectors.normalize_code(code.lower()) == code
    signature = SignatureFactory(version=charter_version)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(verification_code="AAAA-BBBB-CCCC-DDDI")


# --- Submitting -------------------------------------------------------------------------


def test_submit_for_a_coordinated_pole_emails_signer_and_staff(
    charter_version, coordinator, staff, mailoutbox, django_capture_on_commit_callbacks
):
    pole = coordinator.coordinated_pole
    with django_capture_on_commit_callbacks(execute=True):
        signature = services.signature_submit(
            user=coordinator, data=signature_data(coordinator), pole=pole
        )
    assert signature.status == "submitted"
    assert signature.version == charter_version
    assert signature.pole_name == pole.name
    assert signature.signer == coordinator
    assert [m.to for m in mailoutbox] == [[coordinator.email], [staff.email]]
    assert signature.verification_code in mailoutbox[0].body
    assert "Pôle Coopération Rhône" in mailoutbox[1].subject


def test_the_signer_is_written_to_in_their_language_the_staff_in_french(
    charter_version, coordinator, staff, mailoutbox, django_capture_on_commit_callbacks
):
    pole = coordinator.coordinated_pole
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.signature_submit(user=coordinator, data=signature_data(coordinator), pole=pole)
    signer_mail, staff_mail = mailoutbox
    assert signer_mail.subject == f"[PTCE Portal] Charter signature recorded: {pole.name}"
    assert staff_mail.subject.startswith("[Portail PTCE] Nouvelle signature de la charte")


def test_a_second_submission_returns_the_existing_signature(charter_version, coordinator):
    pole = coordinator.coordinated_pole
    first = services.signature_submit(user=coordinator, data=signature_data(coordinator), pole=pole)
    with pytest.raises(services.SignatureExists) as exc:
        services.signature_submit(user=coordinator, data=signature_data(coordinator), pole=pole)
    assert exc.value.signature == first
    assert Signature.objects.count() == 1


def test_submit_for_a_pole_not_coordinated_is_refused(charter_version, coordinator):
    other = PoleFactory()
    PoleCoordinatorFactory(pole=other, user=coordinator, status=PoleCoordinator.Status.REFUSED)
    with pytest.raises(PermissionDenied):
        services.signature_submit(user=coordinator, data=signature_data(coordinator), pole=other)
    assert not Signature.objects.exists()


def test_a_claimed_pole_is_signed_and_the_claim_approved_with_the_signature(
    charter_version, coordinator, staff
):
    """Sign once: the person who asked to coordinate a pole signs for it at once; staff
    validate both together."""
    claimed = PoleFactory(town="", address="", website="", maturity="existing")
    PoleCoordinatorFactory(pole=claimed, user=coordinator, status=PoleCoordinator.Status.REQUESTED)
    data = signature_data(
        coordinator,
        place="",
        signature_name="",
        pole_contact="",
        stage="in_creation",
        pole_address="3 place du Marché",
        pole_postcode="26150",
        pole_town="Die",
        pole_website="https://diois.exemple.org",
    )
    signature = services.signature_submit(user=coordinator, data=data, pole=claimed)
    assert signature.place == "Die"  # « Fait à » from the pole's town
    assert signature.signature_name == "Camille Durand"  # the names typed once
    assert "3 place du Marché" in signature.pole_contact and "26150 Die" in signature.pole_contact
    services.signature_validate(signature=signature, by=staff)
    claimed.refresh_from_db()
    assert claimed.coordinators.get(user=coordinator).status == PoleCoordinator.Status.APPROVED
    assert (claimed.address, claimed.postcode, claimed.town) == (
        "3 place du Marché",
        "26150",
        "Die",
    )
    assert claimed.website == "https://diois.exemple.org"
    assert claimed.maturity == "emerging"  # « en création » declared
    # The representative's personal e-mail and phone stay theirs: not the pole's contact.
    assert (claimed.contact_email, claimed.contact_phone) == ("", "")


def test_submit_requires_a_verified_email_of_the_signer(charter_version, coordinator):
    pole = coordinator.coordinated_pole
    data = signature_data(coordinator, representative_email="quelquun@ailleurs.fr")
    with pytest.raises(ValidationError) as exc:
        services.signature_submit(user=coordinator, data=data, pole=pole)
    assert "representative_email" in exc.value.message_dict
    unverified = UserFactory(verified=False)
    with pytest.raises(PermissionDenied):
        services.signature_submit(
            user=unverified, data=signature_data(unverified), new_pole_name="Nouveau pôle"
        )
    assert not Signature.objects.exists()


def test_submit_rejects_an_invalid_phone_and_saves_nothing(charter_version, coordinator):
    data = signature_data(coordinator, representative_phone="12")
    with pytest.raises(ValidationError):
        services.signature_submit(user=coordinator, data=data, new_pole_name="Pôle fantôme")
    # The pole proposed in the same transaction was rolled back with the signature.
    assert not Pole.objects.filter(name="Pôle fantôme").exists()
    assert not Signature.objects.exists()


def test_submit_without_commitments_is_refused(charter_version, coordinator):
    data = signature_data(coordinator, commitment_community=False)
    with pytest.raises(ValidationError):
        services.signature_submit(user=coordinator, data=data, pole=coordinator.coordinated_pole)
    assert not Signature.objects.exists()


# --- Deciding ---------------------------------------------------------------------------


def test_validating_a_new_pole_publishes_it_and_approves_its_coordinator(
    charter_version, staff, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    signature = services.signature_submit(
        user=user, data=signature_data(user), new_pole_name="  Pôle   des Communs  "
    )
    pole = signature.pole
    assert pole.name == "Pôle des Communs"
    assert not pole.is_published
    assert not permissions.can_manage_signature(user, signature)

    with django_capture_on_commit_callbacks(execute=True):
        services.signature_validate(signature=signature, by=staff)
    signature.refresh_from_db()
    pole.refresh_from_db()
    assert signature.status == "validated"
    assert signature.validated_by == staff and signature.validated_at
    assert signature.register_number == 1
    assert pole.is_published and pole.status == Pole.Status.SIGNATORY
    assert PoleCoordinator.objects.get(pole=pole, user=user).status == "approved"
    assert mailoutbox[-1].to == [user.email]
    assert signature.get_pdf_url() in mailoutbox[-1].body
    assert selectors.validated_signature_for_pole(pole) == signature


def test_refusing_needs_a_reason_and_emails_it(
    charter_version, coordinator, staff, mailoutbox, django_capture_on_commit_callbacks
):
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=coordinator.coordinated_pole
    )
    with pytest.raises(ValidationError):
        services.signature_refuse(signature=signature, by=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_refuse(signature=signature, by=staff, reason="Pôle en doublon.")
    signature.refresh_from_db()
    assert signature.status == "refused"
    assert "Pôle en doublon." in mailoutbox[-1].body
    # A refused signature cannot be validated, refused again or withdrawn afterwards.
    with pytest.raises(ValidationError, match="peut être validée"):
        services.signature_validate(signature=signature, by=staff)
    with pytest.raises(ValidationError, match="peut être refusée .*refusée"):
        services.signature_refuse(signature=signature, by=staff, reason="Encore.")
    with pytest.raises(ValidationError):
        services.signature_withdraw(signature=signature, by=coordinator)


def test_withdrawal_keeps_history_and_removes_signatory_status(charter_version, coordinator, staff):
    pole = coordinator.coordinated_pole
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=pole
    )
    services.signature_validate(signature=signature, by=staff)
    pole.refresh_from_db()
    assert pole.status == Pole.Status.SIGNATORY

    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.signature_withdraw(signature=signature, by=outsider)

    # A coordinator asks, with a reason; the pole stays a signatory until staff accept.
    with pytest.raises(ValidationError, match="motif du retrait"):
        services.signature_withdraw(signature=signature, by=coordinator, reason="  ")
    services.signature_withdraw(signature=signature, by=coordinator, reason="Le pôle se dissout.")
    signature.refresh_from_db()
    pole.refresh_from_db()
    assert signature.status == "validated" and signature.withdrawal_pending
    assert pole.status == Pole.Status.SIGNATORY
    with pytest.raises(PermissionDenied):
        services.signature_withdrawal_decide(signature=signature, by=coordinator, accept=True)
    services.signature_withdrawal_decide(signature=signature, by=staff, accept=True)
    signature.refresh_from_db()
    pole.refresh_from_db()
    assert signature.status == "withdrawn" and signature.withdrawn_by == staff
    assert signature.withdrawal_requested_by == coordinator
    assert pole.status == Pole.Status.ENGAGED
    assert selectors.validated_signature_for_pole(pole) is None
    with pytest.raises(ValidationError):  # a withdrawn signature is not reused
        services.signature_validate(signature=signature, by=staff)
    # The pole may sign again: a new signature, a new code.
    again = services.signature_submit(user=coordinator, data=signature_data(coordinator), pole=pole)
    assert again.pk != signature.pk and again.verification_code != signature.verification_code


def test_register_numbers_follow_validation_order(charter_version, staff):
    signatures = [SignatureFactory(version=charter_version) for _ in range(3)]
    for signature in reversed(signatures):
        services.signature_validate(signature=signature, by=staff)
    numbers = [Signature.objects.get(pk=s.pk).register_number for s in signatures]
    assert numbers == [3, 2, 1]


# --- Versions are frozen once signed -----------------------------------------------------


def test_version_text_is_frozen_once_signed(charter_version):
    section = charter_version.sections.get(order=2)
    item = CharterItem.objects.filter(section=section).first()
    services.charter_item_update(item=item, text=item.text)  # editable while unsigned
    SignatureFactory(version=charter_version)
    with pytest.raises(ValidationError):
        services.charter_item_update(item=item, text="Texte réécrit")
    with pytest.raises(ValidationError):
        services.charter_section_update(section=section, title="Autre titre")
    with pytest.raises(ValidationError):
        services.charter_version_update(version=charter_version, title="Autre charte")
    item.refresh_from_db()
    assert item.text != "Texte réécrit"


def test_a_new_version_copies_the_text_and_becomes_current(charter_version, coordinator, staff):
    signature = SignatureFactory(version=charter_version)
    services.signature_validate(signature=signature, by=staff)
    draft = services.charter_version_copy(version=charter_version)
    assert draft.number == 2 and not draft.is_published
    assert draft.sections.count() == charter_version.sections.count()
    services.charter_item_update(
        item=CharterItem.objects.filter(section__version=draft).first(), text="Nouvelle rédaction"
    )
    services.charter_version_publish(version=draft)
    charter_version.refresh_from_db()
    assert not charter_version.is_current
    assert selectors.current_version() == draft
    # The old signature stays attached to the version it signed.
    assert selectors.validated_signature_for_pole(signature.pole).version == charter_version


def test_admin_shows_a_signed_version_read_only(client, charter_version, staff):
    SignatureFactory(version=charter_version)
    client.force_login(staff)
    section = charter_version.sections.first()
    response = client.get(f"/admin/charter/chartersection/{section.pk}/change/")
    assert response.status_code == 200
    assert b'name="title"' not in response.content  # view-only
    response = client.post(
        f"/admin/charter/chartersection/{section.pk}/change/",
        {"version": charter_version.pk, "order": 1, "numeral": "I", "title": "Piraté"},
    )
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.title == "Préambule"
    response = client.get(f"/admin/charter/charterversion/{charter_version.pk}/change/")
    assert response.status_code == 200
    assert b'name="title"' not in response.content


def test_selectors_for_other_apps(charter_version, staff):
    import datetime

    day = datetime.date(2014, 9, 19)
    on_day = SignatureFactory(version=charter_version, signed_on=day)
    SignatureFactory(version=charter_version, signed_on=day)  # not validated
    services.signature_validate(signature=on_day, by=staff)
    found = list(selectors.validated_signatures_on(day))
    assert found == [on_day]
    assert found[0].pole.name
    signature = selectors.validated_signature_for_pole(on_day.pole)
    assert signature.signed_on == day
    assert signature.version.number == 1 and signature.version.title
    assert signature.verification_code == on_day.verification_code
    assert selectors.validated_signature_for_pole(PoleFactory()) is None


def test_countersignatures_can_be_added_to_a_signed_version_in_the_admin(
    client, charter_version, staff
):
    SignatureFactory(version=charter_version)
    client.force_login(staff)
    url = f"/admin/charter/charterversion/{charter_version.pk}/change/"
    existing = list(charter_version.countersignatures.all())
    data = {
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "countersignatures-TOTAL_FORMS": "1",
        "countersignatures-INITIAL_FORMS": "0",
        "countersignatures-0-order": "7",
        "countersignatures-0-organisation": "Région",
        "countersignatures-0-person": "",
        "countersignatures-0-role": "partenaire",
        "countersignatures-0-signed_on": "2015-01-15",
        "countersignatures-0-version": str(charter_version.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert charter_version.countersignatures.count() == len(existing) + 1


def test_a_new_pole_named_like_a_published_one_is_flagged_to_staff(
    charter_version, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAIL = "equipe@labo-ess.example"
    PoleFactory(name="Pôle Écoopération", is_published=True)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_submit(
            user=user, data=signature_data(user), new_pole_name="pole ecooperation"
        )
    (staff_mail,) = [
        m for m in mailoutbox if m.to == ["equipe@labo-ess.example"] and "doublon" in m.body
    ]
    assert "Pôle Écoopération (publié)" in staff_mail.body


def test_a_validation_made_by_mistake_is_undone(
    charter_version, staff, mailoutbox, django_capture_on_commit_callbacks
):
    """The new pole goes back to unpublished, the signer's request waits again, the pole's
    details are as they were, the signature waits for a decision; the signer is told."""
    user = UserFactory()
    data = signature_data(user, pole_town="Die", stage="in_creation")
    signature = services.signature_submit(user=user, data=data, new_pole_name="Pôle à défaire")
    pole = signature.pole
    before = (pole.town, pole.maturity, pole.website)
    services.signature_validate(signature=signature, by=staff)
    pole.refresh_from_db()
    assert pole.is_published and pole.status == Pole.Status.SIGNATORY
    assert pole.maturity == "emerging"
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_unvalidate(signature=signature, by=staff)
    signature.refresh_from_db()
    pole.refresh_from_db()
    assert signature.status == "submitted" and signature.register_number is None
    assert not pole.is_published and pole.status != Pole.Status.SIGNATORY
    assert pole.charter_signed_on is None
    assert (pole.town, pole.maturity, pole.website) == before
    assert pole.coordinators.get(user=user).status == PoleCoordinator.Status.REQUESTED
    assert any("Validation annulée" in m.subject for m in mailoutbox)
    # Undone once: nothing left to undo; validated again, it gets a register number again.
    with pytest.raises(ValidationError):
        services.signature_unvalidate(signature=signature, by=staff)
    with pytest.raises(PermissionDenied):
        services.signature_unvalidate(signature=signature, by=user)
    services.signature_validate(signature=signature, by=staff)
    signature.refresh_from_db()
    assert signature.status == "validated" and signature.register_number
