"""Headless Chromium: a coordinator proposes a resource with a PDF filed under a principal
objective; staff publish it; a visitor finds it by searching without accents and downloads
the file."""

import pytest

from referential.seed import load_working_version
from resources.demo import tiny_pdf
from resources.models import Resource
from tests.browser import log_in
from tests.factories import StaffFactory, UserFactory
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Fiche d'expérience : la coopération entre maraîchers et cantines"


def test_propose_publish_find_without_accents_and_download(
    page, browser, live_server, mailoutbox, axe_check
):
    version = load_working_version()
    objective = version.principal_objectives.order_by("general__position", "position").first()
    pole = PoleFactory(name="Pôle des Coteaux coopératifs")
    coordinator = UserFactory(email="camille@coteaux-coop.fr")
    PoleCoordinatorFactory(pole=pole, user=coordinator)
    staff = StaffFactory(email="equipe@labo-ess.example")

    # The coordinator proposes the resource from the resource centre.
    log_in(page, coordinator.email)
    page.goto("/ressources/")
    page.get_by_role("link", name="Proposer une ressource").first.click()
    page.wait_for_url("**/ressources/proposer/")
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("fiche d'expérience").check()
    page.get_by_label("Résumé").fill(
        "Quatre cantines servies par les maraîchers du territoire : étapes et chiffres."
    )
    page.get_by_label("Texte").fill("Une légumerie associative et une plateforme de commandes.")
    page.get_by_label(str(objective)).check()
    # Its own pole is chosen already.
    assert page.get_by_label("Pôles concernés").evaluate(
        "select => Array.from(select.selectedOptions).map(o => o.textContent.trim())"
    ) == [pole.name]
    page.get_by_label("Fichiers joints").set_input_files(
        files=[{"name": "cantines.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf(TITLE)}]
    )
    axe_check(page)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url("**/ressources/fiche-dexperience-la-cooperation-*/")
    assert "Brouillon" in page.locator("main").inner_text()
    page.get_by_role("button", name="Soumettre pour publication").click()
    page.wait_for_load_state()
    assert "En attente de publication" in page.locator("main").inner_text()
    resource = Resource.objects.get()
    assert resource.status == "submitted" and list(resource.objectives.all()) == [objective]

    # Staff publish it from the moderation page.
    staff_context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    staff_page = staff_context.new_page()
    log_in(staff_page, staff.email, totp_of=staff)
    staff_page.goto("/ressources/moderation/")
    assert "cantines.pdf" in staff_page.locator(f"#res-{resource.pk}").inner_text()
    axe_check(staff_page)
    staff_page.get_by_role("button", name="Publier « Fiche d'expérience").click()
    staff_page.wait_for_url("**/ressources/moderation/")
    assert "est publiée" in staff_page.locator(".messages").inner_text()
    staff_context.close()
    assert any(coordinator.email in m.to and "publiée" in m.subject for m in mailoutbox)

    # A visitor finds it without typing the accents, and downloads the file.
    visitor = browser.new_context(locale="fr-FR", base_url=live_server.url)
    visitor_page = visitor.new_page()
    visitor_page.goto("/ressources/")
    visitor_page.get_by_label("Rechercher", exact=True).fill("cooperation maraichers")
    visitor_page.get_by_role("button", name="Rechercher").click()
    visitor_page.wait_for_url("**/ressources/?q=cooperation+maraichers")
    results = visitor_page.locator(".resource-list")
    assert "1 ressource" in visitor_page.locator("#results-title").inner_text()
    axe_check(visitor_page)
    results.get_by_role("link", name=TITLE).click()
    visitor_page.wait_for_url(f"**{resource.get_absolute_url()}")
    assert pole.name in visitor_page.locator(".resource-aside").inner_text()
    axe_check(visitor_page)
    with visitor_page.expect_download() as download_info:
        visitor_page.get_by_role("link", name="cantines.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "cantines.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == tiny_pdf(TITLE)
    visitor.close()
