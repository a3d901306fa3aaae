"""The report of a closed assessment is rendered once, then served from the cache."""

import pytest

from ptce_portal.cached_documents import document_cache
from referential.models import Answer, Assessment
from referential.pdf import report_cache_key
from tests.poles.factories import PoleCoordinatorFactory

from .factories import AssessmentFactory, InvitationFactory, close

pytestmark = pytest.mark.django_db

SENTINEL = b"%PDF-1.7 served from the cache, not rendered"


@pytest.fixture
def assessment(version, pole, coordinator):
    assessment = AssessmentFactory(version=version, pole=pole, opened_by=coordinator)
    invitation = InvitationFactory(assessment=assessment, category="ess")
    Answer.objects.create(
        invitation=invitation,
        indicator=assessment.version.indicators.get(code="1.1.1"),
        value=3,
    )
    return assessment


def url_of(assessment) -> str:
    return f"/referentiel/evaluations/{assessment.pk}/rapport.pdf"


def test_report_of_an_open_assessment_is_not_cached(coordinator_client, assessment):
    response = coordinator_client.get(url_of(assessment))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert document_cache().get(report_cache_key(assessment)) is None


def test_report_of_a_closed_assessment_is_cached_and_permissions_come_first(
    client, coordinator_client, assessment
):
    close(assessment)
    first = coordinator_client.get(url_of(assessment))
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    key = report_cache_key(Assessment.objects.get(pk=assessment.pk))
    assert document_cache().get(key) == first.content
    document_cache().set(key, SENTINEL)
    assert coordinator_client.get(url_of(assessment)).content == SENTINEL

    client.force_login(PoleCoordinatorFactory().user)  # coordinates another pole
    assert client.get(url_of(assessment)).status_code == 404
    client.logout()
    assert client.get(url_of(assessment)).status_code == 302


def test_reopened_then_closed_again_is_another_report(coordinator_client, assessment):
    close(assessment)
    key = report_cache_key(Assessment.objects.get(pk=assessment.pk))
    Assessment.objects.filter(pk=assessment.pk).update(status="open", closed_at=None)
    reopened = Assessment.objects.get(pk=assessment.pk)
    assert report_cache_key(close(reopened)) != key
