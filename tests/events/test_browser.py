"""Browser journey: register for an upcoming day, confirm from the e-mail, cancel through the
link."""

import re

import pytest
from django.core import mail

from events.models import Registration

from .conftest import make_poles
from .factories import EventFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_receive_email_and_cancel(page, live_server, axe_check):
    from events import seed

    make_poles()
    seed.run()
    EventFactory(title="Troisième journée nationale (test)", capacity=5)

    page.goto("/journees/")
    axe_check(page)
    page.get_by_role("link", name="Troisième journée nationale (test)").click()
    page.get_by_role("link", name="S'inscrire").click()

    # A malformed e-mail first: a French error, nothing written.
    page.get_by_label("Prénom").fill("Dominique")
    page.locator("#id_last_name").fill("Testeur")
    page.get_by_label("Adresse e-mail").fill("dominique@@exemple")
    page.get_by_label("Vous venez en tant que").select_option("researcher")
    page.get_by_role("button", name="M'inscrire").click()
    assert (
        page.locator("#id_email_error")
        .get_by_text("Cette adresse e-mail n'est pas valide")
        .is_visible()
    )
    assert Registration.objects.count() == 0
    axe_check(page)

    page.get_by_label("Adresse e-mail").fill("dominique.testeur@exemple.fr")
    page.get_by_label("Besoins d'accessibilité (facultatif)").fill("Boucle magnétique")
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_role("heading", name="Vérifiez votre messagerie").wait_for()
    axe_check(page)

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING
    assert registration.accessibility_needs == "Boucle magnétique"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dominique.testeur@exemple.fr"]
    link = re.search(r"https?://\S+/inscription/\S+/", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    page.goto(path)
    axe_check(page)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    page.get_by_text("Votre inscription est confirmée").wait_for()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert mail.outbox[-1].attachments[0][0].endswith(".ics")

    page.goto(path)
    page.get_by_role("button", name="Annuler mon inscription").click()
    page.get_by_role("heading", name="Annuler votre inscription ?").wait_for()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED  # one click asks first
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    page.get_by_text("Votre inscription est annulée").wait_for()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "annulée" in mail.outbox[-1].subject

    page.goto("/journees/journee-nationale-2014/")
    assert page.get_by_role("heading", name="Deuxième journée nationale des PTCE").is_visible()
    axe_check(page)
