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
