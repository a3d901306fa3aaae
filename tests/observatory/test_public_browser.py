"""Headless Chromium: issue 16's first journey. Staff open the 2026 campaign; a coordinator
fills the report in, saves, comes back and submits; staff accept; the aggregate appears on
/observatoire/ once 5 poles are accepted (and not before); the pole's page shows the
figures it agreed to publish. Then the public page at 1280 and 390 px, with axe."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from observatory.models import Report
from tests.browser import log_in
from tests.factories import StaffFactory, UserFactory
from tests.observatory.public_helpers import report
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(**options):
        context = browser.new_context(locale="fr-FR", base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


FIGURES = {
    "members_ess": "9",
    "members_enterprise": "4",
    "members_authority": "2",
    "members_research": "1",
    "members_training": "1",
    "members_other": "3",
    "jobs_people": "42",
    "jobs_fte": "35,5",
    "jobs_created": "5",
    "public_funding_share": "30",
    "projects_started": "4",
}


def test_observatory_journey(new_page, axe_check):
    call_command("load_observatory_questionnaire", verbosity=0)
    staff = StaffFactory(email="equipe-observatoire@exemple.fr")
    coordinator = UserFactory(email="coordination-observatoire@exemple.fr")
    pole = PoleFactory(
        name="Pôle du parcours (démo)",
        slug="pole-du-parcours",
        charter_signed_on=timezone.localdate() - timedelta(days=400),
    )
    PoleCoordinatorFactory(pole=pole, user=coordinator)

    # Staff create and open the 2026 campaign.
    staff_page = new_page()
    log_in(staff_page, staff.email, totp_of=staff)
    staff_page.goto("/observatoire/equipe/")
    staff_page.locator("[name=year]").fill("2026")
    today = timezone.localdate()
    staff_page.locator("[name=opens_on]").fill((today - timedelta(days=7)).isoformat())
    staff_page.locator("[name=closes_on]").fill((today + timedelta(days=30)).isoformat())
    staff_page.get_by_role("button", name="Créer la campagne").click()
    staff_page.goto("/observatoire/equipe/2026/")
    staff_page.get_by_role("button", name="Ouvrir la campagne").click()
    staff_page.wait_for_load_state()

    # Four other poles already have an accepted report: nothing is published yet.
    for jobs in (10, 20, 30, 50):
        report(year=2026, jobs=jobs)
    visitor = new_page()
    visitor.goto("/observatoire/")
    assert visitor.get_by_text("Moins de 5 pôles ont un rapport accepté").is_visible()
    assert visitor.locator("#obs-members-title").count() == 0

    # The coordinator fills the report in, saves a draft, comes back, submits.
    coord = new_page()
    log_in(coord, coordinator.email)
    coord.goto("/observatoire/mon-pole/pole-du-parcours/2026/")
    for name, value in list(FIGURES.items())[:6]:
        coord.locator(f"[name={name}]").fill(value)
    coord.get_by_role("button", name=re.compile("Enregistrer")).click()
    coord.wait_for_load_state()
    coord.goto("/mon-espace/")
    coord.goto("/observatoire/mon-pole/pole-du-parcours/2026/")
    assert coord.locator("[name=members_ess]").input_value() == "9"  # the draft was kept
    for name, value in FIGURES.items():
        coord.locator(f"[name={name}]").fill(value)
    coord.locator("[name=turnover_band]").select_option(index=2)
    coord.locator("[name=budget_band]").select_option(index=2)
    coord.locator("[name=territory_kind]").first.check()
    coord.locator("[name=territory_names]").fill("Charleville-Mézières")
    coord.locator("[name=publish_jobs]").check()  # only the jobs may bear the pole's name
    coord.get_by_role("button", name="Transmettre le rapport").click()
    coord.wait_for_load_state()
    submitted = Report.objects.get(pole=pole, campaign__year=2026)
    assert submitted.state == Report.State.SUBMITTED
    assert submitted.jobs_people == 42

    # Not accepted yet: still nothing on the public page.
    visitor.goto("/observatoire/")
    assert visitor.get_by_text("Moins de 5 pôles ont un rapport accepté").is_visible()

    # Staff accept it: the fifth pole.
    staff_page.goto("/observatoire/equipe/2026/pole-du-parcours/")
    staff_page.get_by_role("button", name="Accepter le rapport").click()
    staff_page.wait_for_load_state()
    assert Report.objects.get(pk=submitted.pk).state == Report.State.ACCEPTED

    visitor.goto("/observatoire/")
    assert visitor.locator("#obs-members-title").is_visible()
    assert visitor.locator(".obs-headline strong").inner_text() == "5"
    jobs_table = visitor.get_by_role("table", name="Emplois par pôle : quartiles et médiane")
    median = jobs_table.get_by_role("row", name=re.compile("Emplois directs \\(personnes\\)"))
    assert "30" in median.inner_text()  # 10, 20, 30, 42, 50
    assert visitor.locator("svg[role=img][aria-labelledby]").count() >= 4

    # The pole's page: the published jobs, not the unpublished members.
    visitor.goto("/poles/pole-du-parcours/")
    block = visitor.locator("section.pole-observatory")
    assert block.get_by_role("heading", name="Chiffres clés").is_visible()
    text = block.inner_text()
    assert "42" in text and "35,5" in text
    assert "Entreprises de l'économie sociale" not in text

    # The public page is accessible and fits a desktop and a phone.
    axe_check(visitor)
    for width in (1280, 390):
        page = new_page(viewport={"width": width, "height": 900})
        page.goto("/observatoire/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto("/poles/pole-du-parcours/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
