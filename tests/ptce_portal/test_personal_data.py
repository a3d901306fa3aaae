"""Personal data (GDPR): the JSON export of Mon espace, account deletion, and no e-mail or
phone on public pages without consent."""

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.text import capfirst

from charter import services as charter_services
from charter.models import Signature
from charter.seed import seed_version_1
from events.models import Registration
from events.selectors import registration_counts
from events.services import registration_create
from poles.models import Pole, PoleCoordinator
from ptce_portal.models import OutgoingEmail
from referential import services as ref_services
from referential.models import Answer, Invitation
from referential.seed import load_working_version
from tests.charter.conftest import signature_data
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory, activate_totp
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory
from tests.referential.factories import answer_all

pytestmark = pytest.mark.django_db

EXPORT_URL = "/mon-espace/mes-donnees.json"
DELETE_URL = "/mon-espace/supprimer/"


class World:
    pass


def _validated_signature(user, pole, staff, **overrides):
    signature = charter_services.signature_submit(
        user=user, data=signature_data(user, **overrides), pole=pole
    )
    return charter_services.signature_validate(signature=signature, by=staff)


@pytest.fixture
def world(db):
    """Alice coordinates a pole that signed the charter (validated), opened an assessment,
    answered another pole's invitation, registered to a past and an upcoming day, and had a
    request refused; Bob has his own of each."""
    w = World()
    seed_version_1()
    load_working_version()
    w.staff = StaffFactory(email="equipe-rgpd@labo-ess.example")
    w.alice = UserFactory(email="alice.rgpd@exemple.fr", first_name="Alice", last_name="Rgpdson")
    w.bob = UserFactory(email="bob.autre@exemple.fr", first_name="Bob", last_name="Autreman")
    w.pole = PoleCoordinatorFactory(
        user=w.alice, pole__name="Pôle d'Alice", pole__status="engaged"
    ).pole
    w.refused = PoleCoordinatorFactory(
        user=w.alice,
        pole__name="Pôle refusé",
        status=PoleCoordinator.Status.REFUSED,
        refusal_reason="Vous n'êtes pas membre de ce pôle.",
        decided_at=timezone.now(),
    )
    w.bob_pole = PoleCoordinatorFactory(
        user=w.bob, pole__name="Pôle de Bob", pole__status="engaged"
    ).pole
    w.signature = _validated_signature(
        w.alice,
        w.pole,
        w.staff,
        representative_phone="06 12 34 56 78",
        pole_contact="Maison des associations, 3 place du Marché\nAlice Rgpdson, 06 12 34 56 78",
    )
    w.bob_signature = _validated_signature(w.bob, w.bob_pole, w.staff)
    second_pole = PoleCoordinatorFactory(user=w.alice, pole__name="Pôle d'Alice en attente").pole
    w.pending = charter_services.signature_submit(
        user=w.alice, data=signature_data(w.alice), pole=second_pole
    )

    # Referential: Alice's open assessment; Bob invites Alice (by e-mail) to his, she answers.
    w.assessment = ref_services.assessment_open(pole=w.pole, user=w.alice, title="Évaluation A")
    bob_assessment = ref_services.assessment_open(pole=w.bob_pole, user=w.bob, title="Éval B")
    w.invitation = ref_services.invitation_create(
        assessment=bob_assessment, email="Alice.RGPD@exemple.fr", category="ess", by=w.bob
    )
    Invitation.objects.filter(pk=w.invitation.pk).update(name="Alice Rgpdson")
    answer_all(w.invitation, lambda code: 2)
    w.bob_invitation = ref_services.invitation_create(
        assessment=bob_assessment, email="carole@exemple.fr", category="ess", by=w.bob
    )

    # Events: a past day (Alice was there) and an upcoming one with a waiting list.
    w.past_day = EventFactory(
        title="Journée passée",
        date=timezone.localdate() - timedelta(days=100),
        registration_opens_at=timezone.now() - timedelta(days=200),
        registration_closes_at=timezone.now() - timedelta(days=101),
    )
    w.past_registration = RegistrationFactory(
        event=w.past_day,
        first_name="Alice",
        last_name="Rgpdson",
        email="alice.rgpd@exemple.fr",
        checked_in_at=timezone.now() - timedelta(days=100),
        public_consent=True,
    )
    RegistrationFactory(event=w.past_day, email="bob.autre@exemple.fr", user=w.bob)
    w.day = EventFactory(title="Journée à venir", capacity=1)
    w.registration = registration_create(
        event=w.day,
        first_name="Alice",
        last_name="Rgpdson",
        email="alice.rgpd@exemple.fr",
        category="pole",
        accessibility_needs="Fauteuil roulant",
        public_consent=True,
        user=w.alice,
    ).registration
    w.waiting = registration_create(
        event=w.day,
        first_name="Bob",
        last_name="Autreman",
        email="bob.autre@exemple.fr",
        category="pole",
        user=w.bob,
    ).registration
    assert w.waiting.status == Registration.Status.WAITLISTED
    return w


# --- Export ----------------------------------------------------------------------------------


def test_export_needs_login(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_export_holds_the_members_data_and_nothing_of_others(client, world):
    client.force_login(world.alice)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["notice"].endswith("/donnees-personnelles/")
    assert data["ptce_portal"]["compte"]["email"] == "alice.rgpd@exemple.fr"
    assert [a["email"] for a in data["ptce_portal"]["adresses_email"]] == ["alice.rgpd@exemple.fr"]
    coordinations = {c["pole"]: c for c in data["poles"]["coordinations"]}
    assert coordinations["Pôle d'Alice"]["statut"] == "approved"
    assert coordinations["Pôle refusé"]["motif_du_refus"] == "Vous n'êtes pas membre de ce pôle."
    signatures = {s["code_de_verification"]: s for s in data["charter"]["signatures"]}
    assert set(signatures) == {world.signature.verification_code, world.pending.verification_code}
    signature = signatures[world.signature.verification_code]
    assert signature["code_de_verification"] == world.signature.verification_code
    assert signature["representant_telephone"] == "06 12 34 56 78"
    assert [a["intitule"] for a in data["referential"]["auto_evaluations_ouvertes"]] == [
        "Évaluation A"
    ]
    [invitation] = data["referential"]["invitations"]  # found by e-mail, any case
    assert invitation["pole"] == "Pôle de Bob" and len(invitation["reponses"]) == 36
    registrations = {r["journee"]: r for r in data["events"]["inscriptions"]}
    assert set(registrations) == {"Journée passée", "Journée à venir"}
    assert registrations["Journée à venir"]["besoins_d_accessibilite"] == "Fauteuil roulant"

    text = response.content.decode()
    for other in (
        "bob.autre@exemple.fr",
        "carole@exemple.fr",
        world.bob_signature.verification_code,
        "Autreman",
        world.staff.email,
    ):
        assert other not in text


def test_export_lists_the_emails_sent_to_the_member(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.alice)
    data = json.loads(client.get(EXPORT_URL).content)
    sent = data["ptce_portal"]["emails_envoyes"]
    # The signature receipt and validation went to Alice; the invitation to her address too.
    assert sent, "the outbox recorded e-mails to Alice"
    assert all(any("alice.rgpd@exemple.fr" in r.lower() for r in m["destinataires"]) for m in sent)


# --- Deletion --------------------------------------------------------------------------------


def _row_counts() -> dict:
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in ("ptce_portal", "poles", "charter", "referential", "events", "account")
    }


def test_delete_page_explains_and_asks_the_password(client, world):
    client.force_login(world.alice)
    response = client.get(DELETE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce qui est effacé" in html and "Ce qui est conservé" in html
    assert 'type="password"' in html and 'autocomplete="current-password"' in html


def test_wrong_password_deletes_nothing(client, world):
    client.force_login(world.alice)
    before = _row_counts()
    signature_before = Signature.objects.values().get(pk=world.signature.pk)
    for password in ("", "pas-le-bon"):
        response = client.post(DELETE_URL, {"password": password})
        assert response.status_code == 200
        assert "Mot de passe incorrect" in response.content.decode() or not password
    assert _row_counts() == before
    assert Signature.objects.values().get(pk=world.signature.pk) == signature_before
    assert get_user_model().objects.filter(pk=world.alice.pk).exists()
    assert client.get("/mon-espace/").status_code == 200  # still signed in


def test_staff_cannot_delete_their_account_from_mon_espace(client, world):
    client.force_login(world.staff)
    before = _row_counts()
    page = client.get(DELETE_URL)
    assert "ne peut pas être supprimé" in page.content.decode()
    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert _row_counts() == before


def test_deletion_erases_the_person_and_keeps_the_poles_data(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    alice = world.alice
    past_counts = registration_counts(world.past_day)
    answers = Answer.objects.filter(invitation=world.invitation).count()
    client.force_login(alice)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "Votre compte a été supprimé" in home.content.decode()
    assert not home.wsgi_request.user.is_authenticated

    # The account, its addresses and coordinator links are gone.
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not get_user_model().objects.filter(email__iexact="alice.rgpd@exemple.fr").exists()
    assert not PoleCoordinator.objects.filter(user_id=alice.pk).exists()
    assert client.login(email="alice.rgpd@exemple.fr", password=DEFAULT_PASSWORD) is False
    assert (
        client.post(
            "/compte/login/", {"login": "alice.rgpd@exemple.fr", "password": DEFAULT_PASSWORD}
        ).wsgi_request.user.is_authenticated
        is False
    )

    # The pole and its validated signature stay, valid and public, without Alice.
    pole = Pole.objects.get(pk=world.pole.pk)
    signature = Signature.objects.get(pk=world.signature.pk)
    assert signature.status == Signature.Status.VALIDATED
    assert signature.register_number == world.signature.register_number
    assert signature.pole_id == pole.pk and signature.signer_id is None
    assert (
        signature.representative_email
        == signature.representative_phone
        == signature.representative_last_name
        == signature.representative_first_name
        == signature.signature_name
        == ""
    )
    assert (
        signature.pole_contact == "Maison des associations, 3 place du Marché\n[effacé], [effacé]"
    )
    assert client.get(pole.get_absolute_url()).status_code == 200
    signatories = client.get("/charte/signataires/").content.decode()
    assert pole.name.replace("'", "&#x27;") in signatories
    assert (
        signature.verification_code in client.get("/charte/signataires/export.csv").content.decode()
    )
    verify = client.get(signature.get_verification_url())
    assert verify.status_code == 200
    assert "Rgpdson" not in verify.content.decode()
    # Alice's signature still waiting for validation is withdrawn.
    pending = Signature.objects.get(pk=world.pending.pk)
    assert pending.status == Signature.Status.WITHDRAWN and pending.withdrawn_at is not None
    # Bob's signature is untouched.
    assert (
        Signature.objects.get(pk=world.bob_signature.pk).representative_email
        == "bob.autre@exemple.fr"
    )

    # Answers stay (the pole's results do not change); the invitation forgets Alice.
    invitation = Invitation.objects.get(pk=world.invitation.pk)
    assert invitation.email.endswith("@anonyme.invalid") and invitation.name == ""
    assert invitation.token != world.invitation.token
    assert Answer.objects.filter(invitation=invitation).count() == answers == 36
    assert Invitation.objects.get(pk=world.bob_invitation.pk).email == "carole@exemple.fr"

    # Registrations: the past day's counts do not move; the upcoming seat goes to Bob.
    assert registration_counts(world.past_day) == past_counts
    past = Registration.objects.get(pk=world.past_registration.pk)
    assert past.checked_in_at is not None and past.status == Registration.Status.CONFIRMED
    assert "alice" not in past.email and past.last_name != "Rgpdson" and not past.public_consent
    upcoming = Registration.objects.get(pk=world.registration.pk)
    assert upcoming.status == Registration.Status.CANCELLED
    assert upcoming.accessibility_needs == "" and upcoming.user_id is None
    assert Registration.objects.get(pk=world.waiting.pk).status == Registration.Status.CONFIRMED

    # Nothing anywhere still holds Alice's address or phone (but in the confirmation e-mail).
    leftovers = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY')"
        )
        columns = cursor.fetchall()
        for table, column in columns:
            if table == "ptce_portal_outgoingemail":
                continue  # the confirmation of the deletion itself, purged after 90 days
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE lower("{column}"::text) LIKE %s '
                f'OR "{column}"::text LIKE %s',
                ["%alice.rgpd@exemple.fr%", "%06 12 34 56 78%"],
            )
            if cursor.fetchone()[0]:
                leftovers.append(f"{table}.{column}")
    assert leftovers == []

    # A confirmation goes to the old address.
    confirmations = [m for m in mailoutbox if m.to == ["alice.rgpd@exemple.fr"]]
    assert [m.subject for m in confirmations] == ["[Portail PTCE] Votre compte a été supprimé"]
    # Bob, first on the waiting list, is told he has the seat.
    assert any(m.to == ["bob.autre@exemple.fr"] for m in mailoutbox)


def test_signed_pdf_is_made_again_without_the_person(client, world):
    """The validated signature's PDF is cached: after the erasure, a new one is made."""
    from charter.pdf import signature_cache_key
    from ptce_portal.cached_documents import document_cache

    client.force_login(world.alice)
    first = client.get(world.signature.get_pdf_url())
    assert first.status_code == 200
    old_key = signature_cache_key(
        Signature.objects.get(pk=world.signature.pk), request=first.wsgi_request
    )
    assert document_cache().get(old_key) == first.content
    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    signature = Signature.objects.get(pk=world.signature.pk)
    assert signature_cache_key(signature, request=first.wsgi_request) != old_key


# --- Mon espace --------------------------------------------------------------------------------


def test_mon_espace_shows_everything_of_a_coordinator(client, world):
    client.force_login(world.alice)
    html = client.get("/mon-espace/").content.decode()
    assert "Pôle d&#x27;Alice" in html  # my pole
    assert world.signature.get_pdf_url() in html  # its signature and PDF
    assert "Vous n&#x27;êtes pas membre de ce pôle." in html  # a refused request, with why
    assert "Évaluation A" in html  # my open assessment
    assert "Éval B" in html  # the invitation waiting for me
    assert "Journée à venir" in html and world.registration.get_manage_url() in html
    assert EXPORT_URL in html and DELETE_URL in html


def test_mon_espace_lists_coordinated_poles_without_a_signature(client, world):
    unsigned = PoleCoordinatorFactory(user=world.alice, pole__name="Pôle sans signature").pole
    client.force_login(world.alice)
    html = client.get("/mon-espace/").content.decode()
    assert "Pas encore de signature de la version 1" in html
    assert unsigned.get_absolute_url() in html


def test_mon_espace_query_count_is_flat(client, world):
    client.force_login(world.alice)
    client.get("/mon-espace/")  # warm caches (site, session)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/mon-espace/").status_code == 200
    for n in range(5):
        pole = PoleCoordinatorFactory(user=world.alice, pole__name=f"Pôle en plus {n}").pole
        _validated_signature(world.alice, pole, world.staff)
        RegistrationFactory(event=EventFactory(), email="alice.rgpd@exemple.fr", first_name="Alice")
        ref_services.assessment_open(pole=pole, user=world.alice, title=f"Éval {n}")
    with CaptureQueriesContext(connection) as large:
        assert client.get("/mon-espace/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries), "\n".join(
        q["sql"] for q in large.captured_queries
    )


# --- Public pages never show an e-mail or a phone without consent -----------------------------

SECRETS = (
    "secret-pole@exemple.fr",
    "01 99 88 77 66",
    "secret-representant@exemple.fr",
    "06 55 44 33 22",
    "secret-inscrite@exemple.fr",
    "secret-invitee@exemple.fr",
)


def _public_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "compte/", "i18n/")):
                continue
            yield from _public_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _fill(route: str, values: dict[str, list[str]]) -> list[str]:
    import re

    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    urls = [route]
    for name in names:
        if name not in values:
            return []
        urls = [
            re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
            for url in urls
            for value in values[name]
        ]
    return ["/" + url.lstrip("^").rstrip("$") for url in urls]


def test_public_pages_never_show_contacts_without_consent(client, world):
    # A pole that refuses publication of its contact, one that accepts it.
    hidden = PoleFactory(
        name="Pôle discret",
        contact_email="secret-pole@exemple.fr",
        contact_phone="01 99 88 77 66",
        contact_is_public=False,
    )
    shown = PoleFactory(
        name="Pôle ouvert",
        contact_email="public-pole@exemple.fr",
        contact_phone="02 40 00 00 00",
        contact_is_public=True,
    )
    # A validated signature whose representative accepted publication of the signature
    # (their name) but whose e-mail and phone are never public.
    owner = UserFactory(email="secret-representant@exemple.fr")
    PoleCoordinatorFactory(user=owner, pole=hidden)
    signature = _validated_signature(
        owner,
        hidden,
        world.staff,
        representative_phone="06 55 44 33 22",
        pole_contact="secret-pole@exemple.fr 01 99 88 77 66",
    )
    # A registrant on the public participants list, an invitee.
    open_day = EventFactory(title="Journée ouverte")
    registration_create(
        event=open_day,
        first_name="Zoé",
        last_name="Publique",
        email="secret-inscrite@exemple.fr",
        category="pole",
        public_consent=True,
    )
    ref_services.invitation_create(
        assessment=world.assessment,
        email="secret-invitee@exemple.fr",
        category="ess",
        by=world.alice,
    )
    values = {
        "slug": [hidden.slug, shown.slug, open_day.slug, world.day.slug, world.past_day.slug],
        "code": [signature.verification_code],
        "number": ["1"],
        "pk": [str(world.assessment.pk)],
    }
    crawled, leaks = [], []
    for route, _pattern in _public_patterns():
        for url in _fill(route, values):
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code != 200 or response.streaming:
                continue
            crawled.append(url)
            body = response.content.decode("utf-8", errors="replace")
            leaks += [(url, secret) for secret in SECRETS if secret in body]
    assert leaks == []
    # The crawl did reach the pages that show contacts and names.
    assert f"/poles/{shown.slug}/" in crawled and f"/poles/{hidden.slug}/" in crawled
    assert "public-pole@exemple.fr" in client.get(shown.get_absolute_url()).content.decode()
    assert "/api/poles.json" in crawled and "/charte/signataires/export.csv" in crawled
    assert f"/charte/verifier/{signature.verification_code}/" in crawled
    participants = f"/journees/{open_day.slug}/participants/"
    assert participants in crawled
    assert "Publique" in client.get(participants).content.decode()
    assert len(crawled) >= 20


def test_deletion_leaves_the_actions_in_the_audit_log_without_the_person(client, world):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    with set_actor(world.alice):
        pole = Pole.objects.get(pk=world.pole.pk)
        pole.short_description = "Changé par Alice Rgpdson"
        pole.save()
    entries = LogEntry.objects.filter(actor=world.alice)
    assert entries.exists()
    ids = list(entries.values_list("pk", flat=True))
    alice_pk = world.alice.pk
    client.force_login(world.alice)
    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    kept = LogEntry.objects.filter(pk__in=ids)
    assert kept.count() == len(ids)  # the actions stay, under a pseudonym
    for entry in kept:
        assert entry.actor_id is None and not entry.remote_addr
        assert entry.actor_email == f"compte supprimé n°{alice_pk}"
    # Her own objects' entries lose her details; the pole's text is the pole's (a part of a
    # text is never rewritten: see the erasure tests below).
    assert "Changé par Alice Rgpdson" in json.dumps(
        kept.get(content_type__model="pole").changes, ensure_ascii=False
    )
    # The erasure itself wrote nothing that copies the erased values.
    assert not LogEntry.objects.filter(changes__icontains="alice.rgpd").exists()


def test_password_guesses_are_rate_limited(client, world):
    client.force_login(world.alice)
    statuses = [client.post(DELETE_URL, {"password": f"essai-{n}"}).status_code for n in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429
    assert get_user_model().objects.filter(pk=world.alice.pk).exists()


def test_every_link_to_a_user_lets_the_account_go():
    """A new model with a PROTECT/RESTRICT foreign key to the user would block deletion:
    it must say what happens to its rows (CASCADE, SET_NULL) or be erased in a
    personal_data module first."""
    from django.apps import apps
    from django.db import models

    user_model = get_user_model()
    blocking = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.related_model is user_model
        and field.remote_field.on_delete in (models.PROTECT, models.RESTRICT)
    ]
    assert blocking == []


def test_a_protected_link_rolls_everything_back(client, world, monkeypatch):
    """If the last step fails, nothing of the erasure stays (one transaction)."""
    from django.db.models import ProtectedError

    def refuse(self, *args, **kwargs):
        raise ProtectedError("protected", {world.pole})

    before = _row_counts()
    signature_before = Signature.objects.values().get(pk=world.signature.pk)
    coordinations = PoleCoordinator.objects.filter(user=world.alice).count()
    monkeypatch.setattr(get_user_model(), "delete", refuse)
    client.force_login(world.alice)
    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "rien n&#x27;a été effacé" in response.content.decode()
    assert _row_counts() == before
    assert Signature.objects.values().get(pk=world.signature.pk) == signature_before
    assert PoleCoordinator.objects.filter(user=world.alice).count() == coordinations == 3


def test_mon_espace_finds_registrations_by_account_and_by_every_verified_address(client, world):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=world.alice, email="alice.pro@exemple.fr", verified=True)
    EmailAddress.objects.create(user=world.alice, email="pas-a-moi@exemple.fr", verified=False)
    by_account = RegistrationFactory(
        event=EventFactory(title="Journée par compte"), email="autre@exemple.fr", user=world.alice
    )
    RegistrationFactory(event=EventFactory(title="Journée pro"), email="Alice.Pro@exemple.fr")
    RegistrationFactory(
        event=EventFactory(title="Journée non vérifiée"), email="pas-a-moi@exemple.fr"
    )
    client.force_login(world.alice)
    html = client.get("/mon-espace/").content.decode()
    assert "Journée par compte" in html and by_account.get_manage_url() in html
    assert "Journée pro" in html
    assert "Journée non vérifiée" not in html


def test_an_unverified_address_gives_nothing_of_its_owner(client, world, mailoutbox):
    """Alice adds Bob's address without verifying it: neither the export nor the deletion
    touches what Bob registered with it."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=world.alice, email="bob.autre@exemple.fr", verified=False)
    client.force_login(world.alice)
    text = client.get(EXPORT_URL).content.decode()
    assert text.count("bob.autre@exemple.fr") == 1  # only in the list of her addresses
    assert world.bob_signature.verification_code not in text
    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert not get_user_model().objects.filter(pk=world.alice.pk).exists()
    assert Registration.objects.get(pk=world.waiting.pk).email == "bob.autre@exemple.fr"
    signature = Signature.objects.get(pk=world.bob_signature.pk)
    assert signature.representative_email == "bob.autre@exemple.fr"


def test_deleting_a_user_in_the_admin_erases_them_too(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    # Staff only view accounts (ptce_portal.permissions); a superuser may delete one.
    client.force_login(StaffFactory(email="admin-rgpd@labo-ess.example", is_superuser=True))
    url = f"/admin/ptce_portal/user/{world.alice.pk}/delete/"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not get_user_model().objects.filter(pk=world.alice.pk).exists()
    signature = Signature.objects.get(pk=world.signature.pk)
    assert signature.status == Signature.Status.VALIDATED and signature.representative_email == ""
    assert Registration.objects.get(pk=world.past_registration.pk).last_name != "Rgpdson"
    assert any(m.to == ["alice.rgpd@exemple.fr"] for m in mailoutbox)


def test_a_regional_coordination_role_is_exported_and_goes_with_the_account(client, world):
    from django.apps import apps

    try:
        model = apps.get_model("poles", "RegionalCoordination")
    except LookupError:
        pytest.skip("no regional coordination role")
    role = model.objects.create(
        user=world.alice, region=world.pole.region, organisation="CRESS Rhône-Alpes"
    )
    activate_totp(world.alice)  # a regional coordination signs in with a second factor
    client.force_login(world.alice)
    data = json.loads(client.get(EXPORT_URL).content)
    assert data["poles"]["coordinations_regionales"] == [
        {
            "region": world.pole.region.name,
            "structure": "CRESS Rhône-Alpes",
            "nommee_le": data["poles"]["coordinations_regionales"][0]["nommee_le"],
        }
    ]
    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert not model.objects.filter(pk=role.pk).exists()


def test_the_notice_gives_the_contact_for_personal_data(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "rgpd@labo-ess.example"
    html = client.get("/donnees-personnelles/").content.decode()
    assert 'href="mailto:rgpd@labo-ess.example"' in html
    for heading in ("Responsable du traitement", "Vos droits", "Cookies", "90 jours", "60 jours"):
        assert heading in html


# --- Erasure and export: recipients, log scrubbing, representatives, admin deletion, notices


def _outgoing(to, subject, cc=()):
    return OutgoingEmail.objects.create(
        from_email="portail@labo-ess.example",
        to=list(to),
        cc=list(cc),
        subject=subject,
        body=f"Texte : {subject}",
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
    )


def test_outbox_is_matched_by_whole_address_in_export_and_erasure(client):
    an = UserFactory(email="an@exemple.fr", first_name="An", last_name="Nguyen")
    jean = UserFactory(email="jean@exemple.fr")
    to_jean = _outgoing(["jean@exemple.fr"], "Réinitialisation pour Jean")
    to_jean_named = _outgoing(["Jean Valjean <jean@exemple.fr>"], "Lien secret de Jean")
    to_an = _outgoing(["An Nguyen <AN@exemple.fr>"], "Pour An")
    to_both = _outgoing(["jean@exemple.fr"], "Pour les deux", cc=["an@exemple.fr"])

    client.force_login(an)
    sent = json.loads(client.get(EXPORT_URL).content)["ptce_portal"]["emails_envoyes"]
    assert sorted(m["objet"] for m in sent) == ["Pour An", "Pour les deux"]
    assert [m["destinataires"] for m in sorted(sent, key=lambda m: m["objet"])] == [
        ["An Nguyen <AN@exemple.fr>"],
        ["an@exemple.fr"],  # in copy; Jean's address is not hers
    ]

    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert not get_user_model().objects.filter(pk=an.pk).exists()
    assert not OutgoingEmail.objects.filter(pk=to_an.pk).exists()
    assert OutgoingEmail.objects.filter(pk__in=[to_jean.pk, to_jean_named.pk]).count() == 2
    both = OutgoingEmail.objects.get(pk=to_both.pk)
    assert both.to == ["jean@exemple.fr"] and both.cc == []
    assert get_user_model().objects.filter(pk=jean.pk).exists()


def test_deletion_scrubs_only_the_persons_own_entries_and_whole_values(client):
    user = UserFactory(email="dela@exemple.fr", first_name="de", last_name="la")
    pole = PoleFactory(name="Pôle des collines")
    pole.short_description = "Pôle de la vallée"
    pole.save()
    pole_entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Pole), object_pk=str(pole.pk)
    ).latest("pk")
    pole_before = (pole_entry.changes, pole_entry.object_repr)
    registration = RegistrationFactory(
        event=EventFactory(
            title="Journée",
            date=timezone.localdate() - timedelta(days=100),
            registration_opens_at=timezone.now() - timedelta(days=200),
            registration_closes_at=timezone.now() - timedelta(days=101),
        ),
        first_name="de",
        last_name="la",
        user=user,
    )
    # An entry of her own registration that holds her name (e.g. logged before masking).
    own = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Registration),
        object_pk=str(registration.pk),
        object_id=registration.pk,
        object_repr="de la — Journée",
        action=LogEntry.Action.UPDATE,
        changes={
            "last_name": ["x", "la"],
            "email": ["", "DELA@exemple.fr"],
            "note": ["", "de la vallée"],
        },
    )
    client.force_login(user)
    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert not get_user_model().objects.filter(pk=user.pk).exists()

    pole_entry.refresh_from_db()
    assert (pole_entry.changes, pole_entry.object_repr) == pole_before
    assert "Pôle de la vallée" in json.dumps(pole_entry.changes, ensure_ascii=False)
    own.refresh_from_db()
    assert own.object_repr == f"Inscription n°{registration.pk}"
    assert own.changes["last_name"] == ["x", "[effacé]"]
    assert own.changes["email"] == ["", "[effacé]"]
    assert own.changes["note"] == ["", "de la vallée"]  # never a part of a text


def test_representative_only_deletion_withdraws_the_pending_signature_and_tells_the_signer(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    seed_version_1()
    staff = StaffFactory(email="equipe-s5@labo-ess.example")
    rep = UserFactory(email="rep@exemple.fr", first_name="Rémi", last_name="Rep")
    signer = UserFactory(email="signataire@exemple.fr", first_name="Sam", last_name="Signe")
    pole_a = PoleCoordinatorFactory(user=signer, pole__name="Pôle en attente").pole
    pole_b = PoleCoordinatorFactory(user=signer, pole__name="Pôle validé").pole
    pending = charter_services.signature_submit(
        user=signer, data=signature_data(signer), pole=pole_a
    )
    validated = charter_services.signature_validate(
        signature=charter_services.signature_submit(
            user=signer, data=signature_data(signer), pole=pole_b
        ),
        by=staff,
    )
    # Rémi is named as the representative (e.g. corrected by the staff in the admin).
    Signature.objects.filter(pk__in=[pending.pk, validated.pk]).update(
        representative_email="rep@exemple.fr", representative_last_name="Rep"
    )
    client.force_login(rep)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert not get_user_model().objects.filter(pk=rep.pk).exists()

    pending.refresh_from_db()
    assert pending.signer_id == signer.pk
    assert pending.status == Signature.Status.WITHDRAWN and pending.representative_email == ""
    validated.refresh_from_db()
    assert validated.signer_id == signer.pk
    assert validated.status == Signature.Status.VALIDATED
    assert validated.representative_email == ""
    told = [m for m in mailoutbox if m.to == ["signataire@exemple.fr"]]
    assert len(told) == 1 and "Pôle en attente" in told[0].body
    assert "supprimé son compte" in told[0].body


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(email="admin-s6@labo-ess.example", is_superuser=True))
    return client


def test_admin_refuses_to_delete_a_staff_account(admin_client):
    member = StaffFactory(email="equipe-s6@labo-ess.example")
    url = f"/admin/ptce_portal/user/{member.pk}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "ne peut pas être supprimé" in page.content.decode()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=member.pk).exists()
    # The bulk action too.
    response = admin_client.post(
        "/admin/ptce_portal/user/",
        {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "ne peut pas être supprimé" in response.content.decode()
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_admin_shows_an_erasure_error_as_a_message(admin_client, monkeypatch):
    from django.db.models import ProtectedError

    member = UserFactory(email="protege@exemple.fr")

    def refuse(self, *args, **kwargs):
        raise ProtectedError("protected", set())

    monkeypatch.setattr(get_user_model(), "delete", refuse)
    response = admin_client.post(f"/admin/ptce_portal/user/{member.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/ptce_portal/user/{member.pk}/change/")
    page = admin_client.get(response["Location"])
    assert "rien n&#x27;a été effacé" in page.content.decode()
    assert get_user_model().objects.filter(pk=member.pk).exists()
    assert not AdminLogEntry.objects.filter(object_id=str(member.pk), action_flag=3).exists()


def test_deletion_neutralises_the_admin_log_of_the_persons_own_objects(client):
    staff = StaffFactory(email="equipe-q2@labo-ess.example")
    alex = UserFactory(email="alex@exemple.fr", first_name="Alex", last_name="Moreau")
    other = PoleCoordinatorFactory(pole__name="Pôle d'autrui")
    link = PoleCoordinatorFactory(user=alex, pole__name="Pôle Vert")
    content_type = ContentType.objects.get_for_model(PoleCoordinator)
    rows = [
        AdminLogEntry.objects.create(
            user=staff,
            content_type=content_type,
            object_id=str(c.pk),
            object_repr=repr_,
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["Statut"]}}]',
        )
        for c, repr_ in ((link, "Alex Moreau → Pôle Vert"), (other, "Autre → Pôle d'autrui"))
    ]
    client.force_login(alex)
    client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    mine, theirs = (AdminLogEntry.objects.get(pk=r.pk) for r in rows)
    label = capfirst(PoleCoordinator._meta.verbose_name)
    assert mine.object_repr == f"{label} n°{link.pk}"
    assert "Alex" not in mine.object_repr and mine.change_message == ""
    assert theirs.object_repr == "Autre → Pôle d'autrui" and theirs.change_message


def test_notices_say_regional_coordinations_see_requests_and_edits(client):
    assert "coordination régionale" in client.get("/donnees-personnelles/").content.decode()
    client.force_login(UserFactory())
    assert "coordination régionale" in client.get(DELETE_URL).content.decode()


def test_staff_have_no_delete_link_in_mon_espace(client):
    from ptce_portal.permissions import can_delete_own_account

    member, staff = UserFactory(), StaffFactory(email="equipe-q8@labo-ess.example")
    assert can_delete_own_account(member) and not can_delete_own_account(staff)
    client.force_login(member)
    assert DELETE_URL in client.get("/mon-espace/").content.decode()
    client.force_login(staff)
    assert client.get("/mon-espace/").context["can_delete_account"] is False


def test_deletion_rate_limit_page_leads_back_to_mon_espace(client):
    client.force_login(UserFactory())
    for n in range(10):
        client.post(DELETE_URL, {"password": f"essai-{n}"})
    response = client.post(DELETE_URL, {"password": "encore"})
    assert response.status_code == 429
    html = response.content.decode()
    assert 'href="/mon-espace/"' in html and "supprimer votre compte" in html
    assert "Retour à la connexion" not in html


def test_deleting_a_user_forgets_actor_email_and_address():
    user = UserFactory(email="acteur@exemple.fr")
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Pole),
        object_pk="1",
        object_repr="Pôle",
        action=LogEntry.Action.UPDATE,
        actor=user,
        actor_email="acteur@exemple.fr",
        remote_addr="192.0.2.7",
    )
    pk = user.pk
    user.delete()
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.remote_addr is None
    # A pseudonym, the same for all their changes: attributed, yet nothing of the person.
    assert entry.actor_email == f"compte supprimé n°{pk}"
