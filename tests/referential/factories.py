"""Factories of the referential domain (poles factories come from tests/poles)."""

import factory
from django.utils import timezone

from referential.models import Answer, Assessment, Indicator, Invitation
from tests.factories import UserFactory
from tests.poles.factories import PoleFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An open assessment; pass `version` (the working version from the `version` fixture)."""

    class Meta:
        model = Assessment

    pole = factory.SubFactory(PoleFactory)
    title = factory.Sequence(lambda n: f"Auto-évaluation {n}")
    opened_by = factory.SubFactory(UserFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    assessment = factory.SubFactory(AssessmentFactory)
    email = factory.Sequence(lambda n: f"repondant{n}@exemple.fr")
    category = Invitation.COORDINATION
    sent_at = factory.LazyFunction(timezone.now)
    send_count = 1


def answer_all(invitation: Invitation, value_for) -> None:
    """Answer every question of the invitation's version: value_for(code) -> int | "ns" | None."""
    rows = []
    for indicator in Indicator.objects.filter(version_id=invitation.assessment.version_id):
        value = value_for(indicator.code)
        if value is None:
            continue
        rows.append(
            Answer(
                invitation=invitation,
                indicator=indicator,
                value=None if value == "ns" else value,
                dont_know=value == "ns",
            )
        )
    Answer.objects.bulk_create(rows)


def close(assessment: Assessment, when=None) -> Assessment:
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = when or timezone.now()
    assessment.save()
    return assessment
