"""Real seed vs demo seed: production's `seed_ptce` holds no demo row; `seed_ptce --demo`
adds fictitious, marked, idempotent data that makes the portal worth visiting."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse

from charter.demo import NEW_POLE_NAME
from charter.models import Signature
from events.models import Event
from poles.demo import (
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    DEMO_POLE_SLUG,
    REQUESTED_POLE_SLUG,
)
from poles.models import Pole, PoleCoordinator
from ptce_portal.demo import DEMO_MARK
from ptce_portal.models import User
from referential.demo import FIRST_ROUND, SECOND_ROUND
from referential.models import Answer, Assessment, Invitation
from referential.selectors import MIN_BENCHMARK_POLES

pytestmark = pytest.mark.django_db

DEMO_EMAILS = Q(email__iendswith="@exemple.org") | Q(email__iendswith=".example")


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_ptce", *args, stdout=out)
    return out.getvalue()


def all_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo_seeded(demo_instance):
    return seed("--demo")


def login(client, email: str, password: str):
    """Through the real allauth form, as a visitor would with the printed credentials."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_real_seed_has_no_demo_rows():
    out = seed()
    assert "démo" not in out.lower()
    assert Pole.objects.filter(status=Pole.Status.SIGNATORY).count() == 40
    assert Event.objects.count() == 2
    assert not Event.objects.filter(is_demo=True).exists()
    assert not User.objects.exists()
    assert not PoleCoordinator.objects.exists()
    assert not Assessment.objects.exists()
    assert not Invitation.objects.exists()
    assert not Pole.objects.filter(name__contains=DEMO_MARK).exists()
    assert not Signature.objects.filter(signer__isnull=False).exists()
    assert set(Signature.objects.values_list("status", flat=True)) == {"validated"}


def test_demo_data_is_refused_on_what_looks_like_production(settings):
    """DEBUG off and no DEMO_BANNER: no public demo password nor second factor is created."""
    settings.DEBUG, settings.DEMO_BANNER = False, False
    counts = all_counts()
    for command in (("seed_ptce", "--demo"), ("ensure_demo_staff",)):
        with pytest.raises(CommandError, match="DEMO_BANNER=1"):
            call_command(*command, stdout=io.StringIO())
    assert all_counts() == counts


def test_demo_is_marked_and_idempotent(demo_seeded):
    first = all_counts()
    out = seed("--demo")
    assert all_counts() == first
    # Every demo person is fictitious and says so (the staff account is the foundation's).
    people = User.objects.all()
    assert people.count() == people.filter(DEMO_EMAILS).count() >= 3
    assert all(DEMO_MARK in u.last_name for u in people.exclude(email__endswith="labo-ess.example"))
    assert Invitation.objects.exclude(email__endswith="@exemple.org").count() == 0
    assert Assessment.objects.exclude(title__endswith=DEMO_MARK).count() == 0
    assert Event.objects.filter(is_demo=True).count() == 1
    # Printed, like ensure_demo_staff does.
    assert f"{COORDINATOR_EMAIL} / mot de passe : {COORDINATOR_PASSWORD}" in out
    assert "equipe@labo-ess.example / mot de passe : demo-ptce-2014" in out


def test_demo_content_for_every_journey(demo_seeded):
    closed = Assessment.objects.filter(status=Assessment.Status.CLOSED)
    assert closed.values("pole").distinct().count() >= MIN_BENCHMARK_POLES + 1
    for assessment in closed:
        assert assessment.invitations.count() >= 5
        assert Answer.objects.filter(invitation__assessment=assessment).count() >= 5 * 30
    assert closed.filter(pole__slug=DEMO_POLE_SLUG).count() == 2
    # Deterministic answers: same seed, same values.
    first_values = list(
        Answer.objects.filter(invitation__assessment__pole__slug="pole-sud")
        .order_by("invitation__email", "indicator__code")
        .values_list("value", flat=True)
    )
    assert len(set(first_values)) >= 4  # a spread, not a constant
    # For staff: one pending coordinator request on an existing pole, one on the new demo
    # pole, and the signature that proposed it, waiting in the queue.
    pending = PoleCoordinator.objects.filter(status=PoleCoordinator.Status.REQUESTED)
    assert set(pending.values_list("pole__slug", flat=True)) >= {REQUESTED_POLE_SLUG}
    signature = Signature.objects.get(status=Signature.Status.SUBMITTED)
    assert signature.pole.name == NEW_POLE_NAME and not signature.pole.is_published
    # The demo day: upcoming, registration open.
    day = Event.objects.get(is_demo=True)
    assert day.registration_is_open() and not day.is_past
    registered = day.registrations.values_list("email", flat=True)
    assert COORDINATOR_EMAIL in registered and len(registered) == 7
    assert day.capacity > len(registered)  # a visitor can still register


def test_demo_coordinator_sees_results_radar_evolution_and_benchmark(client, demo_seeded):
    login(client, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    assert "Domb" in client.get(reverse("dashboard")).content.decode()
    latest = Assessment.objects.get(pole__slug=DEMO_POLE_SLUG, title=SECOND_ROUND)
    response = client.get(reverse("referential:results", args=[latest.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="ptce-chart ptce-chart-radar"' in html
    assert "Évolution" in html and FIRST_ROUND in html  # the earlier assessment
    assert "Médiane des autres pôles" in html  # the community benchmark (≥ 5 other poles)
    assert response.context["results"]["benchmark"]["enough"]
    assert response.context["results"]["benchmark"]["poles"] >= MIN_BENCHMARK_POLES


def test_demo_staff_sees_the_validation_queues(client, demo_seeded):
    login(client, "equipe@labo-ess.example", "demo-ptce-2014")
    # Staff accounts have a second factor: the seed prints single-use recovery codes.
    assert client.get(reverse("charter:validation")).status_code == 302  # not yet
    codes = re.search(r"codes de récupération[^:]*: ([\d ]+)", demo_seeded).group(1).split()
    assert len(codes) == 10
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302, response.content.decode()[:2000]
    queue = client.get(reverse("charter:validation"))
    assert queue.status_code == 200
    assert "Pôle coopératif des Coteaux" in queue.content.decode()
    requests = client.get(reverse("admin:poles_polecoordinator_changelist") + "?status=requested")
    assert requests.status_code == 200
    assert "Dominique Lefèvre (démo)" in requests.content.decode()
