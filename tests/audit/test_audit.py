"""Audit trail: who changed what, when, before/after, through the real views."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit import selectors
from audit.masking import MASK
from audit.mixins import _entry_context
from charter import services as charter_services
from charter.models import Signature
from events import services as event_services
from events.models import Event, Registration
from poles.models import Pole
from referential.models import Answer, Assessment, Invitation
from tests.charter.conftest import signature_data
from tests.events.factories import EventFactory
from tests.factories import StaffFactory, UserFactory
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory
from tests.poles.test_coordinators import edit_payload
from tests.referential.factories import AssessmentFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


@pytest.fixture
def pending_signature(charter_version):
    signer = UserFactory(first_name="Camille", last_name="Durand")
    return charter_services.signature_submit(
        user=signer, data=signature_data(signer), new_pole_name="Pôle à valider"
    )


@pytest.fixture
def charter_version(db):
    from charter.seed import seed_version_1

    return seed_version_1()


def test_staff_validating_a_signature_is_logged_with_actor_and_before_after(
    client, staff, pending_signature
):
    client.force_login(staff)
    url = reverse("charter:decide", kwargs={"code": pending_signature.verification_code})
    response = client.post(url, {"action": "validate", "confirmed": "1"})
    assert response.status_code == 302
    pending_signature.refresh_from_db()
    assert pending_signature.status == Signature.Status.VALIDATED

    entry = entries_for(pending_signature).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == staff
    assert entry.changes_dict["status"] == ["submitted", "validated"]
    assert entry.changes_dict["validated_by"] == ["None", str(staff.pk)]
    # The pole was published by an update() in poles.services: logged explicitly.
    published = entries_for(pending_signature.pole).filter(actor=staff)
    assert any(e.changes_dict.get("is_published") == ["False", "True"] for e in published), [
        e.changes_dict for e in published
    ]


def test_signature_personal_fields_are_masked(pending_signature):
    create = entries_for(pending_signature).get(action=LogEntry.Action.CREATE)
    assert create.actor is None  # service called outside a request
    changes = create.changes_dict
    assert changes["representative_email"] == ["None", MASK]
    assert changes["representative_last_name"] == ["None", MASK]
    assert "verification_code" not in changes
    assert pending_signature.representative_email not in str(changes)


def test_coordinator_editing_their_pole_is_logged_with_before_after(client):
    pole = PoleFactory(carrier_structure="Ancienne structure", contact_email="")
    coordinator = PoleCoordinatorFactory(pole=pole).user
    client.force_login(coordinator)
    response = client.post(reverse("poles:edit", kwargs={"slug": pole.slug}), edit_payload(pole))
    assert response.status_code == 302

    entry = entries_for(pole).filter(action=LogEntry.Action.UPDATE, actor=coordinator).get()
    assert entry.changes_dict["carrier_structure"] == ["Ancienne structure", "Nouvelle structure"]
    assert entry.changes_dict["year_created"][1] == "2012"
    # The contact e-mail changed, but its value never reaches the log.
    assert entry.changes_dict["contact_email"] == ["", MASK]
    assert not LogEntry.objects.filter(changes__icontains="contact@pole.example").exists()
    # The members formset created members, each logged with the coordinator as actor.
    assert (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get(app_label="poles", model="polemember"),
            action=LogEntry.Action.CREATE,
            actor=coordinator,
        ).count()
        == 2
    )


def test_coordinator_closing_an_assessment_is_logged(client):
    from referential.seed import load_working_version

    version = load_working_version()
    pole = PoleFactory()
    coordinator = PoleCoordinatorFactory(pole=pole).user
    assessment = AssessmentFactory(pole=pole, version=version)
    client.force_login(coordinator)
    response = client.post(
        reverse("referential:close", kwargs={"pk": assessment.pk}), {"confirm": "on"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CLOSED
    entry = entries_for(assessment).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == coordinator
    assert entry.changes_dict["status"] == ["open", "closed"]
    assert entry.changes_dict["closed_by"] == ["None", str(coordinator.pk)]


def test_token_answers_do_not_crash_and_have_no_actor(client):
    from referential.seed import load_working_version

    version = load_working_version()
    invitation = InvitationFactory(assessment__version=version, email="repondante@exemple.fr")
    response = client.post(
        f"/referentiel/repondre/{invitation.token}/partie-1/",
        {"q-1.1.1": "3", "c-1.1.1": "Diagnostic partagé"},
    )
    # Saved: back to the same part (POST/redirect/GET).
    assert response.status_code == 302
    assert response["Location"] == f"/referentiel/repondre/{invitation.token}/partie-1/#contenu"
    assert Answer.objects.filter(invitation=invitation).count() == 1
    # Answers themselves are not audited; the invitation's first answer is, without actor.
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Answer)
    ).exists()
    entry = entries_for(invitation).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor is None
    assert "first_answer_at" in entry.changes_dict
    assert "last_answer_at" not in entry.changes_dict
    # The invitation's e-mail is not in the label or the changes of any entry.
    assert not LogEntry.objects.filter(object_repr__icontains="repondante").exists()
    assert not LogEntry.objects.filter(changes__icontains="repondante").exists()
    assert entries_for(invitation).first().object_repr == f"Invitation n°{invitation.pk}"


def register(event, email):
    return event_services.registration_create(
        event=event, first_name="Alex", last_name="Martin", email=email, category="citizen"
    ).registration


def test_registration_promoted_from_the_waiting_list_is_logged(client, staff):
    event = EventFactory(capacity=1)
    register(event, "un@exemple.fr")
    waiting = register(event, "deux@exemple.fr")
    assert waiting.status == Registration.Status.WAITLISTED
    Event.objects.filter(pk=event.pk).update(capacity=2)
    client.force_login(staff)
    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "fill_from_waiting_list", "_selected_action": [event.pk]},
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    entry = entries_for(waiting).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == staff
    assert entry.changes_dict["status"] == ["waitlisted", "confirmed"]
    assert "promoted_at" in entry.changes_dict
    # No name or e-mail of the registrant in the log.
    assert entry.object_repr.startswith("Inscription n°")
    for e in entries_for(waiting):
        assert "deux@exemple.fr" not in str(e.changes_dict) and "Martin" not in str(e.changes_dict)
        assert "Martin" not in e.object_repr


def test_log_admin_lists_actor_by_name_and_filters(client, staff, pending_signature):
    client.force_login(staff)
    client.post(
        reverse("charter:decide", kwargs={"code": pending_signature.verification_code}),
        {"action": "validate", "confirmed": "1"},
    )
    other = UserFactory(first_name="Zoé", last_name="Autre")
    pole = PoleFactory(name="Pôle de Zoé")
    coordinator_client = type(client)()
    PoleCoordinatorFactory(pole=pole, user=other)
    coordinator_client.force_login(other)
    coordinator_client.post(reverse("poles:edit", kwargs={"slug": pole.slug}), edit_payload(pole))

    url = reverse("admin:audit_logentry_changelist")
    html = client.get(url).content.decode()
    assert "Claire Équipe" in html and "Zoé Autre" in html
    assert "Pôle à valider" in html

    response = client.get(url, {"auteur": staff.pk})
    rows = response.context["cl"].result_list
    assert rows and {e.actor_id for e in rows} == {staff.pk}
    assert "Modification" in response.content.decode()

    signature_ct = ContentType.objects.get_for_model(Signature)
    response = client.get(url, {"modele": signature_ct.pk, "action": "1"})
    rows = response.context["cl"].result_list
    assert rows and all(e.content_type_id == signature_ct.pk and e.action == 1 for e in rows)
    pole_ct = ContentType.objects.get_for_model(Pole)
    rows = client.get(url, {"modele": pole_ct.pk, "auteur": other.pk}).context["cl"].result_list
    assert rows and {e.object_repr for e in rows} == {"Pôle de Zoé"}

    # Bad filter values: an empty list, never a 500.
    for params in ({"auteur": "x"}, {"modele": "abc"}, {"action": "9"}, {"auteur": "aucun"}):
        assert client.get(url, params).status_code == 200
    # One entry's page shows the before/after table.
    entry = entries_for(pending_signature).get(action=LogEntry.Action.UPDATE)
    html = client.get(reverse("admin:audit_logentry_change", args=[entry.pk])).content.decode()
    assert "Avant" in html and "Après" in html
    assert "en attente de validation" in html and "validée" in html


def test_signature_admin_page_shows_its_history(client, staff, pending_signature):
    client.force_login(staff)
    client.post(
        reverse("charter:decide", kwargs={"code": pending_signature.verification_code}),
        {"action": "validate", "confirmed": "1"},
    )
    change_url = reverse("admin:charter_signature_change", args=[pending_signature.pk])
    html = client.get(change_url).content.decode()
    assert "Dernières modifications" in html
    assert "Claire Équipe" in html
    assert "en attente de validation" in html  # status before, in words
    history_url = reverse("admin:charter_signature_auditlog", args=[pending_signature.pk])
    assert history_url in html
    html = client.get(history_url).content.decode()
    assert "Claire Équipe" in html and "Création" in html and "Modification" in html
    # The log is staff-only.
    client.force_login(UserFactory())
    assert client.get(history_url).status_code == 302


def test_deleting_an_account_keeps_entries_but_forgets_the_person(client, pending_signature):
    user = UserFactory(first_name="Ana", last_name="Partante", email="ana@exemple.fr")
    pole = PoleFactory()
    PoleCoordinatorFactory(pole=pole, user=user)
    client.force_login(user)
    client.post(reverse("poles:edit", kwargs={"slug": pole.slug}), edit_payload(pole))
    entry = entries_for(pole).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == user and entry.actor_email == "ana@exemple.fr"
    pk = user.pk
    user.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_email == f"compte supprimé n°{pk}"
    assert not LogEntry.objects.filter(actor_email="ana@exemple.fr").exists()


def test_publishing_a_charter_version_logs_the_previous_current_one(charter_version):
    new = charter_services.charter_version_copy(version=charter_version)
    charter_services.charter_version_publish(version=new)
    entry = entries_for(charter_version).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.changes_dict == {"is_current": ["True", "False"]}
    create = entries_for(new).get(action=LogEntry.Action.CREATE)
    assert "sections" not in create.changes_dict  # reverse relations are not logged


def test_granting_staff_rights_is_logged_without_personal_details(staff):
    from auditlog.context import set_actor
    from django.contrib.auth.models import Group

    user = UserFactory(first_name="Léa", last_name="Promue", email="lea@exemple.fr")
    group = Group.objects.create(name="Équipe test")
    with set_actor(staff):
        user.is_staff = True
        user.save()
        user.groups.add(group)
    entries = entries_for(user).filter(actor=staff)
    assert [e.changes_dict for e in entries] == [
        {"is_staff": ["False", "True"]},
        {"groups": {"type": "m2m", "operation": "add", "objects": ["Équipe test"]}},
    ]
    for entry in entries_for(user):
        assert entry.object_repr == f"Utilisateur n°{user.pk}"
        assert "lea@exemple.fr" not in str(entry.changes) and "Promue" not in str(entry.changes)
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])  # a login: nothing logged
    assert entries_for(user).count() == 3


@pytest.mark.parametrize("object_id", ["999999", "abc", "1%2F..%2F2"])
def test_history_of_a_missing_object_redirects_not_500(client, staff, object_id):
    client.force_login(staff)
    response = client.get(f"/admin/charter/signature/{object_id}/auditlog/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_former_staff_members_decisions_stay_attributed_after_their_account_is_deleted(
    client, pending_signature
):
    """Leaving the team then deleting the account: the decisions keep one same author,
    a pseudonym, shown as such in the log."""
    staff = StaffFactory(first_name="Paul", last_name="Parti", email="paul@labo.example")
    client.force_login(staff)
    client.post(
        reverse("charter:decide", kwargs={"code": pending_signature.verification_code}),
        {"action": "validate", "confirmed": "1"},
    )
    entries = LogEntry.objects.filter(actor=staff)
    assert entries.exists()
    ids = list(entries.values_list("pk", flat=True))
    staff.is_staff = False
    staff.save()
    pk = staff.pk
    staff.delete()
    labels = {selectors.actor_label(entry) for entry in LogEntry.objects.filter(pk__in=ids)}
    assert labels == {f"compte supprimé n°{pk}"}


# --- The log's filters, labels and admin pages ---------------------------------------------------


LOG_URL = "/admin/audit/logentry/"


@pytest.mark.parametrize("param", ["auteur", "modele"])
@pytest.mark.parametrize("value", ["²", "١٢", "-1", "9" * 5000, "1" * 19])
def test_filters_with_non_ascii_or_huge_numbers_give_an_empty_list(staff_client, param, value):
    PoleFactory()  # one entry in the log
    response = staff_client.get(LOG_URL, {param: value})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def _invitation_entry(before, after):
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Invitation),
        object_pk="1",
        object_repr="Invitation n°1",
        action=LogEntry.Action.UPDATE,
        changes={"first_answer_at": [before, after]},
    )


def test_naive_utc_datetimes_of_auditlog_are_shown_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Paris"
    # auditlog stores str(datetime) of a UTC value, without its offset.
    entry = _invitation_entry("2026-07-01 10:05:00", "2026-11-27 00:22:41.581817")
    [row] = selectors.change_rows(entry)
    assert "12:05" in row["before"] and "10:05" not in row["before"]  # summer: UTC+2
    assert "01:22" in row["after"] and "00:22" not in row["after"]  # winter: UTC+1
    # An aware value keeps working.
    entry = _invitation_entry("None", "2026-11-27T00:22:41+00:00")
    assert "01:22" in selectors.change_rows(entry)[0]["after"]


def test_deletion_is_told_by_the_selector_not_by_a_number(staff_client):
    pole = PoleFactory()
    pole_pk = pole.pk
    pole.delete()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(type(pole)),
        object_pk=str(pole_pk),
        action=LogEntry.Action.DELETE,
    )
    assert selectors.is_delete(entry) is True
    assert _entry_context(entry)["is_delete"] is True
    # A deletion without logged fields says so in words.
    LogEntry.objects.filter(pk=entry.pk).update(changes={})
    html = staff_client.get(reverse("admin:audit_logentry_change", args=[entry.pk]))
    assert "Objet supprimé." in html.content.decode()
    update = _invitation_entry("None", "2026-11-27 00:22:41")
    assert selectors.is_delete(update) is False


def test_one_history_per_object(staff_client):
    pole = PoleFactory()
    history = reverse("admin:poles_pole_history", args=[pole.pk])
    auditlog = reverse("admin:poles_pole_auditlog", args=[pole.pk])
    response = staff_client.get(history)
    assert response.status_code == 302 and response["Location"] == auditlog
    html = staff_client.get(reverse("admin:poles_pole_change", args=[pole.pk])).content.decode()
    assert auditlog in html
    assert history not in html  # no second "Historique" button


def test_log_entry_page_has_no_history_button(staff_client):
    PoleFactory()
    entry = LogEntry.objects.latest("pk")
    change = reverse("admin:audit_logentry_change", args=[entry.pk])
    history = reverse("admin:audit_logentry_history", args=[entry.pk])
    html = staff_client.get(change).content.decode()
    assert history not in html and 'class="object-tools"' not in html
    response = staff_client.get(history)
    assert response.status_code == 302 and response["Location"] == change


def test_log_list_reads_well(staff_client):
    LogEntry.objects.all().delete()  # creating the staff account was logged
    response = staff_client.get(LOG_URL)
    html = response.content.decode()
    assert "Aucune modification enregistrée pour l'instant" in html  # empty log
    assert "Sélectionnez" not in html
    assert "<h1>Journal des modifications</h1>" in html
    PoleFactory()
    html = staff_client.get(LOG_URL).content.decode()
    assert "modifications enregistrées" in html and "journal des modifications" not in html
    # Breadcrumb: the app is "Suivi", not a second "Journal des modifications".
    assert "Suivi" in html
    html = staff_client.get(LOG_URL, {"auteur": "aucun", "action": "2"}).content.decode()
    assert "Aucune modification ne correspond à ces filtres." in html


def test_audit_styles_come_from_a_stylesheet_without_a_second_visually_hidden(staff_client):
    pole = PoleFactory()
    html = staff_client.get(reverse("admin:poles_pole_auditlog", args=[pole.pk])).content.decode()
    assert "audit/audit.css" in html and "<style>" not in html
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static/audit/audit.css").read_text()
    dashboard = (Path(settings.BASE_DIR) / "static/ptce_portal/admin_dashboard.css").read_text()
    assert "visually-hidden" not in css.replace("Screen-reader", "").split("*/", 1)[1]
    assert ".ptce-visually-hidden" not in dashboard


def test_dashboard_side_column_lists_my_audit_entries(client):
    from auditlog.context import set_actor

    staff = StaffFactory()
    with set_actor(staff):
        PoleFactory(name="Pôle modifié par moi")
    PoleFactory(name="Pôle d'un autre")
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Mes dernières modifications" in html
    assert "Pôle modifié par moi" in html
    assert "Pôle d&#x27;un autre" not in html and "Pôle d'un autre" not in html
    assert "Actions récentes" not in html


def _logged_fields(label, audit):
    from django.apps import apps

    model = apps.get_model(label)
    include = audit.include_fields or None
    for field in model._meta.get_fields():
        if field.auto_created or not hasattr(field, "verbose_name"):
            continue  # reverse relations, the automatic primary key
        if field.name in audit.exclude_fields:
            continue  # never logged
        if include is not None and field.name not in include and field.name not in audit.m2m_fields:
            continue
        yield model, field


def test_every_audited_field_has_a_french_label():
    """The before/after tables and the admin show verbose names: none may be the
    attribute's name Django falls back on ("user", "pole", "session"…)."""
    from django.utils.functional import Promise

    from audit.registration import audited_models

    missing = [
        f"{model._meta.label}.{field.name}"
        for label, audit in audited_models().items()
        for model, field in _logged_fields(label, audit)
        if not isinstance(field.verbose_name, Promise)  # Django's fallback is a plain str
    ]
    assert missing == []


def test_before_after_table_uses_the_french_label():
    from poles.models import PoleCoordinator

    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(PoleCoordinator),
        object_pk="1",
        object_repr="Coordination n°1",
        action=LogEntry.Action.UPDATE,
        changes={"pole": ["None", "1"], "user": ["None", "1"]},
    )
    assert [row["field"] for row in selectors.change_rows(entry)] == ["Pôle", "Compte"]
