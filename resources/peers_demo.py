"""Demo data of peer help (`seed_ptce --demo`, fictitious, run by the resources' demo step
after the referential's): a few poles of the referential's demo offer their help on the
weakest objectives of Domb'Innov's latest demo self-assessment, each note marked « (démo) »
(the poles are real, their offers are not); Domb'Innov offers help on its strongest one and
has one request waiting in its space. Everything goes through the services; idempotent."""

from poles.demo import DEMO_POLE_SLUG, approved_coordinator
from poles.models import Pole
from ptce_portal.contributions import DemoContext
from ptce_portal.demo import DEMO_DOMAIN, DEMO_MARK, demo_user
from referential.models import Assessment
from referential.report import weakest_principals
from referential.selectors import current_version

from . import peers_selectors as selectors
from . import peers_services as services
from .peers_models import ExchangeRequest, HelpOffer

# (pole slug, which of Domb'Innov's weakest objectives: 0 the weakest), with what it offers.
OFFERS = [
    ("ptce-pays-de-bray", 0, "Nos outils et retours d'expérience, à partager lors d'un appel"),
    ("la-coursive-boutaric", 0, "Une journée d'immersion chez nous, sur demande"),
    ("ptce-sud-aquitain", 1, "Trois années de travail sur cet objectif, avec nos erreurs"),
    ("culture-cooperation", 2, "Notre grille de suivi, partagée avec nos financeurs"),
    ("lille-metropole-solidaire", 2, "Échanges entre coordinations, une fois par trimestre"),
]
# The pole that asks Domb'Innov for an exchange, on Domb'Innov's strongest objective.
REQUESTER_SLUG = "pole-sud"


def _coordinator(pole: Pole, staff):
    """The pole's demo coordinator (the referential's demo made it; no password)."""
    user = demo_user(
        f"coordination.{pole.slug}@{DEMO_DOMAIN}", "Coordination", f"{pole.name} {DEMO_MARK}"
    )
    approved_coordinator(user=user, pole=pole, staff=staff)
    return user


def _offer(pole: Pole, by, objective, note: str) -> HelpOffer:
    offers = {o: n.note for o, n in selectors.help_offers_of(pole).items()}
    offers[objective.pk] = f"{note} {DEMO_MARK}"
    services.help_offers_save(
        pole=pole, by=by, objectives=selectors.help_objectives(), offers=offers
    )
    return HelpOffer.objects.get(pole=pole, objective=objective)


def run(context: DemoContext) -> None:
    version = current_version()
    home = Pole.objects.filter(slug=DEMO_POLE_SLUG).first()
    coordinator = context.data.get("coordinator")
    if version is None or home is None or coordinator is None:
        return
    latest = (
        Assessment.objects.filter(pole=home, version=version, status=Assessment.Status.CLOSED)
        .order_by("-closed_at")
        .first()
    )
    if latest is None:
        return
    weakest = weakest_principals(latest, 3)
    poles = Pole.objects.in_bulk(
        [slug for slug, _n, _t in OFFERS] + [REQUESTER_SLUG], field_name="slug"
    )
    offered = 0
    for slug, rank, note in OFFERS:
        pole = poles.get(slug)
        if pole is None or rank >= len(weakest) or not pole.is_published:
            continue
        _offer(pole, _coordinator(pole, context.staff), weakest[rank].principal, note)
        offered += 1

    # Domb'Innov offers help where it is strongest, and a pole asks it for an exchange there.
    strongest = weakest_principals(latest, 9)[-1].principal
    home_offer = _offer(home, coordinator, strongest, "Animation d'un réseau d'entreprises")
    requester = poles.get(REQUESTER_SLUG)
    if requester is not None and requester.is_published:
        by = _coordinator(requester, context.staff)
        if not ExchangeRequest.objects.filter(requester_pole=requester, helper_pole=home).exists():
            services.exchange_request_create(
                requester_pole=requester,
                offer=home_offer,
                by=by,
                message=(
                    f"Message fictif {DEMO_MARK} : notre pôle cherche à mieux associer les "
                    "entreprises de son territoire. Pourrions-nous en parler lors d'un appel ?"
                ),
            )
    context.summary.append(
        f"{offered} offres d'entraide fictives sur les objectifs faibles de Domb'Innov, "
        "une demande d'échange en attente dans son espace"
    )
