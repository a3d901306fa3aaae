"""Peer help: help offers and exchange requests through the services (permissions, the
database constraints, the daily limit, and that no address leaves before acceptance); the
requester's withdrawal, the staff's admin pages and closing, the e-mails' language."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from referential.seed import load_working_version
from resources import peers_personal_data
from resources import peers_selectors as selectors
from resources import peers_services as services
from resources.models import ExchangeRequest, HelpOffer
from tests.factories import StaffFactory, UserFactory
from tests.poles.factories import PoleCoordinatorFactory

from .peers_helpers import objective, pole_with_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return load_working_version()


@pytest.fixture
def poles(version):
    """A pole that asks (Lacs) and a pole that offered help on 1.1 (Vallées), two
    coordinators on the helping side."""
    lacs, asker = pole_with_coordinator("Pôle des Lacs")
    vallees, helper = pole_with_coordinator("Pôle des Vallées")
    second_helper = PoleCoordinatorFactory(pole=vallees).user
    services.help_offers_save(
        pole=vallees,
        by=helper,
        objectives=selectors.help_objectives(),
        offers={objective(version, "1.1").pk: "Nos outils"},
    )
    offer = HelpOffer.objects.get(pole=vallees)
    return {
        "lacs": lacs,
        "asker": asker,
        "vallees": vallees,
        "helper": helper,
        "second_helper": second_helper,
        "offer": offer,
    }


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks, monkeypatch):
    """Each service call runs its on-commit work (the e-mails) as if committed."""

    def committing(function):
        def call(**kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return function(**kwargs)

        return call

    for name in (
        "exchange_request_create",
        "exchange_request_accept",
        "exchange_request_decline",
        "exchange_request_withdraw",
        "exchange_request_close",
    ):
        monkeypatch.setattr(services, name, committing(getattr(services, name)))


def _ask(poles, message="Pourrions-nous échanger sur vos formations ?", **kwargs):
    return services.exchange_request_create(
        requester_pole=kwargs.get("requester_pole", poles["lacs"]),
        offer=kwargs.get("offer", poles["offer"]),
        by=kwargs.get("by", poles["asker"]),
        message=message,
    )


def _all_text(message) -> str:
    headers = " ".join(f"{k}: {v}" for k, v in message.message().items())
    return " ".join([message.subject, message.body, " ".join(message.to), headers])


# --- Help offers ------------------------------------------------------------------------


def test_a_coordinator_sets_the_objectives_of_their_pole(version):
    pole, coordinator = pole_with_coordinator("Pôle des Crêtes")
    objectives = selectors.help_objectives()
    assert len(objectives) == 9
    first, second = objective(version, "1.1"), objective(version, "2.3")
    services.help_offers_save(
        pole=pole,
        by=coordinator,
        objectives=objectives,
        offers={first.pk: "  Nos   outils ", second.pk: ""},
    )
    assert {o.objective.code: o.note for o in HelpOffer.objects.filter(pole=pole)} == {
        "1.1": "Nos outils",
        "2.3": "",
    }
    # Unchecked: the offer goes; the other stays, its note changed.
    services.help_offers_save(
        pole=pole, by=coordinator, objectives=objectives, offers={second.pk: "Une visite"}
    )
    assert list(HelpOffer.objects.filter(pole=pole).values_list("objective__code", "note")) == [
        ("2.3", "Une visite")
    ]


def test_only_the_poles_coordinators_offer_help(version, poles):
    objectives = selectors.help_objectives()
    for someone in (UserFactory(), poles["asker"]):
        with pytest.raises(PermissionDenied):
            services.help_offers_save(
                pole=poles["vallees"],
                by=someone,
                objectives=objectives,
                offers={objective(version, "3.3").pk: ""},
            )
    assert HelpOffer.objects.filter(pole=poles["vallees"]).count() == 1


def test_one_offer_per_pole_and_objective_in_the_database(version, poles):
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpOffer.objects.create(pole=poles["vallees"], objective=objective(version, "1.1"))


def test_an_objective_outside_the_form_is_refused(version, poles):
    pole, coordinator = pole_with_coordinator("Pôle des Crêtes")
    with pytest.raises(ValidationError):
        services.help_offers_save(
            pole=pole,
            by=coordinator,
            objectives=[objective(version, "1.1")],
            offers={objective(version, "1.2").pk: ""},
        )
    assert not HelpOffer.objects.filter(pole=pole).exists()


# --- Exchange requests ------------------------------------------------------------------


def test_a_request_emails_the_helping_coordinators_without_any_address(poles):
    mail.outbox.clear()
    exchange = _ask(poles)
    assert exchange.status == ExchangeRequest.Status.OPEN
    assert exchange.requested_by == poles["asker"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([poles["helper"].email, poles["second_helper"].email])
    text = _all_text(message)
    assert "Pôle des Lacs" in text and "Pourrions-nous échanger" in text
    assert reverse("resources:exchange", kwargs={"pk": exchange.pk}) in message.body
    # Not the requester's address, nor name; no reply-to that would give it away.
    assert poles["asker"].email not in text
    assert poles["asker"].last_name not in message.body
    assert not message.reply_to


def test_only_a_coordinator_of_the_requesting_pole_may_ask(poles):
    for someone in (UserFactory(), poles["helper"]):
        with pytest.raises(PermissionDenied):
            _ask(poles, by=someone)
    assert not ExchangeRequest.objects.exists()


def test_a_pole_does_not_ask_itself(poles):
    with pytest.raises(ValidationError):
        _ask(poles, requester_pole=poles["vallees"], by=poles["helper"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRequest.objects.create(
            requester_pole=poles["vallees"],
            helper_pole=poles["vallees"],
            objective=poles["offer"].objective,
            message="Bonjour",
        )


def test_one_open_request_per_pair_and_objective(poles):
    _ask(poles)
    with pytest.raises(services.ExchangeExists):
        _ask(poles, message="Encore moi")
    # The database says so too, whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRequest.objects.create(
            requester_pole=poles["lacs"],
            helper_pole=poles["vallees"],
            objective=poles["offer"].objective,
            message="Par une autre porte",
        )
    assert ExchangeRequest.objects.count() == 1


def test_an_answered_request_may_be_followed_by_a_new_one(poles):
    first = _ask(poles)
    services.exchange_request_accept(exchange=first, by=poles["helper"])
    second = _ask(poles, message="Une autre question")
    assert second.pk != first.pk and second.is_open


def test_a_declined_pole_is_not_asked_again_on_the_same_objective_for_a_while(poles):
    services.exchange_request_decline(exchange=_ask(poles), by=poles["helper"])
    with pytest.raises(ValidationError, match="décliné"):
        _ask(poles)
    ExchangeRequest.objects.update(decided_at=timezone.now() - timedelta(days=31))
    assert _ask(poles).is_open


def test_the_message_is_bounded_and_carries_no_address(poles):
    with pytest.raises(ValidationError) as refused:
        _ask(poles, message="Écrivez-moi : camille@exemple.fr")
    assert "adresse" in refused.value.message_dict["message"][0]
    with pytest.raises(ValidationError):
        _ask(poles, message="   ")
    with pytest.raises(ValidationError):
        _ask(poles, message="x" * 2001)
    assert not ExchangeRequest.objects.exists()
    assert mail.outbox == []


def test_requests_are_limited_per_day(version, poles):
    sent = []
    for n in range(services.EXCHANGE_REQUESTS_PER_DAY):
        pole, coordinator = pole_with_coordinator(f"Pôle aidant {n}")
        services.help_offers_save(
            pole=pole,
            by=coordinator,
            objectives=selectors.help_objectives(),
            offers={objective(version, "2.1").pk: ""},
        )
        sent.append(_ask(poles, offer=HelpOffer.objects.get(pole=pole)))
    with pytest.raises(ValidationError, match="maximum"):
        _ask(poles)
    assert ExchangeRequest.objects.count() == services.EXCHANGE_REQUESTS_PER_DAY
    # A day later, the coordinator may ask again.
    ExchangeRequest.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert _ask(poles).is_open


def test_accepting_shares_both_addresses_and_only_then(client, poles):
    exchange = _ask(poles)
    asker, helper = poles["asker"], poles["helper"]
    url = reverse("resources:exchange", kwargs={"pk": exchange.pk})
    for viewer in (asker, helper):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert asker.email not in page and helper.email not in page
    # The requesting side cannot accept for the other pole.
    with pytest.raises(PermissionDenied):
        services.exchange_request_accept(exchange=exchange, by=asker)
    mail.outbox.clear()

    services.exchange_request_accept(exchange=exchange, by=helper)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeRequest.Status.ACCEPTED
    assert exchange.decided_by == helper and exchange.decided_at
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    second = poles["second_helper"]
    assert set(by_recipient) == {(asker.email,), (helper.email,), (second.email,)}
    to_asker, to_helper = by_recipient[(asker.email,)], by_recipient[(helper.email,)]
    assert helper.email in to_asker.body and to_asker.reply_to == [helper.email]
    assert asker.email in to_helper.body and to_helper.reply_to == [asker.email]
    # The other coordinator of the helping pole is told who accepted, without the
    # requester's address (it goes to the accepting coordinator only).
    to_second = by_recipient[(second.email,)]
    assert asker.email not in _all_text(to_second) and not to_second.reply_to
    assert helper.get_full_name() in to_second.body and "accepté" in to_second.body
    for viewer in (asker, helper):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert asker.email in page and helper.email in page
    # ... nor on the request's page.
    client.force_login(second)
    page = client.get(url).content.decode()
    assert asker.email not in page and helper.email in page
    # Answered once.
    with pytest.raises(ValidationError):
        services.exchange_request_decline(exchange=exchange, by=poles["second_helper"])


def test_declining_tells_the_requester_without_any_address(poles):
    exchange = _ask(poles)
    mail.outbox.clear()
    services.exchange_request_decline(exchange=exchange, by=poles["second_helper"])
    exchange.refresh_from_db()
    assert exchange.status == ExchangeRequest.Status.DECLINED
    # The requester, then the helping pole's other coordinator (who declined is not told).
    assert [m.to for m in mail.outbox] == [[poles["asker"].email], [poles["helper"].email]]
    text = _all_text(mail.outbox[0])
    for person in (poles["helper"], poles["second_helper"]):
        assert person.email not in text
    assert not mail.outbox[0].reply_to
    to_colleague = mail.outbox[1]
    assert poles["asker"].email not in _all_text(to_colleague)
    assert poles["second_helper"].get_full_name() in to_colleague.body
    assert "décliné" in to_colleague.body
    with pytest.raises(ValidationError):
        services.exchange_request_accept(exchange=exchange, by=poles["helper"])


def test_a_request_whose_author_left_cannot_be_accepted(poles):
    exchange = _ask(poles)
    peers_personal_data.erase(poles["asker"])
    assert not ExchangeRequest.objects.filter(pk=exchange.pk).exists()  # withdrawn


def test_personal_data_export_and_erasure(poles):
    accepted = _ask(poles, message="Premier message")
    services.exchange_request_accept(exchange=accepted, by=poles["helper"])
    waiting = _ask(poles, message="Deuxième message")
    exported = peers_personal_data.export(poles["asker"])
    assert [r["message"] for r in exported["demandes_d_echange_envoyees"]] == [
        "Premier message",
        "Deuxième message",
    ]
    assert exported["demandes_d_echange_repondues"] == []
    answered = peers_personal_data.export(poles["helper"])["demandes_d_echange_repondues"]
    assert [r["pole_demandeur"] for r in answered] == ["Pôle des Lacs"]
    assert "message" not in answered[0]
    assert peers_personal_data.owned_objects(poles["asker"]) == {
        ExchangeRequest: [accepted.pk, waiting.pk]
    }

    peers_personal_data.erase(poles["asker"])
    peers_personal_data.erase(poles["helper"])
    assert not ExchangeRequest.objects.filter(pk=waiting.pk).exists()
    accepted.refresh_from_db()
    assert (accepted.message, accepted.requested_by, accepted.decided_by) == ("", None, None)
    assert accepted.status == ExchangeRequest.Status.ACCEPTED  # the poles' history stays


# --- Withdrawing a request --------------------------------------------------------------


def test_the_requester_withdraws_and_the_helping_pole_is_told_without_any_address(poles):
    exchange = _ask(poles)
    mail.outbox.clear()
    services.exchange_request_withdraw(exchange=exchange, by=poles["asker"])
    exchange.refresh_from_db()
    assert exchange.status == ExchangeRequest.Status.WITHDRAWN
    assert exchange.decided_by == poles["asker"] and exchange.decided_at
    assert [sorted(m.to) for m in mail.outbox] == [
        sorted([poles["helper"].email, poles["second_helper"].email])
    ]
    text = _all_text(mail.outbox[0])
    assert poles["asker"].email not in text and not mail.outbox[0].reply_to
    assert "retiré" in text
    # Nothing left to answer; the open-request constraint lets a new request go.
    with pytest.raises(ValidationError):
        services.exchange_request_accept(exchange=exchange, by=poles["helper"])
    again = _ask(poles)
    assert again.is_open and again.pk != exchange.pk


def test_only_the_requesting_pole_withdraws_and_only_an_open_request(poles):
    exchange = _ask(poles)
    for someone in (poles["helper"], UserFactory(), StaffFactory()):
        with pytest.raises(PermissionDenied):
            services.exchange_request_withdraw(exchange=exchange, by=someone)
    services.exchange_request_decline(exchange=exchange, by=poles["helper"])
    with pytest.raises(ValidationError):
        services.exchange_request_withdraw(exchange=exchange, by=poles["asker"])
    assert ExchangeRequest.objects.get().status == ExchangeRequest.Status.DECLINED


def test_withdraw_page_confirms_then_withdraws_on_post(client, poles):
    exchange = _ask(poles)
    page_url = reverse("resources:exchange", kwargs={"pk": exchange.pk})
    withdraw = reverse("resources:exchange_withdraw", kwargs={"pk": exchange.pk})
    # The helping side neither sees the button nor may withdraw.
    client.force_login(poles["helper"])
    assert withdraw not in client.get(page_url).content.decode()
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 404
    client.force_login(poles["asker"])
    assert withdraw in client.get(page_url).content.decode()
    confirm = client.get(withdraw)
    assert confirm.status_code == 200 and "Retirer la demande" in confirm.content.decode()
    assert ExchangeRequest.objects.get().is_open  # a GET changes nothing
    response = client.post(withdraw, follow=True)
    assert response.redirect_chain[-1][0] == page_url
    page = response.content.decode()
    assert "Demande retirée" in page and withdraw not in page and "Retirée le" in page
    assert ExchangeRequest.objects.get().status == ExchangeRequest.Status.WITHDRAWN
    # Withdrawn once: a second POST says so and changes nothing.
    assert client.post(withdraw).status_code == 302


# --- Staff: admin pages and closing an abusive request ---------------------------------


def test_staff_read_offers_and_requests_with_the_message(staff_client, poles):
    exchange = _ask(poles, message="Un message à modérer")
    changelist = reverse("admin:resources_exchangerequest_changelist")
    page = staff_client.get(changelist, {"q": "Vallées"}).content.decode()
    assert "Pôle des Lacs" in page
    assert (
        staff_client.get(changelist, {"q": "introuvable"}).content.decode().count("Pôle des Lacs")
        == 0
    )
    assert staff_client.get(changelist, {"status__exact": "open"}).status_code == 200
    detail = staff_client.get(
        reverse("admin:resources_exchangerequest_change", args=[exchange.pk])
    ).content.decode()
    assert "Un message à modérer" in detail
    assert 'name="_save"' not in detail  # read only
    offers = staff_client.get(
        reverse("admin:resources_helpoffer_changelist"), {"q": "Nos outils"}
    ).content.decode()
    assert "Pôle des Vallées" in offers
    assert (
        staff_client.get(reverse("admin:resources_helpoffer_add")).status_code == 403
        and staff_client.get(reverse("admin:resources_exchangerequest_add")).status_code == 403
    )


def test_staff_close_an_abusive_request_in_the_admin_and_it_is_audited(staff, staff_client, poles):
    exchange = _ask(poles)
    response = staff_client.post(
        reverse("admin:resources_exchangerequest_changelist"),
        {"action": "close", "_selected_action": [exchange.pk]},
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == ExchangeRequest.Status.CLOSED
    assert exchange.decided_by == staff and exchange.decided_at
    entry = LogEntry.objects.get_for_object(exchange).order_by("-timestamp").first()
    assert entry.actor == staff and "closed" in str(entry.changes)
    with pytest.raises(ValidationError):
        services.exchange_request_accept(exchange=exchange, by=poles["helper"])
    # The pair is paused as after a refusal.
    with pytest.raises(ValidationError, match="clos votre demande"):
        _ask(poles)


def test_only_staff_close_a_request(poles):
    exchange = _ask(poles)
    for someone in (poles["asker"], poles["helper"], UserFactory()):
        with pytest.raises(PermissionDenied):
            services.exchange_request_close(exchange=exchange, by=someone)
    assert ExchangeRequest.objects.get().is_open


# --- Language of the e-mails ------------------------------------------------------------


def test_emails_to_others_are_french_and_to_the_person_acting_in_their_language(poles):
    """As elsewhere (ptce_portal.mail): the language of the person who makes the request when
    they are written to, French for everybody else (their language is not known)."""
    with translation.override("en"):
        exchange = _ask(poles)
        mail.outbox.clear()
        services.exchange_request_accept(exchange=exchange, by=poles["helper"])
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "Hello" in by_recipient[poles["helper"].email].body  # the acting coordinator
    for other in (poles["asker"].email, poles["second_helper"].email):
        assert "Bonjour" in by_recipient[other].body
