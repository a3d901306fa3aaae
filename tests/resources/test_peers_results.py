"""The peers' block of a results page (slot "referential.results"): for a closed
self-assessment, the pole's three weakest principal objectives with the published resources
filed under them and the other poles that offered help; for the pole's coordinators only.
And the peers' pages around it (offers, request, answer)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referential.seed import load_working_version
from resources import peers_selectors as selectors
from resources import peers_services as services
from resources.models import ExchangeRequest, HelpOffer, Resource
from tests.factories import UserFactory
from tests.referential.factories import InvitationFactory

from .peers_helpers import closed_assessment, objective, pole_with_coordinator, published_resource

pytestmark = pytest.mark.django_db

WEAK = {"1.1": 0, "2.3": 1, "3.2": 2}  # the others answered 3, and 1.2 answered 4


@pytest.fixture
def version(db):
    return load_working_version()


@pytest.fixture
def world(version):
    lacs, coordinator = pole_with_coordinator("Pôle des Lacs")
    assessment = closed_assessment(
        pole=lacs, version=version, scores={**WEAK, "1.2": 4}, by=coordinator
    )
    return {"pole": lacs, "coordinator": coordinator, "assessment": assessment}


def offer(version, pole, by, *codes, note=""):
    services.help_offers_save(
        pole=pole,
        by=by,
        objectives=selectors.help_objectives(),
        offers={objective(version, code).pk: note for code in codes},
    )


def results(client, user, assessment):
    client.force_login(user)
    response = client.get(reverse("referential:results", kwargs={"pk": assessment.pk}))
    assert response.status_code == 200
    return response.content.decode()


def block(page: str) -> str:
    match = re.search(r'<section class="peers-block".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_the_three_weakest_objectives_with_resources_and_helping_poles(client, version, world):
    published_resource("Former les membres à la coopération", objective(version, "1.1"))
    published_resource("Brouillon sur la coopération", objective(version, "1.1"), status="draft")
    published_resource("Gouvernance partagée", objective(version, "1.2"))  # a strong one
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1", "1.2", note="Nos outils de formation")
    hidden, hidden_coordinator = pole_with_coordinator("Pôle non publié", is_published=False)
    offer(version, hidden, hidden_coordinator, "1.1")
    offer(version, world["pole"], world["coordinator"], "2.3")  # its own offer

    section = block(results(client, world["coordinator"], world["assessment"]))
    assert section, "no peers' block on the results page"
    titles = [objective(version, c).title for c in ("1.1", "2.3", "3.2")]
    positions = [section.index(t) for t in titles]
    assert positions == sorted(positions), "weakest first"
    for code in ("1.2", "1.3", "2.1", "3.3"):
        assert objective(version, code).title not in section
    assert "Former les membres à la coopération" in section
    assert "Brouillon" not in section and "Gouvernance partagée" not in section
    assert "Pôle des Vallées" in section and "Nos outils de formation" in section
    assert "Pôle non publié" not in section
    assert "Pôle des Lacs" not in section  # never offered to itself
    offer_pk = HelpOffer.objects.get(pole=vallees, objective__code="1.1").pk
    assert (
        reverse("resources:exchange_new", kwargs={"slug": world["pole"].slug, "offer": offer_pk})
        in section
    )
    assert helper.email not in section


def test_nothing_for_an_open_assessment(client, version, world):
    from tests.referential.factories import AssessmentFactory

    opened = AssessmentFactory(pole=world["pole"], version=version)
    InvitationFactory(assessment=opened)
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1")
    page = results(client, world["coordinator"], opened)
    assert "Des pairs pour progresser" not in page
    assert "Pôle des Vallées" not in page


def test_respondents_do_not_see_the_block(client, version, world):
    respondent = UserFactory()
    InvitationFactory(assessment=world["assessment"], user=respondent, email=respondent.email)
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1")
    page = results(client, respondent, world["assessment"])
    assert "Résultats" in page and "Des pairs pour progresser" not in page


def test_a_sent_request_shows_instead_of_the_button(client, version, world):
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1")
    help_offer = HelpOffer.objects.get(pole=vallees)
    client.force_login(world["coordinator"])
    url = reverse(
        "resources:exchange_new", kwargs={"slug": world["pole"].slug, "offer": help_offer.pk}
    )
    assert "Demander un échange" in client.get(url).content.decode()
    response = client.post(url, {"message": "Bonjour, pourrions-nous échanger ?"})
    exchange = ExchangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:exchange", kwargs={"pk": exchange.pk})
    section = block(results(client, world["coordinator"], world["assessment"]))
    assert "en attente" in section
    assert url not in section
    # A second try is refused with a French message, nothing stored.
    client.force_login(world["coordinator"])
    again = client.post(url, {"message": "Encore ?"})
    assert again.status_code == 200
    assert "attend déjà la réponse" in again.content.decode()
    assert ExchangeRequest.objects.count() == 1
    # Withdrawn: the block says so (not « déclinée ») and offers the button again.
    client.post(reverse("resources:exchange_withdraw", kwargs={"pk": exchange.pk}))
    section = block(results(client, world["coordinator"], world["assessment"]))
    assert "Demande précédente : retirée par le pôle demandeur." in section
    assert "déclinée" not in section and url in section


def test_an_address_in_the_message_is_refused_on_the_form(client, version, world):
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1")
    client.force_login(world["coordinator"])
    url = reverse(
        "resources:exchange_new",
        kwargs={"slug": world["pole"].slug, "offer": HelpOffer.objects.get().pk},
    )
    response = client.post(url, {"message": "Écrivez-moi à lacs@exemple.fr"})
    assert response.status_code == 200
    assert "Retirez l&#x27;adresse e-mail du message" in response.content.decode()
    assert not ExchangeRequest.objects.exists()


def test_the_helper_answers_from_the_request_page(client, version, world):
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1")
    exchange = services.exchange_request_create(
        requester_pole=world["pole"],
        offer=HelpOffer.objects.get(),
        by=world["coordinator"],
        message="Bonjour",
    )
    url = reverse("resources:exchange", kwargs={"pk": exchange.pk})
    decide = reverse("resources:exchange_decide", kwargs={"pk": exchange.pk})
    # The requester sees the request, not the answer buttons; their POST changes nothing.
    client.force_login(world["coordinator"])
    assert "Accepter l'échange" not in client.get(url).content.decode()
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    # A coordinator of a third pole does not even see it.
    _third, stranger = pole_with_coordinator("Pôle tiers")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(helper)
    assert "Accepter l'échange" in client.get(url).content.decode()
    assert client.post(decide, {"decision": "peut-être"}).status_code == 302
    assert ExchangeRequest.objects.get().is_open
    assert client.post(decide, {"decision": "accept"}).status_code == 302
    assert ExchangeRequest.objects.get().is_accepted


def test_the_help_offers_page(client, version):
    pole, coordinator = pole_with_coordinator("Pôle des Crêtes")
    url = reverse("resources:help_offers", kwargs={"slug": pole.slug})
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert page.count('type="checkbox"') == 9
    first = objective(version, "2.2")
    response = client.post(url, {f"offer_{first.pk}": "on", f"note_{first.pk}": "Un atelier"})
    assert response.status_code == 302
    assert list(HelpOffer.objects.values_list("pole", "objective__code", "note")) == [
        (pole.pk, "2.2", "Un atelier")
    ]
    too_long = client.post(url, {f"offer_{first.pk}": "on", f"note_{first.pk}": "x" * 301})
    assert too_long.status_code == 200
    assert HelpOffer.objects.get().note == "Un atelier"
    # Another pole's coordinator: no such page for them.
    _other, other_coordinator = pole_with_coordinator("Pôle voisin")
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404


def _results_queries(client, user, assessment) -> int:
    client.force_login(user)
    url = reverse("referential:results", kwargs={"pk": assessment.pk})
    client.get(url)  # warm caches (session, site)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_stay_flat(client, version, world):
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    offer(version, vallees, helper, "1.1", "2.3", "3.2", note="Aide")
    published_resource("Ressource 0", objective(version, "1.1"))
    few = _results_queries(client, world["coordinator"], world["assessment"])
    for n in range(1, 8):
        pole, coordinator = pole_with_coordinator(f"Pôle aidant {n}")
        offer(version, pole, coordinator, "1.1", "2.3", "3.2", note=f"Aide {n}")
        published_resource(
            f"Ressource {n}", *(objective(version, c) for c in ("1.1", "2.3", "3.2"))
        )
        if n % 2:
            services.exchange_request_create(
                requester_pole=world["pole"],
                offer=HelpOffer.objects.get(pole=pole, objective__code="2.3"),
                by=world["coordinator"],
                message="Bonjour",
            )
    many = _results_queries(client, world["coordinator"], world["assessment"])
    assert many == few
    page = block(results(client, world["coordinator"], world["assessment"]))
    assert page.count('class="peers-offer"') == 3 * 8
    assert Resource.objects.count() == 8
    assert "autres ressources" in page  # more than shown per objective, found by the search:
    assert f'{reverse("resources:list")}?objective={objective(version, "1.1").pk}"' in page
