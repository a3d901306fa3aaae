"""Audit log pages: bad filter values, local times, deletions, labels."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit import selectors
from audit.mixins import _entry_context
from referential.models import Invitation
from tests.factories import StaffFactory
from tests.poles.factories import PoleFactory

pytestmark = pytest.mark.django_db

LOG_URL = "/admin/audit/logentry/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


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
