"""Demo data of poles (`seed_ptce --demo`, fictitious): a coordinator of Domb'Innov who can
log in, the regional coordination of its region, and a coordinator request waiting for staff.
Idempotent: every row is found again by an e-mail address or a pole slug."""

from django.db.models import Q

from ptce_portal.contributions import DemoContext
from ptce_portal.demo import DEMO_DOMAIN, DEMO_MARK, demo_totp, demo_user

from . import services
from .models import Pole, PoleCoordinator, RegionalCoordination

COORDINATOR_EMAIL = f"coordination@{DEMO_DOMAIN}"
COORDINATOR_PASSWORD = "demo-coordination"
DEMO_POLE_SLUG = "domb-innov"
# The regional coordination of Auvergne-Rhône-Alpes (Domb'Innov's region) moderates its poles.
REGIONAL_EMAIL = f"coordination-regionale@{DEMO_DOMAIN}"
REGIONAL_PASSWORD = "demo-region"

REQUESTER_EMAIL = f"demande.coordination@{DEMO_DOMAIN}"
REQUESTED_POLE_SLUG = "le-damier"


def approved_coordinator(*, user, pole: Pole, staff) -> None:
    """`user` coordinates `pole`, asked and approved through the services."""
    coordination = PoleCoordinator.objects.filter(pole=pole, user=user).first()
    if coordination is None:
        coordination = services.coordinator_request(
            user=user, pole=pole, message=f"Compte de démonstration {DEMO_MARK}."
        )
    if coordination.status != PoleCoordinator.Status.APPROVED:
        services.coordinator_approve(coordination=coordination, by=staff)


def _pending_request() -> None:
    user = demo_user(REQUESTER_EMAIL, "Dominique", f"Lefèvre {DEMO_MARK}")
    pole = Pole.objects.filter(slug=REQUESTED_POLE_SLUG).first()
    if pole is None or PoleCoordinator.objects.filter(user=user).exists():
        return
    services.coordinator_request(
        user=user,
        pole=pole,
        message=(
            f"Demande fictive {DEMO_MARK} : je coordonne l'animation du pôle depuis "
            "septembre et souhaite tenir sa fiche à jour."
        ),
    )


def _regional_coordination(*, region) -> None:
    if region is None:
        return
    user = demo_user(REGIONAL_EMAIL, "Claude", f"Perrin {DEMO_MARK}", password=REGIONAL_PASSWORD)
    RegionalCoordination.objects.get_or_create(
        user=user, region=region, defaults={"organisation": f"CRESS {region.name} {DEMO_MARK}"}
    )
    demo_totp(user)  # a regional coordination signs in with a second factor, as staff do


def run(context: DemoContext) -> None:
    coordinator = demo_user(
        COORDINATOR_EMAIL, "Camille", f"Martin {DEMO_MARK}", password=COORDINATOR_PASSWORD
    )
    pole = Pole.objects.filter(slug=DEMO_POLE_SLUG).first()
    if pole is not None:
        approved_coordinator(user=coordinator, pole=pole, staff=context.staff)
        _regional_coordination(region=pole.region)
    _pending_request()
    context.data.update(coordinator=coordinator, pole=pole)
    context.accounts.append(
        ("coordination de Domb'Innov (fiche, charte, auto-évaluation)", COORDINATOR_EMAIL,
         COORDINATOR_PASSWORD)
    )  # fmt: skip
    context.accounts.append(
        ("coordination régionale Auvergne-Rhône-Alpes (modération régionale)", REGIONAL_EMAIL,
         REGIONAL_PASSWORD)
    )  # fmt: skip
    requests = PoleCoordinator.objects.filter(
        Q(user__email__iendswith=f"@{DEMO_DOMAIN}"), status=PoleCoordinator.Status.REQUESTED
    ).count()
    context.summary.append(f"{requests} demande(s) de coordination à traiter par l'équipe")
