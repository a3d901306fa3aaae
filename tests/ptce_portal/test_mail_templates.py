"""Every notification e-mail exists in French and in English.

Each text template under */email/ (subjects and bodies; partials starting with "_" are
rendered through the templates that include them) is rendered with a realistic context in
French and in English: both render, and the English text differs from the French one.
This test depends on the English catalogue (locale/en): a string of an e-mail template left
untranslated makes it fail."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ptce_portal.mail import _render_text

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates"] + [
    ROOT / app / "templates" for app in ("ptce_portal", "poles", "charter", "referential", "events")
]
# allauth's layout of the account e-mails (rendered through base_message.txt).
NOT_NOTIFICATIONS = {"account/email/base_message.txt"}


def notification_templates() -> list[str]:
    names = set()
    for directory in TEMPLATE_DIRS:
        for path in directory.glob("**/email/*.txt"):
            name = path.relative_to(directory).as_posix()
            if not path.name.startswith("_") and name not in NOT_NOTIFICATIONS:
                names.add(name)
    return sorted(names)


SIGNATURE = {
    "pole_name": "Pôle Coopération Rhône",
    "version": {"number": 1, "title": "Charte de la démarche collective PTCE"},
    "pole": {"is_published": False},
    "representative_first_name": "Camille",
    "representative_last_name": "Durand",
    "representative_email": "camille@exemple.fr",
    "refusal_reason": "Le bloc de signature est incomplet.",
    "withdrawn_by": "Camille Durand",
    "verification_code": "K7Q2-9XWD",
    "get_absolute_url": "/charte/signatures/12/",
    "get_pdf_url": "/charte/signatures/12/pdf/",
    "get_verification_url": "/charte/verifier/K7Q2-9XWD/",
}
EVENT = {
    "title": "Journée nationale des PTCE",
    "date": datetime.date(2014, 9, 19),
    "start_time": datetime.time(9, 30),
    "end_time": datetime.time(17, 0),
    "venue": "Ministère de l'Économie (Bercy)",
    "address": "139 rue de Bercy",
    "city": "Paris",
    "is_demo": False,
}
POLE = {"name": "Le Damier"}
CONTEXT = {
    "site_url": "https://portail-ptce.fr",
    # charter
    "signature": SIGNATURE,
    # events
    "event": EVENT,
    "registration": {
        "first_name": "Camille",
        "accessibility_needs": "Accès en fauteuil roulant",
        "get_status_display": "confirmée",
        "confirm_by": datetime.datetime(2026, 12, 24, 12, 0, tzinfo=datetime.UTC),
    },
    "manage_url": "https://portail-ptce.fr/journees/inscription/abc/",
    "event_url": "https://portail-ptce.fr/journees/2014/",
    # poles
    "pole": POLE,
    "pole_url": "https://portail-ptce.fr/poles/le-damier/",
    "dashboard_url": "https://portail-ptce.fr/mon-espace/",
    "coordination": {"pk": 3, "user": {"email": "camille@exemple.fr"}, "message": "Bonjour"},
    "new_pole": True,
    "reason": "Ce pôle a déjà une coordinatrice.",
    "revision": {"pk": 5, "status": "applied", "reason": ""},
    # referential
    "invitation": {
        "name": "Jeanne",
        "expires_at": datetime.datetime(2026, 12, 24, 12, 0, tzinfo=datetime.UTC),
    },
    "url": "https://portail-ptce.fr/referentiel/invitation/xyz/",
    # accounts (allauth) and personal data
    "email": "camille@exemple.fr",
    "user": {"email": "camille@exemple.fr"},
    "activate_url": "https://portail-ptce.fr/compte/confirm-email/abc/",
    "password_reset_url": "https://portail-ptce.fr/compte/password/reset/key/abc/",
    "current_site": {"name": "Portail des PTCE", "domain": "portail-ptce.fr"},
}


def test_the_notification_templates_are_found():
    names = notification_templates()
    for expected in (
        "charter/email/validated.txt",
        "charter/email/refused_subject.txt",
        "poles/email/coordination_approved.txt",
        "referential/email/invitation.txt",
        "events/email/confirmation.txt",
        "account/email/email_confirmation_signup_message.txt",
        "account/email/password_reset_key_message.txt",
    ):
        assert expected in names


@pytest.mark.parametrize("template_name", notification_templates())
def test_each_notification_in_french_and_in_english(template_name):
    rendered = {}
    for language in ("fr", "en"):
        with translation.override(language):
            rendered[language] = _render_text(template_name, dict(CONTEXT)).strip()
    assert rendered["fr"], f"{template_name} renders nothing"
    assert "{{" not in rendered["fr"] and "{%" not in rendered["fr"]
    assert rendered["en"] != rendered["fr"], (
        f"{template_name}: the English e-mail is the French one (untranslated):\n{rendered['en']}"
    )
