"""Headless Chromium: the journeys of issue 14 not walked elsewhere (the sign-once journey is
tests/charter/test_browser.py; respondents' confidentiality and the comment that survives
closing the tab are tests/referential/test_browser.py).

- a person claims an existing pole: the requester and staff are e-mailed;
- a charter's verification code typed by hand (no dashes, spaces, lower case) verifies."""

import re

import pytest

from charter.seed import seed_version_1
from ptce_portal.models import OutgoingEmail
from tests.browser import log_in
from tests.charter.factories import SignatureFactory
from tests.factories import StaffFactory, UserFactory
from tests.poles.factories import PoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_claim_of_an_existing_pole_emails_the_requester_and_staff(
    page, mailoutbox, settings, axe_check
):
    settings.STAFF_NOTIFICATION_EMAIL = ""  # one rule: every staff account with an address
    staff = StaffFactory(email="equipe@labo-ess.example")
    StaffFactory(email="")  # no address: not written to
    pole = PoleFactory(name="Pôle Coopérations du Vercors")
    person = UserFactory(email="lea.roux@vercors-coop.fr")

    log_in(page, person.email)
    page.goto(pole.get_absolute_url())
    page.get_by_role("link", name="Vous coordonnez ce pôle ? Demandez à gérer sa fiche.").click()
    page.wait_for_url(f"**/poles/{pole.slug}/coordonner/")
    axe_check(page)
    page.get_by_label("Votre rôle dans le pôle").fill("Je suis la chargée de mission du pôle.")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/mon-espace/")
    assert "Votre demande est envoyée" in page.locator(".messages").inner_text()

    # The requester: an acknowledgement that says what comes next.
    to_requester = [m for m in mailoutbox if m.to == [person.email]]
    assert len(to_requester) == 1
    assert "Pôle Coopérations du Vercors" in to_requester[0].body
    assert "vous recevrez un e-mail" in to_requester[0].body
    # Staff: the request, with the link to decide; every staff account that has an address.
    to_staff = [m for m in mailoutbox if m.to == [staff.email]]
    assert len(to_staff) == 1
    assert "lea.roux@vercors-coop.fr demande à coordonner" in to_staff[0].body
    assert re.search(r"https?://\S+/admin/poles/polecoordinator/\d+/change/", to_staff[0].body)
    assert len(mailoutbox) == 2
    # Both went through the outbox and were delivered.
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {
        OutgoingEmail.Status.SENT
    }

    # With the team's address set, staff mail goes there instead.
    settings.STAFF_NOTIFICATION_EMAIL = "ptce@labo-ess.example"
    other = PoleFactory(name="Pôle du Trièves")
    page.goto(f"/poles/{other.slug}/coordonner/")
    page.get_by_label("Votre rôle dans le pôle").fill("Co-présidente.")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/mon-espace/")
    assert [m.to for m in mailoutbox[2:]].count(["ptce@labo-ess.example"]) == 1
    assert [m.to for m in mailoutbox[2:]].count([person.email]) == 1


def test_a_verification_code_typed_by_hand_verifies(page, axe_check):
    from charter import services as charter_services

    signature = SignatureFactory(version=seed_version_1(), pole__name="Pôle Coopérations du Diois")
    signature = charter_services.signature_validate(signature=signature, by=StaffFactory())
    code = signature.verification_code
    assert "-" in code
    by_hand = [
        code.replace("-", ""),  # without dashes
        " ".join(code.replace("-", "").lower()[i : i + 4] for i in range(0, 16, 4)),
        f"  {code.lower()} ",
    ]
    for typed in by_hand:
        page.goto("/charte/verifier/")
        page.get_by_label("Code de vérification").fill(typed)
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_url(f"**/charte/verifier/{code}/")
        assert "Signature valide" in page.locator(".verdict").inner_text(), typed
        assert "Pôle Coopérations du Diois" in page.locator("main").inner_text()
    axe_check(page)

    # A code that is not one stays « inconnu », on the same form.
    page.goto("/charte/verifier/")
    wrong = code[:-1] + ("Z" if code[-1] != "Z" else "Y")
    page.get_by_label("Code de vérification").fill(wrong.replace("-", ""))
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("heading", name="Code de vérification inconnu").wait_for()
    assert "Signature valide" not in page.locator("main").inner_text()
