"""What the peers' tests share: a closed self-assessment with chosen scores per principal
objective, a published resource filed under objectives, a pole with its coordinator."""

from django.utils import timezone
from django.utils.text import slugify

from referential.models import PrincipalObjective
from resources.models import Resource
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory
from tests.referential.factories import AssessmentFactory, InvitationFactory, answer_all, close


def pole_with_coordinator(name: str, **kwargs):
    """(pole, its approved coordinator)."""
    pole = PoleFactory(name=name, **kwargs)
    return pole, PoleCoordinatorFactory(pole=pole).user


def closed_assessment(*, pole, version, scores: dict[str, int], default: int = 3, by=None):
    """A closed assessment of `pole` whose every question of principal objective `code` was
    answered `scores[code]` (else `default`), by one respondent."""
    assessment = AssessmentFactory(pole=pole, version=version, opened_by=by)
    invitation = InvitationFactory(assessment=assessment)
    answer_all(invitation, lambda code: scores.get(code.rsplit(".", 1)[0], default))
    return close(assessment)


def objective(version, code: str) -> PrincipalObjective:
    return PrincipalObjective.objects.get(version=version, code=code)


def published_resource(title: str, *objectives, status=Resource.Status.PUBLISHED, **kwargs):
    resource = Resource.objects.create(
        title=title,
        slug=slugify(title)[:200],
        kind=kwargs.pop("kind", Resource.Kind.EXPERIENCE),
        summary=kwargs.pop("summary", f"Résumé de « {title} »."),
        status=status,
        published_at=timezone.now() if status == Resource.Status.PUBLISHED else None,
        **kwargs,
    )
    resource.objectives.set(objectives)
    return resource
