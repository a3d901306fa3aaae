"""One form pattern everywhere (ptce_portal/form_renderer.py): a form sent back with errors
puts « Erreur : » first in the page's title, shows a summary of the errors that takes the
focus, with a link to each field that puts the focus in it; each field marks « required »,
and its help text and errors are tied to the input by aria-describedby. Tried in Chromium on
the charter's signature form and on the account forms (allauth's, in the portal's words, in
French and in English)."""

import re

import pytest
from django.conf import settings

from charter.seed import seed_version_1
from tests.browser import log_in
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def assert_field_tied_to_its_error(page, field_id):
    """The input names its error (and help text) by aria-describedby, and says it is invalid."""
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{field_id}_error" in described
    assert page.locator(f"#{field_id}_error").inner_text().strip()


def assert_summary_focused_and_linked(page):
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert active_id(page) == "erreurs"  # static/ptce_portal/forms.js
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    # Each link leads to its field, and the focus goes into it.
    first = links.first
    target = first.get_attribute("href")[1:]
    first.click()
    assert active_id(page) == target
    return target


def test_charter_form_sent_empty_summary_focus_title_and_described_fields(page, axe_check):
    seed_version_1()
    coordination = PoleCoordinatorFactory(
        user=UserFactory(email="coordination@pole-formulaire.fr"), pole__status="engaged"
    )
    log_in(page, coordination.user.email)
    page.goto("/charte/signer/")
    assert not page.title().startswith("Erreur")
    # Required fields are marked (the asterisk is explained above the form).
    assert "astérisque (*)" in page.locator("form.sign-form").inner_text()
    assert page.locator("label[for='id_representative_phone'] .required").count() == 1
    assert page.locator("#id_representative_phone").get_attribute("required") is not None
    # Help text tied to its field before any error.
    assert "id_place_helptext" in page.locator("#id_place").get_attribute("aria-describedby")

    page.get_by_label("Téléphone").fill("")
    page.get_by_role("button", name="Relire avant de signer").click()
    page.wait_for_load_state()
    assert page.title().startswith("Erreur : Signer la charte")
    target = assert_summary_focused_and_linked(page)
    assert_field_tied_to_its_error(page, "id_representative_phone")
    # A group of choices is a fieldset named by its legend.
    legend = page.locator("fieldset.field-group:has(#id_stage_0) > legend")
    assert re.fullmatch(r"Le pôle est\W*", legend.inner_text().strip())
    assert target == "id_representative_phone"  # the first field in error, in the form's order
    axe_check(page)


def test_signup_errors_in_french_and_english(page, live_server, axe_check):
    UserFactory(email="deja-inscrite@exemple.fr")
    page.goto("/compte/signup/")
    page.get_by_label("Adresse e-mail").fill("nouvelle@exemple.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("court")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    assert page.title() == "Erreur : Créer un compte · Portail des PTCE"
    target = assert_summary_focused_and_linked(page)
    assert target == "id_password1"
    assert_field_tied_to_its_error(page, "id_password1")
    axe_check(page)

    # The same page in English: the portal's words, none of allauth's own.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto("/compte/signup/")
    text = page.locator("main").inner_text()
    assert "Create an account" in text
    for allauth_wording in ("Sign Up", "Password (again)", "Signup", "Email address"):
        assert allauth_wording not in text
    page.get_by_label("E-mail address").fill("new@example.org")
    page.get_by_label(re.compile(r"^Password\W*$")).fill("short")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: Create an account")
    assert assert_summary_focused_and_linked(page) == "id_password1"


def test_login_error_and_pages_in_the_portal_words(page):
    page.goto("/compte/login/")
    text = page.locator("main").inner_text()
    assert "Se connecter" in text and "Mot de passe oublié ?" in text
    page.get_by_label("Adresse e-mail").fill("personne@exemple.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill("pas-le-bon")
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.title() == "Erreur : Se connecter · Portail des PTCE"
    summary = page.locator("[data-error-summary]")
    assert active_id(page) == "erreurs"
    assert "adresse e-mail" in summary.inner_text().lower()
