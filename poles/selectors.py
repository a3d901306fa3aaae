from django.db.models import QuerySet

from .models import Pole, PoleCoordinator


def poles_coordinated_by(user) -> QuerySet[Pole]:
    """Poles for which `user` is an approved coordinator."""
    if not user.is_authenticated:
        return Pole.objects.none()
    return Pole.objects.filter(
        coordinators__user=user, coordinators__status=PoleCoordinator.Status.APPROVED
    ).distinct()


def is_coordinator(user, pole: Pole) -> bool:
    if not user.is_authenticated:
        return False
    return PoleCoordinator.objects.filter(
        pole=pole, user=user, status=PoleCoordinator.Status.APPROVED
    ).exists()
