"""Demo data: fictitious, clearly marked, loaded only by `manage.py seed_ptce --demo`.

Production runs `seed_ptce` alone (real data: territories, the 40 poles, the charter, the
2012 and 2014 days, the working referential). `make run` adds this layer so that the portal
is worth visiting: every person here is fictitious, named « … (démo) », with an address at
exemple.org (or the existing staff account at labo-ess.example); the demo day says it will not
take place; assessment titles end with « (démo) ».

What it adds, idempotently (every row is found again by a stable key: an e-mail address, a
pole slug and an assessment title; running it twice changes nothing):
- the demo staff account (`ensure_demo_staff`) and a demo coordinator, approved for Domb'Innov,
  who can log in, edit the pole, see its charter signature and run the self-assessment;
- closed crossed self-assessments for seven real signatory poles, several respondents each,
  answers drawn with a fixed seed and saved through the referential services; two for
  Domb'Innov so that the evolution shows, and enough poles for the community benchmark;
- for staff to handle: a pending coordinator request and a submitted charter signature (for a
  new, unpublished demo pole);
- the fictitious upcoming national day with registration open (`events.demo`).

Every write goes through the apps' services, in one transaction; the e-mails those services
send are swallowed (a dummy mailer), since nobody reads exemple.org.
"""

import io
import os
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from charter import selectors as charter_selectors
from charter import services as charter_services
from charter.models import Signature
from poles import services as pole_services
from poles.models import Department, Pole, PoleCoordinator
from ptce_portal.contributions import DemoContext, steps
from referential import services as referential_services
from referential.models import Answer, Assessment, Indicator, Invitation
from referential.selectors import current_version

DEMO_MARK = "(démo)"
DEMO_DOMAIN = "exemple.org"

COORDINATOR_EMAIL = f"coordination@{DEMO_DOMAIN}"
COORDINATOR_PASSWORD = "demo-coordination"
DEMO_POLE_SLUG = "domb-innov"
# The regional coordination of Auvergne-Rhône-Alpes (Domb'Innov's region) moderates its poles.
REGIONAL_EMAIL = f"coordination-regionale@{DEMO_DOMAIN}"
REGIONAL_PASSWORD = "demo-region"

REQUESTER_EMAIL = f"demande.coordination@{DEMO_DOMAIN}"
REQUESTED_POLE_SLUG = "le-damier"

SIGNER_EMAIL = f"signature@{DEMO_DOMAIN}"
NEW_POLE_NAME = f"Pôle coopératif des Coteaux {DEMO_MARK}"
NEW_POLE_DEPARTMENT = "07"
# ARCEP reserves 04 65 71 xx xx for fiction: this number reaches nobody.
FICTION_PHONE = "04 65 71 00 00"

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


@contextmanager
def _mail_swallowed():
    """The services e-mail on commit; demo addresses read nothing, so nothing is sent."""
    dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    with override_settings(MAILERS=dummy):
        yield


def _user(email: str, first_name: str, last_name: str, *, password: str | None = None):
    """A demo account with a verified e-mail (the portal requires verification to log in)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if password:
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _approved_coordinator(*, user, pole: Pole, staff) -> None:
    coordination = PoleCoordinator.objects.filter(pole=pole, user=user).first()
    if coordination is None:
        coordination = pole_services.coordinator_request(
            user=user, pole=pole, message=f"Compte de démonstration {DEMO_MARK}."
        )
    if coordination.status != PoleCoordinator.Status.APPROVED:
        pole_services.coordinator_approve(coordination=coordination, by=staff)


def _answer(rng: random.Random, base: float, spread: float) -> str:
    if rng.random() < DONT_KNOW_RATE:
        return referential_services.DONT_KNOW
    value = round(base + rng.gauss(0, spread))
    return str(min(4, max(0, value)))


def _run_assessment(*, pole: Pole, coordinator, spec: Round, codes: list[str]) -> Assessment | None:
    """Open, invite, answer and close one assessment, then date it `spec.days_ago` back."""
    if Assessment.objects.filter(pole=pole, title=spec.title).exists():
        return None
    if Assessment.objects.filter(pole=pole, status=Assessment.Status.OPEN).exists():
        return None  # someone is running a real one: leave it alone
    assessment = referential_services.assessment_open(pole=pole, user=coordinator, title=spec.title)
    rng = random.Random(f"ptce-demo:{pole.slug}:{spec.title}")
    invitations = []
    for n in range(1, spec.respondents + 1):
        category = CATEGORY_CYCLE[(n - 1) % len(CATEGORY_CYCLE)]
        invitations.append(
            referential_services.invitation_create(
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
        referential_services.answers_save(invitation=invitation, answers=answers)
    referential_services.assessment_close(assessment=assessment, by=coordinator)

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
            pole_coordinator = _user(
                f"coordination.{slug}@{DEMO_DOMAIN}", "Coordination", f"{pole.name} {DEMO_MARK}"
            )
            _approved_coordinator(user=pole_coordinator, pole=pole, staff=staff)
        for spec in rounds:
            if _run_assessment(pole=pole, coordinator=pole_coordinator, spec=spec, codes=codes):
                created += 1
    return created


def _pending_request() -> None:
    user = _user(REQUESTER_EMAIL, "Dominique", f"Lefèvre {DEMO_MARK}")
    pole = Pole.objects.filter(slug=REQUESTED_POLE_SLUG).first()
    if pole is None or PoleCoordinator.objects.filter(user=user).exists():
        return
    pole_services.coordinator_request(
        user=user,
        pole=pole,
        message=(
            f"Demande fictive {DEMO_MARK} : je coordonne l'animation du pôle depuis "
            "septembre et souhaite tenir sa fiche à jour."
        ),
    )


def _submitted_signature() -> None:
    user = _user(SIGNER_EMAIL, "Alex", f"Moreau {DEMO_MARK}")
    if Signature.objects.filter(signer=user).exists():
        return
    version = charter_selectors.current_version()
    if version is None:
        return
    department = Department.objects.filter(code=NEW_POLE_DEPARTMENT).first()
    data = charter_services.SignatureData(
        pole_contact=f"Maison des coopérations, Privas {DEMO_MARK}",
        representative_last_name=f"Moreau {DEMO_MARK}",
        representative_first_name="Alex",
        representative_email=SIGNER_EMAIL,
        representative_phone=FICTION_PHONE,
        stage=Signature.Stage.IN_CREATION,
        commitment_build=True,
        commitment_community=True,
        place="Privas",
        signature_name=f"Alex Moreau {DEMO_MARK}",
        consent_publication=True,
    )
    charter_services.signature_submit(
        user=user,
        data=data,
        new_pole_name=NEW_POLE_NAME,
        new_pole_fields={
            "departments": [department] if department else None,
            "message": f"Pôle fictif {DEMO_MARK}, proposé avec la signature de la charte.",
        },
        version=version,
    )


def _regional_coordination(*, region) -> None:
    from poles.models import RegionalCoordination

    if region is None:
        return
    user = _user(REGIONAL_EMAIL, "Claude", f"Perrin {DEMO_MARK}", password=REGIONAL_PASSWORD)
    RegionalCoordination.objects.get_or_create(
        user=user, region=region, defaults={"organisation": f"CRESS {region.name} {DEMO_MARK}"}
    )


def accounts() -> list[tuple[str, str, str]]:
    """(who, e-mail, password) of the accounts a visitor can log in with."""
    from portal.management.commands.ensure_demo_staff import (
        DEFAULT_EMAIL,
        DEFAULT_PASSWORD,
    )

    return [
        (
            "équipe du Labo de l'ESS (staff : files de validation, admin)",
            os.environ.get("DEMO_STAFF_EMAIL", DEFAULT_EMAIL),
            os.environ.get("DEMO_STAFF_PASSWORD", DEFAULT_PASSWORD),
        ),
        ("coordination de Domb'Innov (fiche, charte, auto-évaluation)", COORDINATOR_EMAIL,
         COORDINATOR_PASSWORD),
        ("coordination régionale Auvergne-Rhône-Alpes (modération régionale)", REGIONAL_EMAIL,
         REGIONAL_PASSWORD),
    ]  # fmt: skip


def load() -> dict:
    """Everything, in the caller's transaction. Returns a few figures."""
    call_command("ensure_demo_staff", stdout=io.StringIO())
    staff = get_user_model().objects.get(email=accounts()[0][1])
    staff_recovery_codes = _recovery_codes(staff)
    coordinator = _user(
        COORDINATOR_EMAIL, "Camille", f"Martin {DEMO_MARK}", password=COORDINATOR_PASSWORD
    )
    pole = Pole.objects.filter(slug=DEMO_POLE_SLUG).first()
    if pole is not None:
        _approved_coordinator(user=coordinator, pole=pole, staff=staff)
        _regional_coordination(region=pole.region)
    created = _assessments(staff=staff, coordinator=coordinator)
    _pending_request()
    _submitted_signature()
    # The apps' own demo steps, in their order.
    context = DemoContext(staff=staff, data={"coordinator": coordinator, "pole": pole})
    for _app, step in steps("demo"):
        step.run(context)
    event = context.data["event"]
    return {
        "assessments_created": created,
        "event": event,
        "staff_recovery_codes": staff_recovery_codes,
    }


def _recovery_codes(user) -> list[str]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(instance).get_unused_codes()


def run(*, stdout=None) -> dict:
    with _mail_swallowed(), transaction.atomic():
        figures = load()
    if stdout is not None:
        demo_users = Q(user__email__iendswith=f"@{DEMO_DOMAIN}")
        closed = Assessment.objects.filter(title__endswith=DEMO_MARK).count()
        requests = PoleCoordinator.objects.filter(
            demo_users, status=PoleCoordinator.Status.REQUESTED
        ).count()
        signatures = Signature.objects.filter(
            signer__email__iendswith=f"@{DEMO_DOMAIN}", status=Signature.Status.SUBMITTED
        ).count()
        event = figures["event"]
        stdout.write(
            f"démo : {closed} auto-évaluations fictives clôturées "
            f"({figures['assessments_created']} créées à l'instant) ; à traiter par l'équipe : "
            f"{requests} demande(s) de coordination, {signatures} signature(s) de la charte ; "
            f"« {event.title} » le {event.date:%d/%m/%Y}, "
            f"{event.registrations.exclude(status='cancelled').count()} inscrit·es"
        )
        stdout.write("")
        stdout.write("Comptes de démonstration (données fictives) :")
        for who, email, password in accounts():
            stdout.write(f"  {who} : {email} / mot de passe : {password}")
        from portal.management.commands.ensure_demo_staff import second_factor_help

        stdout.write(second_factor_help(figures["staff_recovery_codes"]))
    return figures
