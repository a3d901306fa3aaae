import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ptce_portal import gdpr
from resources import personal_data, selectors, services
from resources.models import Resource
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory

from .conftest import pdf_upload, published_resource, resource_data

pytestmark = pytest.mark.django_db


def test_a_coordinator_proposes_a_draft_filed_under_objectives_themes_and_poles(
    coordinator, pole, objective, theme
):
    resource = services.resource_create(
        by=coordinator,
        data=resource_data(objectives=[objective], themes=[theme], poles=[pole]),
        uploads=[pdf_upload()],
    )
    assert resource.status == Resource.Status.DRAFT
    assert resource.author == coordinator
    assert resource.slug == "guide-de-la-cooperation-economique"
    assert list(resource.objectives.all()) == [objective]
    assert list(resource.themes.all()) == [theme]
    assert list(resource.poles.all()) == [pole]
    assert [a.original_name for a in resource.attachments.all()] == ["guide.pdf"]
    # Not public before staff publish it.
    assert not selectors.search_results(selectors.Criteria()).exists()


def test_a_member_without_a_pole_cannot_propose(db):
    with pytest.raises(PermissionDenied):
        services.resource_create(by=UserFactory(), data=resource_data())
    assert not Resource.objects.exists()


def test_required_fields_and_unknown_choices_are_refused_in_french(coordinator):
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            by=coordinator, data=resource_data(title=" ", summary="", kind="film", licence="x")
        )
    assert set(error.value.message_dict) == {"title", "summary", "kind", "licence"}
    assert "Donnez un titre" in error.value.message_dict["title"][0]
    assert not Resource.objects.exists()


def test_slugs_are_unique_and_never_an_address_of_the_centre(coordinator):
    first = services.resource_create(by=coordinator, data=resource_data(title="Pairs"))
    second = services.resource_create(by=coordinator, data=resource_data(title="Pairs"))
    third = services.resource_create(by=coordinator, data=resource_data(title="Proposer"))
    assert (first.slug, second.slug, third.slug) == ("pairs-2", "pairs-3", "proposer-2")


def test_submit_publish_tells_staff_then_the_author(
    coordinator, staff, django_capture_on_commit_callbacks
):
    resource = services.resource_create(by=coordinator, data=resource_data())
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_submit(resource=resource, by=coordinator)
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "attend d'être publiée" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.resource_publish(resource=resource, by=staff)
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.published_at is not None and resource.decided_by == staff
    assert mail.outbox[-1].to == [coordinator.email]
    assert resource.get_absolute_url() in mail.outbox[-1].body


def test_refusal_needs_a_reason_sent_to_the_author(
    coordinator, staff, django_capture_on_commit_callbacks
):
    resource = services.resource_create(by=coordinator, data=resource_data())
    services.resource_submit(resource=resource, by=coordinator)
    with pytest.raises(ValidationError):
        services.resource_refuse(resource=resource, by=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.resource_refuse(
            resource=resource, by=staff, reason="Ajoutez les sources des chiffres."
        )
    assert resource.status == Resource.Status.REFUSED
    assert "Ajoutez les sources des chiffres." in mail.outbox[-1].body
    # The author changes it and submits it again.
    services.resource_update(
        resource=resource, by=coordinator, data=resource_data(body="Sources : …")
    )
    resource = services.resource_submit(resource=resource, by=coordinator)
    assert resource.status == Resource.Status.SUBMITTED and resource.refusal_reason == ""


def test_only_staff_moderate(coordinator, staff):
    resource = services.resource_create(by=coordinator, data=resource_data())
    services.resource_submit(resource=resource, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.resource_publish(resource=resource, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.resource_refuse(resource=resource, by=coordinator, reason="non")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.SUBMITTED


def test_the_author_edits_until_publication_staff_after(coordinator, staff, pole):
    resource = services.resource_create(by=coordinator, data=resource_data())
    other = PoleCoordinatorFactory().user
    with pytest.raises(PermissionDenied):
        services.resource_update(resource=resource, by=other, data=resource_data(title="Volé"))
    services.resource_submit(resource=resource, by=coordinator)
    services.resource_publish(resource=resource, by=staff)
    with pytest.raises(PermissionDenied):
        services.resource_update(
            resource=resource, by=coordinator, data=resource_data(title="Après")
        )
    updated = services.resource_update(
        resource=resource, by=staff, data=resource_data(title="Corrigé par l'équipe")
    )
    assert updated.title == "Corrigé par l'équipe" and updated.status == Resource.Status.PUBLISHED


def test_unpublish_takes_it_off_the_centre(coordinator, staff):
    resource = published_resource(coordinator, staff)
    services.resource_unpublish(resource=resource, by=staff)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.DRAFT and resource.published_at is None
    assert not selectors.search_results(selectors.Criteria()).exists()


def test_the_database_refuses_what_the_rules_forbid(coordinator):
    resource = services.resource_create(by=coordinator, data=resource_data())
    for changes in (
        {"status": "refused", "refusal_reason": ""},
        {"status": "published", "published_at": None},
        {"kind": "film"},
        {"summary": "x" * 601},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Resource.objects.filter(pk=resource.pk).update(**changes)


def test_personal_data_export_and_erase(
    coordinator, staff, django_capture_on_commit_callbacks, settings
):
    published = published_resource(coordinator, staff, title="Publiée")
    draft = services.resource_create(
        by=coordinator, data=resource_data(title="Brouillon"), uploads=[pdf_upload()]
    )
    stored = draft.attachments.get().file.name
    storage = draft.attachments.get().file.storage
    exported = personal_data.export(coordinator)
    assert [r["titre"] for r in exported["ressources"]] == ["Publiée", "Brouillon"]
    assert exported["ressources"][1]["fichiers"] == ["guide.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(coordinator)
    published.refresh_from_db()
    assert published.author is None and published.status == Resource.Status.PUBLISHED
    assert not Resource.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(stored)


def test_the_account_export_and_deletion_go_through_the_contribution(coordinator, staff):
    published = published_resource(coordinator, staff, title="Publiée")
    exported = gdpr.personal_data_export(user=coordinator)
    assert [r["titre"] for r in exported["resources"]["ressources"]] == ["Publiée"]
    gdpr.account_erase(user=coordinator)
    published.refresh_from_db()
    assert published.author is None and published.is_published


def test_dashboard_panel_lists_my_resources_and_their_state(coordinator_client, coordinator):
    services.resource_create(by=coordinator, data=resource_data(title="Ma fiche"))
    response = coordinator_client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ma fiche" in html and "brouillon" in html
    assert reverse("resources:create") in html


def test_staff_queue_counts_what_waits(coordinator, staff):
    resource = services.resource_create(by=coordinator, data=resource_data())
    services.resource_submit(resource=resource, by=coordinator)
    (queue,) = selectors.staff_queues()
    assert queue.count == 1 and queue.items[0].label == resource.title
    assert queue.is_open_to(staff) and not queue.is_open_to(coordinator)
