"""The pages of the resource centre through the client: propose, edit, submit, moderate."""

import html

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from resources import services
from resources.models import Resource
from tests.poles.factories import PoleCoordinatorFactory

from .conftest import pdf_upload, resource_data

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_propose_with_a_file_then_submit(coordinator_client, coordinator, pole, objective, theme):
    response = coordinator_client.post(
        reverse("resources:create"),
        {
            "title": "Guide de la coopération",
            "kind": "tool",
            "summary": "Un outil pour coopérer.",
            "body": "",
            "licence": "licence-ouverte-2.0",
            "themes": [theme.pk],
            "objectives": [objective.pk],
            "poles": [pole.pk],
            "attachments": [pdf_upload("outil.pdf"), pdf_upload("annexe.pdf")],
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert [a.original_name for a in resource.attachments.all()] == ["outil.pdf", "annexe.pdf"]
    assert list(resource.objectives.all()) == [objective]
    page = _text(coordinator_client.get(resource.get_absolute_url()))
    assert "Brouillon" in page and "Soumettre pour publication" in page
    coordinator_client.post(reverse("resources:submit", kwargs={"slug": resource.slug}))
    resource.refresh_from_db()
    assert resource.status == "submitted"


def test_an_unknown_objective_or_licence_is_a_form_error(coordinator_client):
    response = coordinator_client.post(
        reverse("resources:create"),
        {"title": "T", "kind": "tool", "summary": "R", "licence": "mit", "objectives": [999999]},
    )
    assert response.status_code == 400
    assert not Resource.objects.exists()
    form = response.context["form"]
    assert {"licence", "objectives"} <= set(form.errors)


def test_edit_adds_files_and_another_coordinator_cannot(coordinator_client, coordinator, client):
    resource = services.resource_create(by=coordinator, data=resource_data())
    url = reverse("resources:edit", kwargs={"slug": resource.slug})
    response = coordinator_client.post(
        url,
        {
            "title": "Nouveau titre",
            "kind": "document",
            "summary": "Résumé",
            "licence": "cc-by-4.0",
            "attachments": [pdf_upload("ajout.pdf")],
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (
        resource.title == "Nouveau titre" and resource.slug == "guide-de-la-cooperation-economique"
    )
    assert resource.attachments.get().original_name == "ajout.pdf"
    client.force_login(PoleCoordinatorFactory().user)
    assert client.post(url, {"title": "Volé"}).status_code == 404  # a draft is not theirs to see
    assert resource.attachments.count() == 1


def test_staff_refuse_needs_a_reason_then_publish(staff_client, coordinator):
    resource = services.resource_create(by=coordinator, data=resource_data())
    services.resource_submit(resource=resource, by=coordinator)
    decide = reverse("resources:decide", kwargs={"slug": resource.slug})
    response = staff_client.post(decide, {"action": "refuse", "reason": ""}, follow=True)
    assert "Indiquez le motif du refus" in _text(response)
    resource.refresh_from_db()
    assert resource.status == "submitted"
    queue = _text(staff_client.get(reverse("resources:moderation")))
    assert resource.title in queue
    staff_client.post(decide, {"action": "publish"})
    resource.refresh_from_db()
    assert resource.status == "published"
    # The audit trail says who published it.
    entries = LogEntry.objects.get_for_object(resource)
    assert any("published" in str(entry.changes) for entry in entries)


def test_a_coordinator_cannot_reach_moderation(coordinator_client, coordinator):
    resource = services.resource_create(by=coordinator, data=resource_data())
    services.resource_submit(resource=resource, by=coordinator)
    decide = reverse("resources:decide", kwargs={"slug": resource.slug})
    assert coordinator_client.post(decide, {"action": "publish"}).status_code == 404
    resource.refresh_from_db()
    assert resource.status == "submitted"
