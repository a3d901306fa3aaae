"""The coordinators' report pages (form, autosave, submit) and staff's pages (campaigns,
review), over the test client; query counts flat."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from observatory import services
from observatory.models import Campaign, Report
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory

from .conftest import complete_post, complete_values, signatory_pole

pytestmark = pytest.mark.django_db


def _url(pole, campaign, name="observatory:report_edit"):
    return reverse(name, kwargs={"slug": pole.slug, "year": campaign.year})


# --- Coordinators ----------------------------------------------------------------------------


def test_the_report_page_shows_the_questionnaire_with_required_markers(
    coordinator_client, campaign, pole
):
    response = coordinator_client.get(_url(pole, campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapport de Pôle Coopération Rhône à l'observatoire 2026" in html
    assert "Combien de structures membres compte le pôle" in html
    assert 'class="required"' in html
    assert "observatory/report.js" in html
    assert "<script>" not in html  # strict CSP: no inline script
    assert "pas commencé" in html
    assert not Report.objects.exists()  # nothing written by a GET


def test_a_draft_is_saved_with_empty_figures_and_the_coordinator_comes_back(
    coordinator_client, campaign, pole
):
    response = coordinator_client.post(
        _url(pole, campaign), {"members_ess": "7", "jobs_fte": "12,5", "action": "save"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.state == Report.State.DRAFT and report.members_ess == 7
    assert str(report.jobs_fte) == "12.5"
    page = coordinator_client.get(_url(pole, campaign)).content.decode()
    assert 'value="7"' in page and "brouillon" in page


def test_bad_figures_show_the_error_summary_and_store_nothing(coordinator_client, campaign, pole):
    response = coordinator_client.post(
        _url(pole, campaign),
        {"members_ess": "-3", "public_funding_share": "250", "action": "save"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Le formulaire contient 2 erreurs" in html
    assert not Report.objects.filter(members_ess=-3).exists()
    assert Report.objects.get().public_funding_share is None


def test_fte_above_people_is_refused_with_a_clear_message(coordinator_client, campaign, pole):
    response = coordinator_client.post(
        _url(pole, campaign), {"jobs_people": "10", "jobs_fte": "30", "action": "save"}
    )
    assert response.status_code == 400
    assert "ne peuvent dépasser le nombre de personnes" in response.content.decode()
    assert Report.objects.get().jobs_people is None


def test_autosave_stores_a_good_draft_and_refuses_a_bad_one(coordinator_client, campaign, pole):
    url = _url(pole, campaign, "observatory:report_autosave")
    response = coordinator_client.post(url, {"members_ess": "4", "territory_names": "Lyon"})
    assert response.status_code == 200 and response.json()["ok"] is True
    report = Report.objects.get()
    assert report.members_ess == 4 and report.territory_names == "Lyon"
    response = coordinator_client.post(url, {"members_ess": "abc", "jobs_people": "12"})
    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False and "Non enregistré" in data["error"]
    assert "members_ess" in data["errors"]
    report.refresh_from_db()
    assert report.members_ess == 4 and report.jobs_people is None


def test_submitting_needs_every_figure_then_shows_the_state(coordinator_client, campaign, pole):
    response = coordinator_client.post(
        _url(pole, campaign), {"members_ess": "4", "action": "submit"}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    assert Report.objects.get().state == Report.State.DRAFT
    response = coordinator_client.post(
        _url(pole, campaign), {**complete_post(campaign), "action": "submit"}
    )
    assert response.status_code == 302
    assert Report.objects.get().state == Report.State.SUBMITTED
    page = coordinator_client.get(_url(pole, campaign)).content.decode()
    assert "transmis" in page and "l'équipe du Labo de l'ESS le relit" in page
    assert '<form method="post"\n          class="observatory-report"' not in page
    # Submitted: the autosave and the form refuse changes.
    response = coordinator_client.post(
        _url(pole, campaign, "observatory:report_autosave"), {"members_ess": "1"}
    )
    assert response.status_code == 409
    assert Report.objects.get().members_ess == 8


def test_other_people_do_not_see_the_report_page(client, campaign, pole, coordinator):
    url = _url(pole, campaign)
    assert client.get(url).status_code == 302  # to the login page
    other = Client()
    other.force_login(PoleCoordinatorFactory(pole=signatory_pole()).user)
    assert other.get(url).status_code == 404
    assert other.post(_url(pole, campaign, "observatory:report_autosave"), {}).status_code == 404
    member = Client()
    member.force_login(UserFactory())
    assert member.get(url).status_code == 404
    unsigned = signatory_pole(charter_signed_on=None)
    own = Client()
    own.force_login(PoleCoordinatorFactory(pole=unsigned).user)
    assert own.get(_url(unsigned, campaign)).status_code == 404


def test_the_dashboard_says_the_campaign_is_open_and_the_report_state(
    coordinator_client, coordinator, campaign, pole
):
    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert "Observatoire des PTCE" in page
    assert "La campagne 2026 est ouverte" in page
    assert _url(pole, campaign) in page and "pas commencé" in page
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    services.report_save(
        report=report, by=coordinator, values=complete_values(campaign), submit=True
    )
    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert "transmis" in page


# --- Staff -----------------------------------------------------------------------------------


def test_staff_create_and_open_a_campaign(staff_client, questionnaire):
    response = staff_client.post(
        reverse("observatory:staff_campaigns"),
        {"year": "2027", "opens_on": "2027-03-01", "closes_on": "2027-06-30"},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(year=2027)
    assert campaign.state == Campaign.State.PREPARING
    response = staff_client.post(
        reverse("observatory:staff_campaign_state", kwargs={"year": 2027}), {"action": "open"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.is_open
    response = staff_client.post(
        reverse("observatory:staff_campaigns"),
        {"year": "2028", "opens_on": "2028-06-01", "closes_on": "2028-03-01"},
    )
    assert response.status_code == 400
    assert "La clôture doit suivre l&#x27;ouverture" in response.content.decode()


def _submitted(campaign, pole, coordinator):
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    return services.report_save(
        report=report, by=coordinator, values=complete_values(campaign), submit=True
    )


def test_staff_review_a_report_accept(staff_client, campaign, pole, coordinator):
    _submitted(campaign, pole, coordinator)
    url = reverse("observatory:staff_review", kwargs={"year": 2026, "slug": pole.slug})
    page = staff_client.get(url).content.decode()
    assert "Accepter le rapport" in page and "publié sous le nom du pôle" in page
    response = staff_client.post(url, {"action": "accept"})
    assert response.status_code == 302
    assert Report.objects.get().state == Report.State.ACCEPTED


def test_staff_send_back_needs_a_reason(
    staff_client, campaign, pole, coordinator, django_capture_on_commit_callbacks
):
    _submitted(campaign, pole, coordinator)
    url = reverse("observatory:staff_review", kwargs={"year": 2026, "slug": pole.slug})
    response = staff_client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert Report.objects.get().state == Report.State.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "return", "reason": "Chiffres 2025 ?"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.state == Report.State.RETURNED and report.return_reason == "Chiffres 2025 ?"
    assert len(mail.outbox) == 1


def test_the_staff_queue_lists_the_submitted_reports(staff_client, campaign, pole, coordinator):
    _submitted(campaign, pole, coordinator)
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "Rapports à l&#x27;observatoire à relire" in page
    assert reverse("observatory:staff_review", kwargs={"year": 2026, "slug": pole.slug}) in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_reports(
    staff_client, campaign, pole, coordinator, theme
):
    report = _submitted(campaign, pole, coordinator)
    report.themes.set([theme])
    urls = [
        reverse("observatory:staff_campaigns"),
        reverse("observatory:staff_campaign", kwargs={"year": 2026}),
        reverse("observatory:staff_review", kwargs={"year": 2026, "slug": pole.slug}),
    ]
    before = [_count(staff_client, url) for url in urls]
    for _ in range(6):
        other = signatory_pole()
        _submitted(campaign, other, PoleCoordinatorFactory(pole=other).user)
    assert [_count(staff_client, url) for url in urls] == before


def test_the_coordinator_page_query_count_is_flat(coordinator_client, campaign, pole, coordinator):
    url = _url(pole, campaign)
    services.report_start(campaign=campaign, pole=pole, by=coordinator)
    before = _count(coordinator_client, url)
    for _ in range(5):
        signatory_pole()
    assert _count(coordinator_client, url) == before


def test_a_closed_campaign_report_is_read_only(
    coordinator_client, staff, campaign, pole, coordinator
):
    _submitted(campaign, pole, coordinator)
    services.campaign_close(campaign=campaign, by=staff)
    page = coordinator_client.get(_url(pole, campaign)).content.decode()
    assert "Enregistrer le brouillon" not in page and "publié sous le nom du pôle" in page
    response = coordinator_client.post(_url(pole, campaign), {"members_ess": "1", "action": "save"})
    assert response.status_code == 302
    assert Report.objects.get().members_ess == 8
    assert campaign.closes_on > datetime.date(2000, 1, 1)


def test_the_admin_accepts_reports_and_opens_campaigns_through_the_services(
    staff_client, campaign, pole, coordinator, questionnaire
):
    report = _submitted(campaign, pole, coordinator)
    changelist = reverse("admin:observatory_report_changelist")
    page = staff_client.get(changelist).content.decode()
    assert reverse("observatory:staff_review", kwargs={"year": 2026, "slug": pole.slug}) in page
    response = staff_client.post(
        changelist, {"action": "accept_reports", "_selected_action": [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    later = Campaign.objects.create(
        year=2027,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
        questionnaire=questionnaire,
    )
    staff_client.post(
        reverse("admin:observatory_campaign_changelist"),
        {"action": "open_campaigns", "_selected_action": [later.pk, campaign.pk]},
    )
    later.refresh_from_db()
    assert later.is_open  # the one already open is left with a warning


def test_the_dashboard_panel_costs_the_same_with_more_coordinated_poles(
    coordinator_client, coordinator, campaign, pole
):
    before = _count(coordinator_client, reverse("dashboard"))
    for _ in range(4):
        other = signatory_pole()
        PoleCoordinatorFactory(pole=other, user=coordinator)
        services.report_start(campaign=campaign, pole=other, by=coordinator)
    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert page.count("brouillon") >= 4
    assert _count(coordinator_client, reverse("dashboard")) == before
