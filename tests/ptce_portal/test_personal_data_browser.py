"""Headless Chromium: the personal data notice, and deleting one's account from Mon espace
(keyboard-free path through the real forms, axe on each page)."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notice_and_account_deletion_journey(page, axe_check, mailoutbox):
    page.goto("/donnees-personnelles/")
    assert page.locator("h1").inner_text().strip() == "Données personnelles"
    axe_check(page)

    UserFactory(email="a-supprimer@exemple.fr", first_name="Lou")
    page.goto("/compte/login/")
    page.get_by_label("Adresse e-mail").fill("a-supprimer@exemple.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/mon-espace/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données (JSON)").first.click()
    assert download.value.suggested_filename.endswith(".json")

    page.get_by_role("link", name="Supprimer mon compte").click()
    page.wait_for_url("**/mon-espace/supprimer/")
    axe_check(page)
    page.get_by_label("Votre mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    assert "Mot de passe incorrect" in page.locator("main").inner_text()
    axe_check(page)
    assert get_user_model().objects.filter(email="a-supprimer@exemple.fr").exists()

    page.get_by_label("Votre mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert "Votre compte a été supprimé" in page.locator("main").inner_text()
    assert not get_user_model().objects.filter(email="a-supprimer@exemple.fr").exists()
    assert any(m.to == ["a-supprimer@exemple.fr"] for m in mailoutbox)
