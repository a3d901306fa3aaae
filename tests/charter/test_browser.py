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
    """Sign once: from the home page to a submitted signature, sign-up and e-mail confirmation
    included, in at most 6 page loads, typing no value twice; the pole is created with the
    signature and, once staff validate, shows what the signature held."""
    seed_version_1()
    DepartmentFactory(code="26", name="Drôme", chef_lieu="Valence", latitude=44.93, longitude=4.89)
    staff = StaffFactory(email="equipe@labo-ess.example")

    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    typed = []

    def fill(locator, value):
        typed.append(value)
        locator.fill(value)

    page.goto("/")  # 1
    page.get_by_role("link", name="Signer la charte pour votre pôle").click()
    page.wait_for_url("**/compte/signup/**")  # 2
    fill(page.get_by_label("Adresse e-mail"), "claire.martin@diois-coop.fr")
    fill(page.get_by_label(re.compile(r"^Mot de passe\W*$")), "Coop-Territoire-2014")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/compte/confirm-email/")  # 3
    assert page.get_by_role("button", name="Renvoyer l'e-mail de confirmation").is_visible()
    link = re.search(r"https?://\S+/compte/confirm-email/\S+", mailoutbox[-1].body).group(0)
    page.goto(link)  # 4: the link confirms, signs in and goes on to the charter's form
    page.wait_for_url("**/charte/signer/")

    page.get_by_label("Un nouveau pôle").check()
    fill(page.get_by_label("Intitulé du nouveau PTCE"), POLE)
    page.get_by_label("Département du nouveau pôle").select_option(label="Drôme (26)")
    fill(page.get_by_label("Adresse du PTCE"), "Place de l'Évêché")
    fill(page.get_by_label("Code postal"), "26150")
    fill(page.get_by_label("Commune"), "Die")
    fill(page.get_by_label("Site web du PTCE"), "https://diois-coop.exemple.org")
    # The e-mail is the account's: nothing to type.
    assert page.get_by_label("Courriel").input_value() == "claire.martin@diois-coop.fr"
    fill(page.get_by_label(re.compile(r"^Nom\W*$")), "Martin")
    fill(page.get_by_label("Prénom"), "Claire")
    fill(page.get_by_label("Téléphone"), "04.75.22.00.00")
    page.get_by_label("engagé dans le processus de création").check()
    page.get_by_label("affirmons notre volonté").check()
    page.get_by_label("nous engageons à participer").check()
    page.get_by_label("J'accepte que la signature du pôle").check()
    axe_check(page)
    page.get_by_role("button", name="Relire avant de signer").click()
    page.wait_for_load_state()  # 5

    # Preview: the filled charter, nothing saved yet; « Fait à » and the signature line
    # come from what was typed once.
    assert "Relisez la charte remplie" in page.locator("h1").inner_text()
    preview = page.locator("main").inner_text()
    assert POLE in preview and "MARTIN Claire" in preview and "04 75 22 00 00" in preview
    assert "Claire Martin signe la charte" in preview and "Die" in preview
    assert not Signature.objects.exists()
    page.get_by_role("button", name="Je confirme et je signe").click()
    page.wait_for_url("**/charte/signatures/*/")  # 6
    assert "en attente de validation" in page.locator("main").inner_text()
    assert len(loads) <= 6, loads
    assert len(typed) == len(set(typed)), f"typed twice: {typed}"
    signature = Signature.objects.select_related("pole", "signer").get()
    assert signature.pole.name == POLE and not signature.pole.is_published
    assert signature.place == "Die" and signature.signature_name == "Claire Martin"
    assert (signature.signer.first_name, signature.signer.last_name) == ("Claire", "Martin")
    assert any(m.to == ["claire.martin@diois-coop.fr"] for m in mailoutbox)

    # Staff validates on the staff page, in their own browser session.
    staff_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    staff_page = staff_context.new_page()
    log_in(staff_page, staff.email, totp_of=staff)
    staff_page.goto("/charte/validation/")
    card = staff_page.locator(f"#sig-{signature.pk}")
    card_text = card.inner_text()
    assert "Drôme (26)" in card_text and "Die" in card_text  # where the pole is
    assert card.get_by_role("link", name="Lire la charte remplie et signée").count() == 1
    card.get_by_role("button", name=f"Valider la signature de {POLE}").click()
    # Validating publishes the pole: asked once more.
    assert "sera publié" in staff_page.locator("main").inner_text()
    assert not Pole.objects.get(name=POLE).is_published
    staff_page.get_by_role("button", name="Oui, valider et publier").click()
    staff_page.wait_for_url("**/charte/validation/*")
    assert "validée" in staff_page.locator(".messages").inner_text()
    staff_context.close()

    pole = Pole.objects.get(name=POLE)
    assert pole.is_published and pole.status == Pole.Status.SIGNATORY
    assert any("validée" in m.subject for m in mailoutbox)

    # The pole's page shows what the signature held, and the declared maturity.
    page.goto(pole.get_absolute_url())
    pole_page = page.locator("main").inner_text()
    assert "Place de l'Évêché" in pole_page and "Die (26150)" in pole_page
    assert "https://diois-coop.exemple.org" in pole_page
    assert "Pôle émergent" in pole_page and "Pôle existant" not in pole_page

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
