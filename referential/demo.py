"""Demo data of the referential (`seed_ptce --demo`, fictitious): closed crossed
self-assessments for seven real signatory poles, several respondents each, answers drawn with
a fixed seed and saved through the services; two for Domb'Innov so that the evolution shows,
and enough poles for the community benchmark. Idempotent: found again by pole and title."""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from poles.demo import DEMO_POLE_SLUG, approved_coordinator
from poles.models import Pole
from ptce_portal.contributions import DemoContext
from ptce_portal.demo import DEMO_DOMAIN, DEMO_MARK, demo_user

from . import services
from .models import Answer, Assessment, Indicator, Invitation
from .selectors import current_version

FIRST_ROUND = f"Première auto-évaluation croisée {DEMO_MARK}"
SECOND_ROUND = f"Deuxième auto-évaluation croisée {DEMO_MARK}"
ONE_ROUND = f"Auto-évaluation croisée {DEMO_MARK}"

CATEGORY_CYCLE = [
    Invitation.COORDINATION,
    "ess",
    "enterprise",
    "authority",
    "ess",
    "research",
    "training",
    "other",
]


@dataclass
class Round:
    title: str
    respondents: int
    days_ago: int  # closed that many days before the first load
    shift: float = 0.0  # how brightly this pole sees itself overall, on the 0–4 scale
    # Bias by principal objective (1.1 … 3.3) or by indicator (1.1.1 …).
    bias: dict[str, float] = field(default_factory=dict)
    # Questions where categories disagree: {indicator: {category: extra bias}}.
    divergent: dict[str, dict[str, float]] = field(default_factory=dict)
    # {indicator: {category: comment}}: written by the first respondent of that category.
    comments: dict[str, dict[str, str]] = field(default_factory=dict)


C, ESS, ENT, AUTH = Invitation.COORDINATION, "ess", "enterprise", "authority"

# Profiles inspired by what the poles said of their strengths and weaknesses on
# 19 September 2014 (report of the national day), then made up: these are not their answers.
ROUNDS: dict[str, list[Round]] = {
    "domb-innov": [
        Round(
            FIRST_ROUND,
            6,
            400,
            shift=-0.1,
            bias={"2.1": 1.2, "2.1.1": 0.6, "2.3": -1.2, "2.3.1": -0.8, "3.3": -0.4},
            divergent={"2.2.1": {AUTH: 1.8, ESS: -1.4}},
            comments={
                "2.3.1": {C: "Aucune formation à la coopération n'a encore été proposée."},
                "2.1.1": {
                    ENT: "Entreprises, collectivités, associations, centre de formation : "
                    "une vraie diversité autour de la table."
                },
                "2.2.1": {
                    AUTH: "Les décisions se prennent en comité de pilotage, où nous siégeons.",
                    ESS: "Les petites structures se sentent peu écoutées au comité.",
                },
            },
        ),
        Round(
            SECOND_ROUND,
            7,
            20,
            shift=0.3,
            bias={"2.1": 1.2, "2.1.1": 0.5, "2.3": -0.2, "2.3.1": 0.2, "3.2": 0.3, "3.3": -0.3},
            divergent={"3.3.2": {AUTH: 1.8, C: -1.6}, "2.2.1": {AUTH: 0.8, ESS: -0.9}},
            comments={
                "2.3.1": {
                    C: "Deux journées de formation à la coopération ont eu lieu cette année."
                },
                "3.3.2": {
                    C: "L'animation dépend encore trop des appels à projets.",
                    AUTH: "La communauté de communes s'est engagée sur trois ans.",
                },
            },
        ),
    ],
    "ptce-pays-de-bray": [
        Round(
            ONE_ROUND,
            6,
            30,
            bias={"3.1": 0.9, "3.1.4": 0.8, "1.3": -1.0, "1.3.2": -0.6, "1.3.4": -1.2},
            divergent={"1.3.3": {AUTH: 1.8, ENT: -1.2}},
            comments={
                "1.3.4": {ESS: "La dimension culturelle reste absente de nos projets."},
                "3.1.4": {ENT: "Les liens avec les entreprises du bassin sont anciens et solides."},
            },
        )
    ],
    "la-coursive-boutaric": [
        Round(
            ONE_ROUND,
            5,
            45,
            shift=0.2,
            bias={"3.1": 1.1, "3.1.1": 0.6, "1.2": 0.4, "3.3": -0.8},
            divergent={"2.2.3": {ESS: -1.6, C: 1.2}},
            comments={"3.1.1": {C: "Locaux, accueil et comptabilité sont mutualisés."}},
        )
    ],
    "ptce-sud-aquitain": [
        Round(
            ONE_ROUND,
            5,
            60,
            shift=-0.2,
            bias={"1.1": 0.9, "3.2": 0.5, "2.2": -0.7},
            divergent={"2.2.1": {ENT: -1.6, AUTH: 1.2}},
        )
    ],
    "lille-metropole-solidaire": [
        Round(
            ONE_ROUND,
            6,
            75,
            shift=-0.3,
            bias={"2.1": 0.8, "2.3.4": 0.9, "3.3": -1.0, "3.3.2": -0.6},
        )
    ],
    "culture-cooperation": [
        Round(
            ONE_ROUND,
            5,
            90,
            shift=0.1,
            bias={"1.3": 1.2, "1.3.4": 0.8, "3.2.3": 0.6, "3.3": -1.1},
            divergent={"3.1.2": {ENT: 1.6, ESS: -1.0}},
        )
    ],
    "pole-sud": [
        Round(
            ONE_ROUND,
            7,
            105,
            shift=0.4,
            bias={"3.2": 1.0, "3.2.2": 0.6, "2.2": 0.5, "1.3": -0.5},
        )
    ],
}

BASELINE = 2.2
NOISE = 0.55  # spread of one answer around the respondent's view
MOOD = 0.25  # spread of respondents' overall optimism
DONT_KNOW_RATE = 0.04


def _answer(rng: random.Random, base: float, spread: float) -> str:
    if rng.random() < DONT_KNOW_RATE:
        return services.DONT_KNOW
    value = round(base + rng.gauss(0, spread))
    return str(min(4, max(0, value)))


def _run_assessment(*, pole: Pole, coordinator, spec: Round, codes: list[str]) -> Assessment | None:
    """Open, invite, answer and close one assessment, then date it `spec.days_ago` back."""
    if Assessment.objects.filter(pole=pole, title=spec.title).exists():
        return None
    if Assessment.objects.filter(pole=pole, status=Assessment.Status.OPEN).exists():
        return None  # someone is running a real one: leave it alone
    assessment = services.assessment_open(pole=pole, user=coordinator, title=spec.title)
    rng = random.Random(f"ptce-demo:{pole.slug}:{spec.title}")
    invitations = []
    for n in range(1, spec.respondents + 1):
        category = CATEGORY_CYCLE[(n - 1) % len(CATEGORY_CYCLE)]
        invitations.append(
            services.invitation_create(
                assessment=assessment,
                email=f"repondant-{n}.{pole.slug}@{DEMO_DOMAIN}",
                category=category,
                by=coordinator,
                name=f"Répondant·e {n} {DEMO_MARK}",
                organisation=f"Structure fictive {n} {DEMO_MARK}",
            )
        )
    commented: set[tuple[str, str]] = set()
    for invitation in invitations:
        mood = rng.gauss(0, MOOD)  # some respondents see everything a bit brighter
        answers = {}
        for code in codes:
            principal = code.rsplit(".", 1)[0]
            base = BASELINE + spec.shift + mood + spec.bias.get(principal, 0)
            base += spec.bias.get(code, 0) + spec.divergent.get(code, {}).get(
                invitation.category, 0
            )
            comment = spec.comments.get(code, {}).get(invitation.category, "")
            if comment and (code, invitation.category) in commented:
                comment = ""
            if comment:
                commented.add((code, invitation.category))
            answers[code] = (_answer(rng, base, NOISE), comment)
        services.answers_save(invitation=invitation, answers=answers)
    services.assessment_close(assessment=assessment, by=coordinator)

    closed = timezone.now() - timedelta(days=spec.days_ago)
    opened = closed - timedelta(days=28)
    Assessment.objects.filter(pk=assessment.pk).update(opened_at=opened, closed_at=closed)
    for n, invitation in enumerate(invitations, start=1):
        answered = opened + timedelta(days=2 + 3 * n, hours=n)
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=opened + timedelta(hours=1),
            sent_at=opened + timedelta(hours=1),
            expires_at=closed + timedelta(days=30),
            first_answer_at=answered,
            last_answer_at=answered + timedelta(days=1),
        )
        Answer.objects.filter(invitation=invitation).update(updated_at=answered)
    return assessment


def _assessments(*, staff, coordinator) -> int:
    version = current_version()
    if version is None:
        return 0
    codes = list(
        Indicator.objects.filter(version=version)
        .order_by("principal__general__position", "principal__position", "position")
        .values_list("code", flat=True)
    )
    poles = Pole.objects.in_bulk(list(ROUNDS), field_name="slug")
    created = 0
    for slug, rounds in ROUNDS.items():
        pole = poles.get(slug)
        if pole is None:
            continue
        if slug == DEMO_POLE_SLUG:
            pole_coordinator = coordinator
        else:
            pole_coordinator = demo_user(
                f"coordination.{slug}@{DEMO_DOMAIN}", "Coordination", f"{pole.name} {DEMO_MARK}"
            )
            approved_coordinator(user=pole_coordinator, pole=pole, staff=staff)
        for spec in rounds:
            if _run_assessment(pole=pole, coordinator=pole_coordinator, spec=spec, codes=codes):
                created += 1
    return created


def run(context: DemoContext) -> None:
    created = _assessments(staff=context.staff, coordinator=context.data.get("coordinator"))
    closed = Assessment.objects.filter(title__endswith=DEMO_MARK).count()
    context.summary.append(
        f"{closed} auto-évaluations fictives clôturées ({created} créées à l'instant)"
    )
