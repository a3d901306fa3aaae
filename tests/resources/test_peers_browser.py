"""Headless Chromium, the end of issue 16's resource journey: a pole offers help on an
objective; a coordinator whose closed self-assessment is weak there sees, on the results
page, the published resource filed under it and the pole that offered help, sends an
exchange request; the helper accepts from the link of its e-mail, and both receive each
other's address (the e-mails of the test outbox). Set PEERS_SCREENSHOTS to a directory to
keep screenshots of the pages at 1280 and 390 pixels."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from referential.seed import load_working_version
from resources.models import ExchangeRequest
from tests.browser import log_in

from .peers_helpers import closed_assessment, objective, pole_with_coordinator, published_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PEERS_SCREENSHOTS")


def shoot(page, name: str, element: str | None = None) -> None:
    if not SHOTS:
        return
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        path = str(Path(SHOTS) / f"{name}-{width}.png")
        if element:
            page.locator(element).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_weak_objective_resource_help_exchange_and_addresses(browser, live_server, axe_check):
    version = load_working_version()
    lacs, asker = pole_with_coordinator("Pôle des Lacs")
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    assessment = closed_assessment(
        pole=lacs, version=version, scores={"2.3": 0, "1.1": 1, "3.2": 2}, by=asker
    )
    weak = objective(version, "2.3")
    published_resource("Former les membres à la coopération", weak)

    def new_page():
        context = browser.new_context(locale="fr-FR", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    # 1. The helping pole says, from Mon espace, that it can help on 2.3.
    helping = new_page()
    log_in(helping, helper.email)
    helping.get_by_role("link", name="Demandes d'échange et offres d'aide de mes pôles").click()
    helping.get_by_role("link", name=re.compile("Proposer notre aide")).click()
    helping.get_by_label(re.compile(r"^2\.3\. ")).check()
    helping.locator(f"#id_note_{weak.pk}").fill("Nos ateliers de formation croisée")
    shoot(helping, "peers-offers")
    axe_check(helping)
    helping.get_by_role("button", name="Enregistrer").click()
    helping.get_by_text("Offres d'entraide de Pôle des Vallées enregistrées").wait_for()

    # 2. The weak pole's coordinator reads the results: the resource and the helping pole.
    asking = new_page()
    log_in(asking, asker.email)
    asking.goto(f"/referentiel/evaluations/{assessment.pk}/resultats/")
    block = asking.locator("section.peers-block")
    block.get_by_role("heading", name="Des pairs pour progresser").wait_for()
    card = block.locator("li.peers-objective").first
    assert "2.3" in card.locator("h3").inner_text()
    card.get_by_role("link", name="Former les membres à la coopération").wait_for()
    card.get_by_role("link", name="Pôle des Vallées", exact=True).wait_for()
    assert "Nos ateliers de formation croisée" in card.inner_text()
    assert helper.email not in asking.content()
    shoot(asking, "peers-results", "section.peers-block")
    axe_check(asking, context="section.peers-block")

    # 3. « Demander un échange »: no address anywhere before the answer.
    card.get_by_role("link", name=re.compile("Demander un échange")).click()
    asking.get_by_label("Votre message").fill(
        "Bonjour, nos membres aimeraient se former à la coopération : pourrions-nous en parler ?"
    )
    shoot(asking, "peers-exchange-new")
    axe_check(asking)
    asking.get_by_role("button", name="Envoyer la demande").click()
    asking.get_by_text("Demande envoyée à Pôle des Vallées").wait_for()
    assert helper.email not in asking.content() and asker.email not in asking.content()
    exchange = ExchangeRequest.objects.get()
    assert len(mail.outbox) == 1
    request_mail = mail.outbox[0]
    assert request_mail.to == [helper.email]
    assert asker.email not in request_mail.body + request_mail.subject
    link = re.search(r"https?://\S+/ressources/pairs/echanges/\d+/", request_mail.body).group(0)

    # 4. The helper opens the link of the e-mail and accepts.
    helping.goto(path_of(link))
    helping.get_by_role("heading", name=re.compile("Demande d'échange de Pôle des Lacs")).wait_for()
    assert asker.email not in helping.content()
    shoot(helping, "peers-exchange-open")
    axe_check(helping)
    helping.get_by_role("button", name="Accepter l'échange").click()
    helping.get_by_role("heading", name="Contacts").wait_for()
    assert asker.email in helping.content()
    shoot(helping, "peers-exchange-accepted")

    # 5. Both received the other's address.
    exchange.refresh_from_db()
    assert exchange.is_accepted
    after = {tuple(m.to): m for m in mail.outbox[1:]}
    assert set(after) == {(asker.email,), (helper.email,)}
    assert helper.email in after[(asker.email,)].body
    assert asker.email in after[(helper.email,)].body

    # The requester sees the contact too, on the results page's link and the request page.
    asking.goto(f"/referentiel/evaluations/{assessment.pk}/resultats/")
    asking.locator("section.peers-block").get_by_role(
        "link", name="Échange accepté : voir le contact"
    ).click()
    asking.get_by_role("heading", name="Contacts").wait_for()
    assert helper.email in asking.content()
    asking.goto("/ressources/pairs/")
    shoot(asking, "peers-home")
    axe_check(asking)


def test_the_requester_withdraws_and_staff_close_in_the_admin(browser, live_server, axe_check):
    """« Retirer la demande » through its confirmation page; the staff read the requests (the
    message included) in the admin and close an abusive one."""
    from resources import peers_selectors, peers_services
    from resources.models import HelpOffer
    from tests.factories import StaffFactory

    version = load_working_version()
    lacs, asker = pole_with_coordinator("Pôle des Lacs")
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    peers_services.help_offers_save(
        pole=vallees,
        by=helper,
        objectives=peers_selectors.help_objectives(),
        offers={objective(version, "2.3").pk: "Nos ateliers", objective(version, "1.1").pk: ""},
    )
    first, second = (
        peers_services.exchange_request_create(
            requester_pole=lacs,
            offer=HelpOffer.objects.get(objective__code=code),
            by=asker,
            message=f"Pourrions-nous échanger sur l'objectif {code} ?",
        )
        for code in ("2.3", "1.1")
    )
    mail.outbox.clear()

    def new_page():
        context = browser.new_context(locale="fr-FR", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    asking = new_page()
    log_in(asking, asker.email)
    asking.goto(f"/ressources/pairs/echanges/{first.pk}/")
    shoot(asking, "peers-exchange-withdrawable")
    asking.get_by_role("link", name="Retirer la demande").click()
    asking.get_by_role("heading", name="Retirer la demande d'échange ?").wait_for()
    shoot(asking, "peers-exchange-withdraw-confirm")
    axe_check(asking)
    asking.get_by_role("button", name="Retirer la demande").click()
    asking.get_by_text("Demande retirée : Pôle des Vallées en est informé.").wait_for()
    assert asking.get_by_role("link", name="Retirer la demande").count() == 0
    shoot(asking, "peers-exchange-withdrawn")
    first.refresh_from_db()
    assert first.status == ExchangeRequest.Status.WITHDRAWN
    assert [m.to for m in mail.outbox] == [[helper.email]]
    assert asker.email not in mail.outbox[0].body

    staff = StaffFactory()
    admin = new_page()
    log_in(admin, staff.email, totp_of=staff, landing="**/")
    admin.goto("/admin/resources/exchangerequest/?status__exact=open")
    admin.get_by_role("link", name=re.compile("Pôle des Lacs|\\d")).first.wait_for()
    shoot(admin, "peers-admin-requests")
    admin.goto(f"/admin/resources/exchangerequest/{second.pk}/change/")
    admin.get_by_text("Pourrions-nous échanger sur l'objectif 1.1 ?").wait_for()
    shoot(admin, "peers-admin-request")
    admin.goto("/admin/resources/exchangerequest/")
    admin.locator(f"input[name=_selected_action][value='{second.pk}']").check()
    admin.locator("select[name=action]").select_option("close")
    admin.locator("button[name=index], input[name=index]").first.click()
    admin.get_by_text("1 demande close.").wait_for()
    second.refresh_from_db()
    assert second.status == ExchangeRequest.Status.CLOSED and second.decided_by == staff
