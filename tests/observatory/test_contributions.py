"""What the observatory plugs into the portal: personal data (export and erasure of who
submitted or reviewed), the demo (fictitious, marked, idempotent), the seed and the
questionnaire command."""

import io

import pytest
from django.core.management import call_command

from observatory import personal_data, services
from observatory.models import Campaign, QuestionnaireVersion, Report
from ptce_portal import contributions

from .conftest import complete_values

pytestmark = pytest.mark.django_db


def test_the_contribution_is_registered():
    contribution = contributions.get("observatory")
    assert contribution is not None
    assert contribution.dashboard_panel and contribution.staff_queues
    assert contribution.personal_data and contribution.seed and contribution.demo
    assert "observatory.Report" in contribution.audited_models


def test_personal_data_export_and_erase_cut_the_person_from_the_reports(
    staff, campaign, pole, coordinator
):
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    report = services.report_save(
        report=report, by=coordinator, values=complete_values(campaign), submit=True
    )
    services.report_accept(report=report, by=staff)
    exported = personal_data.export(coordinator)["rapports_observatoire"]
    assert exported[0]["pole"] == pole.name and exported[0]["transmis_par_vous_le"]
    assert personal_data.export(staff)["rapports_observatoire"][0]["relu_par_vous_le"]
    personal_data.erase(coordinator)
    report.refresh_from_db()
    assert report.submitted_by is None and report.updated_by is None
    assert report.reviewed_by == staff  # someone else's link stays
    assert report.state == Report.State.ACCEPTED and report.members_ess == 8  # the pole's figures
    assert personal_data.export(coordinator)["rapports_observatoire"] == []


def test_the_questionnaire_command_loads_the_data_file_and_refuses_a_bad_one(db, tmp_path):
    out = io.StringIO()
    call_command("load_observatory_questionnaire", stdout=out)
    assert "publiée" in out.getvalue()
    assert QuestionnaireVersion.objects.get().questions.count() == 9
    bad = tmp_path / "mauvais.yaml"
    bad.write_text("version: {code: 'x y', title: ''}\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("load_observatory_questionnaire", str(bad), stdout=out)
    assert "Le code de la version" in str(exc.value)
    assert QuestionnaireVersion.objects.count() == 1


def test_the_demo_shows_a_filled_observatory_marked_fictitious(demo_instance):
    out = io.StringIO()
    call_command("seed_ptce", "--demo", stdout=out)
    closed = Campaign.objects.get(year=2025)
    assert closed.state == Campaign.State.CLOSED and closed.is_demo
    accepted = Report.objects.filter(campaign=closed, state=Report.State.ACCEPTED)
    assert accepted.count() >= 8
    assert not accepted.filter(is_demo=False).exists()
    assert all("(démo)" in report.territory_names for report in accepted)
    opened = Campaign.objects.get(year=2026)
    assert opened.is_open and opened.is_demo
    assert Report.objects.filter(campaign=opened, state=Report.State.SUBMITTED).exists()
    assert Report.objects.filter(
        campaign=opened, pole__slug="domb-innov", state=Report.State.DRAFT
    ).exists()
    assert "observatoire (démo)" in out.getvalue()
    count = Report.objects.count()
    call_command("seed_ptce", "--demo", stdout=io.StringIO())
    assert Report.objects.count() == count
