"""Volume for the benchmark, on top of `seed_ptce`: bulk inserts, deterministic (fixed seed).

Signatory poles with coordinates up to `poles` (2,040 by default), so that the map draws
exactly that many markers (the map shows published signatories with coordinates only); every
added pole is a published signatory with departments, themes, members, some laureates. 200 closed
self-assessments with their respondents' answers, 2,000 registrations for one extra day,
20,000 change-log entries.
"""

import random
from datetime import time, timedelta

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event, Registration
from poles.models import CallForProjects, Department, Pole, PoleCoordinator, PoleMember, Theme
from poles.selectors import map_poles
from referential.models import Answer, Assessment, Indicator, Invitation, ReferentialVersion

DEFAULT_POLES = 2040
CLOSED_ASSESSMENTS = 200
RESPONDENTS_PER_ASSESSMENT = (3, 8)
REGISTRATIONS = 2000
BENCH_EVENT_SLUG = "journee-banc-d-essai"
STAFF_EMAIL = "equipe@bench.example"
COORDINATOR_EMAIL = "coordination@bench.example"

KINDS = ["Pôle", "PTCE", "Coopérative", "Réseau", "Fabrique", "Atelier", "Cluster"]
SUBJECTS = [
    "solidaire",
    "des circuits courts",
    "de l'économie circulaire",
    "culturel",
    "du réemploi",
    "des mobilités",
    "agricole et alimentaire",
    "numérique et coopératif",
    "de l'habitat durable",
    "des services à la personne",
]
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Sacha", "Alix", "Noé", "Lou", "Maël", "Inès"]
LAST_NAMES = ["Martin", "Bernard", "Durand", "Petit", "Moreau", "Laurent", "Garnier", "Roux"]


@transaction.atomic
def add(*, poles: int = DEFAULT_POLES, stdout=print) -> dict:
    rng = random.Random(2014)
    # The map's markers, not the directory's count, reach `poles` (the map is the costliest).
    on_map = map_poles(Pole.objects.filter(is_published=True)).count()
    extra = max(0, poles - on_map)
    new = _poles(rng, extra)
    # Assessments and registrations go to the new poles first, then to those of 2014.
    poles = new + list(Pole.objects.filter(is_published=True).exclude(pk__in=[p.pk for p in new]))
    assessment = _assessments(rng, poles)
    event = _registrations(rng, poles)
    staff = _staff()
    _change_log(rng, poles, staff)
    counts = {
        "published_poles": Pole.objects.filter(is_published=True).count(),
        "map_markers": map_poles(Pole.objects.filter(is_published=True)).count(),
        "pole_members": PoleMember.objects.count(),
        "closed_assessments": Assessment.objects.filter(status=Assessment.Status.CLOSED).count(),
        "answers": Answer.objects.count(),
        "registrations": Registration.objects.count(),
        "change_log_entries": LogEntry.objects.count(),
    }
    stdout("volume: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return {"assessment": assessment, "event": event, "staff": staff, "counts": counts}


def _staff():
    """A staff account as production has them: in the staff group, with its second factor
    (otherwise every staff page would send it to the TOTP activation)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from ptce_portal.permissions import staff_group

    staff = get_user_model().objects.create_user(STAFF_EMAIL, is_staff=True, first_name="Équipe")
    staff.groups.add(staff_group())
    TOTP.activate(staff, generate_totp_secret())
    return staff


def _change_log(rng, poles, staff, entries: int = 20_000) -> None:
    """Years of edits in the change log: pole pages changed by the staff, written in bulk
    (saving the poles one by one would take minutes)."""
    pole_type = ContentType.objects.get_for_model(Pole)
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=pole_type,
                object_pk=str(pole.pk),
                object_id=pole.pk,
                object_repr=pole.name,
                action=LogEntry.Action.UPDATE,
                changes={"website": ["", f"https://pole-{pole.pk}.example"]},
                actor=staff,
                timestamp=now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
            )
            for pole in (rng.choice(poles) for _ in range(entries))
        ],
        batch_size=2_000,
    )


def _poles(rng, count: int) -> list[Pole]:
    departments = list(Department.objects.select_related("region", "former_region"))
    themes = list(Theme.objects.all())
    rows = []
    for i in range(count):
        dept = departments[i % len(departments)]
        name = f"{rng.choice(KINDS)} {rng.choice(SUBJECTS)} de {dept.chef_lieu}"
        rows.append(
            Pole(
                name=name,
                slug=f"{slugify(name)[:100]}-{i}",
                carrier_structure=f"Association {rng.choice(SUBJECTS)} {i}",
                short_description=f"Coopération économique territoriale autour de {dept.name}.",
                description="Un pôle du banc d'essai. " * 20,
                website=f"https://pole-{i}.example.org",
                town=dept.chef_lieu,
                territory_label=dept.name,
                region=dept.region,
                former_region=dept.former_region,
                latitude=round(dept.latitude + rng.uniform(-0.15, 0.15), 5),
                longitude=round(dept.longitude + rng.uniform(-0.15, 0.15), 5),
                year_created=rng.randint(2000, 2014),
                maturity=rng.choice(Pole.Maturity.values),
                status=Pole.Status.SIGNATORY,
                is_published=True,
            )
        )
    poles = Pole.objects.bulk_create(rows, batch_size=500)
    dept_links, theme_links, members = [], [], []
    for i, pole in enumerate(poles):
        link = Pole.departments.through
        dept_links.append(link(pole=pole, department=departments[i % len(departments)]))
        if i % 5 == 0:  # a fifth straddle two departments
            other = departments[(i + 1) % len(departments)]
            dept_links.append(link(pole=pole, department=other))
        for theme in rng.sample(themes, rng.randint(1, 3)):
            theme_links.append(Pole.themes.through(pole=pole, theme=theme))
        for n in range(rng.randint(3, 8)):
            members.append(
                PoleMember(
                    pole=pole,
                    name=f"Membre {n} du pôle {i}",
                    category=rng.choice(PoleMember.Category.values),
                    town=pole.town,
                )
            )
    Pole.departments.through.objects.bulk_create(dept_links, batch_size=2000)
    Pole.themes.through.objects.bulk_create(theme_links, batch_size=2000)
    PoleMember.objects.bulk_create(members, batch_size=2000)
    call = CallForProjects.objects.order_by("year").first()
    if call:
        call.laureates.add(*poles[::20])
    return poles


def _assessments(rng, poles) -> Assessment:
    """Closed assessments of the first 200 poles; returns one whose results page is measured,
    with an approved coordinator (COORDINATOR_EMAIL)."""
    version = ReferentialVersion.objects.get(is_working_version=True)
    indicators = list(Indicator.objects.filter(version=version))
    opener = get_user_model().objects.create_user(COORDINATOR_EMAIL, first_name="Coordination")
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            pole=pole,
            version=version,
            title=f"Auto-évaluation {2015 + i % 10}",
            status=Assessment.Status.CLOSED,
            opened_by=opener,
            opened_at=now - timedelta(days=90),
            closed_at=now - timedelta(days=30),
            closed_by=opener,
        )
        for i, pole in enumerate(poles[:CLOSED_ASSESSMENTS])
    )
    categories = [value for value, _label in Invitation.CATEGORY_CHOICES]
    invitations = Invitation.objects.bulk_create(
        Invitation(
            assessment=a,
            email=f"repondant{n}.{a.pk}@bench.example",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            category=rng.choice(categories),
            invited_by=opener,
            sent_at=now - timedelta(days=80),
            send_count=1,
            first_answer_at=now - timedelta(days=60),
            last_answer_at=now - timedelta(days=40),
        )
        for a in assessments
        for n in range(rng.randint(*RESPONDENTS_PER_ASSESSMENT))
    )
    answers = []
    for invitation in invitations:
        for indicator in indicators:
            dont_know = rng.random() < 0.05
            answers.append(
                Answer(
                    invitation=invitation,
                    indicator=indicator,
                    value=None if dont_know else rng.randint(0, 4),
                    dont_know=dont_know,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=5000)
    measured = assessments[0]
    PoleCoordinator.objects.create(
        pole=measured.pole, user=opener, status=PoleCoordinator.Status.APPROVED
    )
    return measured


def _registrations(rng, poles) -> Event:
    today = timezone.localdate()
    confirmed = REGISTRATIONS - REGISTRATIONS // 20  # 5 % cancelled
    event = Event.objects.create(
        title="Journée du banc d'essai",
        slug=BENCH_EVENT_SLUG,
        date=today + timedelta(days=45),
        start_time=time(9, 30),
        end_time=time(17, 0),
        venue="Grande salle",
        city="Lyon",
        summary="Journée fictive du banc d'essai, avec 2 000 inscriptions.",
        capacity=REGISTRATIONS,
        seats_taken=confirmed,
        registration_opens_at=timezone.now() - timedelta(days=30),
        registration_closes_at=timezone.now() + timedelta(days=40),
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        (
            Registration(
                event=event,
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)} {i}",
                email=f"inscrit{i}@bench.example",
                organisation=poles[i % len(poles)].name,
                pole=poles[i % len(poles)],
                category=rng.choice(Registration.Category.values),
                public_consent=i % 2 == 0,
                status=Registration.Status.CONFIRMED
                if i < confirmed
                else Registration.Status.CANCELLED,
                cancelled_at=None if i < confirmed else now,
                created_at=now - timedelta(minutes=REGISTRATIONS - i),
            )
            for i in range(REGISTRATIONS)
        ),
        batch_size=1000,
    )
    return event
