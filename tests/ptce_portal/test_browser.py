"""Headless Chromium: accessibility of the entry pages, and the signup journey."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_login_and_signup_have_no_serious_accessibility_violation(page, axe_check):
    for path, heading in (
        ("/", "Les Pôles Territoriaux de Coopération Économique"),
        ("/compte/login/", "Se connecter"),
        ("/compte/signup/", "Créer un compte"),
    ):
        page.goto(path)
        assert page.locator("h1").first.inner_text().strip() == heading
        assert page.get_attribute("html", "lang") == "fr"
        axe_check(page)


def test_skip_link_reaches_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")


def test_signup_journey(page, mailoutbox):
    page.goto("/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Adresse e-mail").fill("coordination@pole-exemple.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("Coop-Territoire-2014")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/compte/confirm-email/")

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/compte/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.wait_for_url("**/mon-espace/")
    assert "coordination@pole-exemple.fr" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Mon espace").is_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.locator(".main-nav").get_by_role("link", name="Se connecter").is_visible()
