"""The English version of the portal: a complete catalogue, and pages of every app in English.

French is the source language; a visitor who picks English in the footer form
(POST /i18n/setlang/) must get the whole interface in English. Stored data (pole names,
the charter text, quotes of the national days) stays as written.
"""

import html
import re
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.utils import translation

from ptce_portal.models import OutgoingEmail

ROOT = Path(__file__).resolve().parents[2]
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")
TAG = re.compile(r"<[^>]+>")


def english_catalogue() -> polib.POFile:
    return polib.pofile(str(EN_PO))


def test_every_msgid_of_the_english_catalogue_is_translated():
    po = english_catalogue()
    assert len(po) > 1000
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_english_translations_keep_placeholders_and_markup():
    for entry in english_catalogue().translated_entries():
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, english_text in pairs:
            assert sorted(PLACEHOLDER.findall(source)) == sorted(
                PLACEHOLDER.findall(english_text)
            ), entry.msgid
            assert sorted(TAG.findall(source)) == sorted(TAG.findall(english_text)), entry.msgid
            assert "«" not in english_text and "»" not in english_text, entry.msgid


def french_leftovers(page: str) -> list[str]:
    """Interface strings of the catalogue that a page still shows in French.

    A text node (or an accessible-name attribute) that is exactly a msgid means an
    interface string was not translated; stored data (names, the charter, quotes) never is.
    """
    page = re.sub(r"(?s)<code>.*?</code>", "", page)  # file formats: column names stay French
    nodes = {html.unescape(node).strip() for node in re.split(r"<[^>]+>", page)}
    nodes |= {
        html.unescape(value).strip()
        for value in re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    }
    return sorted(
        entry.msgid
        for entry in english_catalogue().translated_entries()
        if not entry.msgid_plural
        and entry.msgid != entry.msgstr
        and entry.msgid != "Français"  # the language menu names each language in itself
        and len(entry.msgid) > 3
        and entry.msgid in nodes
    )


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware leaves English active in the thread: later tests expect French."""
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


# (path, English strings the page must show, French interface strings it must not show)
PAGES = [
    ("/", ["What is a PTCE?", "Key figures", "Explore the portal"], ["Chiffres clés"]),
    (
        "/poles/",
        ["Directory of poles", "Filter the poles", "Apply the filters", "All regions"],
        ["Annuaire des pôles", "Toutes les régions"],
    ),
    (
        "/poles/le-damier/",
        ["Location", "Department", "Charter signatory", "Verify the signature", "Former region"],
        ["Localisation", "Département"],
    ),
    (
        "/carte/",
        ["Map of the poles that signed the charter", "Filter the map", "Embed code"],
        ["Filtrer la carte"],
    ),
    ("/charte/", ["Sign the charter", "What signing is not", "Print"], ["Signer la charte"]),
    (
        "/charte/signataires/",
        ["Poles that signed the charter", "Filter the list", "Lead organisation", "Region (2014)"],
        ["Structure porteuse", "Filtrer la liste"],
    ),
    (
        "/referentiel/",
        ["The PTCE action framework", "What is it for?", "General objectives"],
        ["À quoi sert-il ?", "Objectifs généraux"],
    ),
    ("/journees/", ["National PTCE days", "Past days"], ["Journées passées"]),
    (
        "/journees/journee-nationale-2014/",
        ["Programme", "Speakers", "Proceedings of the day (PDF)", "Charter signatures that day"],
        ["Intervenant·es", "Actes de la journée"],
    ),
    (
        "/donnees/",
        ["Open data of the PTCE directory", "Available formats", "Licence"],
        ["Formats disponibles"],
    ),
    (
        "/compte/login/",
        ["Sign in", "Why an account?", "Forgotten your password?"],
        ["Pourquoi un compte ?"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "english_texts", "french_texts"), PAGES, ids=[p[0] for p in PAGES]
)
def test_pages_of_every_app_are_in_english(
    seeded_portal, english, path, english_texts, french_texts
):
    response = english.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    page = response.content.decode()
    text = html.unescape(page)
    assert '<html lang="en">' in page
    # The shared layout: skip link, navigation, footer.
    for chrome in ("Skip to content", "Main navigation", "Legal notice", "Open data", "Language"):
        assert chrome in text, (path, chrome)
    for expected in english_texts:
        assert expected in text, (path, expected)
    for french in french_texts:
        assert french not in TAG.sub(" ", text), (path, french)
    assert french_leftovers(page) == [], path


@pytest.mark.django_db
def test_french_stays_the_default(seeded_portal, client):
    page = html.unescape(client.get("/poles/le-damier/").content.decode())
    assert "Localisation" in page and "Identity and territory" not in page


@pytest.mark.django_db
def test_a_form_error_is_in_english(seeded_portal, english):
    response = english.post("/compte/signup/", {"email": "pas-une-adresse"})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Enter a valid email address." in text
    assert "Saisissez une adresse" not in text


@pytest.mark.django_db
def test_the_sign_up_e_mail_is_in_english(
    seeded_portal, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        response = english.post(
            "/compte/signup/",
            {
                "email": "visitor@example.org",
                "password1": "a-long-pass-2014",
                "password2": "a-long-pass-2014",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[PTCE Portal] Confirm your e-mail address to activate your account"
    assert (
        "Here is your verification code" in message.body
        or "To confirm this address" in message.body
    )
    assert "This message was sent automatically; please do not reply to it." in message.body
    assert "Bonjour" not in message.body
    recorded = OutgoingEmail.objects.get(to=["visitor@example.org"])
    assert recorded.language == "en" and recorded.status == OutgoingEmail.Status.SENT
