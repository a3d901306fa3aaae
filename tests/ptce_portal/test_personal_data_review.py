"""Review fixes of the personal-data erasure and export: exact recipients in the outbox,
audit-log scrubbing limited to the person's own objects, signatures where the person is
only the representative, the admin's deletion of accounts, Django's admin log, notices."""

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import capfirst

from charter import services as charter_services
from charter.models import Signature
from charter.seed import seed_version_1
from events.models import Registration
from poles.models import Pole, PoleCoordinator
from ptce_portal.models import OutgoingEmail
from tests.charter.conftest import signature_data
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/mon-espace/mes-donnees.json"
DELETE_URL = "/mon-espace/supprimer/"


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


# --- S1: outbox recipients are matched by whole address ---------------------------------------


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


# --- S3: the audit log is scrubbed only on the person's own objects, by whole values ---------


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


# --- S5: a signature where the person is only the representative ------------------------------


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


# --- S6: the admin refuses the accounts Mon espace refuses; errors are messages --------------


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


# --- Q2: Django's admin log ----------------------------------------------------------------------


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


# --- Q4, Q8, Q15: notices, the named predicate, the deletion's own rate-limit page -----------


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


# --- Q20: one way to forget the actor ------------------------------------------------------------


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
