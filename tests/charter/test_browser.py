"""Headless Chromium: the whole signing journey of a new pole, and accessibility."""

import re
import subprocess

import pytest

from charter.models import Signature
from charter.seed import seed_version_1
from poles.models import Pole
from tests.browser import log_in
from tests.factories import StaffFactory
from tests.poles.factories import DepartmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLE = "Pôle Coopérations du Diois"


def test_a_new_user_signs_for_a_new_pole_staff_validates_pdf_and_verification(
    page, browser, live_server, mailoutbox, axe_check, tmp_path
):
    seed_version_1()
    DepartmentFactory(code="26", name="Drôme", chef_lieu="Valence", latitude=44.93, longitude=4.89)
    staff = StaffFactory(email="equipe@labo-ess.example")

    # Sign up and verify the e-mail address.
    page.goto("/compte/signup/")
    page.get_by_label("Adresse e-mail").fill("claire.martin@diois-coop.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("Coop-Territoire-2014")
    page.get_by_label("Mot de passe, une seconde fois").fill("Coop-Territoire-2014")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/compte/confirm-email/")
    link = re.search(r"https?://\S+/compte/confirm-email/\S+", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url("**/mon-espace/")

    # Read the charter, then sign it for a new pole.
    page.goto("/charte/")
    axe_check(page)
    page.get_by_role("link", name="Signer pour mon pôle").click()
    page.wait_for_url("**/charte/signer/")
    page.get_by_label("Un nouveau pôle").check()
    page.get_by_label("Intitulé du nouveau PTCE").fill(POLE)
    page.get_by_label("Département du nouveau pôle").select_option(label="Drôme (26)")
    page.get_by_label("Commune du nouveau pôle").fill("Die")
    page.get_by_label("Coordonnées du PTCE").fill("Place de l'Évêché, 26150 Die")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Martin")
    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label("Courriel").fill("claire.martin@diois-coop.fr")
    page.get_by_label("Téléphone").fill("04.75.22.00.00")
    page.get_by_label("déjà constitué en PTCE").check()
    page.get_by_label("affirmons notre volonté").check()
    page.get_by_label("nous engageons à participer").check()
    page.get_by_label("Fait à").fill("Die")
    page.get_by_label("Signature : votre nom complet").fill("Claire Martin")
    page.get_by_label("J'accepte que la signature du pôle").check()
    axe_check(page)
    page.get_by_role("button", name="Relire avant de signer").click()

    # Preview: the filled charter, nothing saved yet.
    assert "Relisez la charte remplie" in page.locator("h1").inner_text()
    preview = page.locator("main").inner_text()
    assert POLE in preview and "MARTIN Claire" in preview and "04 75 22 00 00" in preview
    assert not Signature.objects.exists()
    page.get_by_role("button", name="Je confirme et je signe").click()
    page.wait_for_url("**/charte/signatures/*/")
    assert "en attente de validation" in page.locator("main").inner_text()
    signature = Signature.objects.select_related("pole").get()
    assert signature.pole.name == POLE and not signature.pole.is_published
    assert any(m.to == ["claire.martin@diois-coop.fr"] for m in mailoutbox)

    # Staff validates on the staff page, in their own browser session.
    staff_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    staff_page = staff_context.new_page()
    log_in(staff_page, staff.email, totp_of=staff)
    staff_page.goto("/charte/validation/")
    staff_page.get_by_role("button", name=f"Valider la signature de {POLE}").click()
    staff_page.wait_for_url("**/charte/validation/*")
    assert "validée" in staff_page.locator(".messages").inner_text()
    staff_context.close()

    pole = Pole.objects.get(name=POLE)
    assert pole.is_published and pole.status == Pole.Status.SIGNATORY
    assert any("validée" in m.subject for m in mailoutbox)

    # The pole shows among the signatories and on the map's list.
    page.goto("/charte/signataires/")
    assert page.get_by_role("rowheader", name=POLE).is_visible()
    axe_check(page)
    page.goto("/carte/")
    assert page.locator(".map-pole-list").get_by_role("link", name=POLE).count() == 1

    # The signed PDF downloads; its text holds the pole, the signer and the code.
    page.goto(signature.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la charte signée (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"charte-ptce-v1-{pole.slug}.pdf"
    path = tmp_path / "charte.pdf"
    download.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert POLE in text
    assert "Claire Martin" in text and "MARTIN Claire" in text
    assert signature.verification_code in text

    # Anyone can check it.
    page.context.clear_cookies()
    page.goto(f"/charte/verifier/{signature.verification_code}/")
    assert "Signature valide" in page.locator(".verdict").inner_text()
    axe_check(page)
