"""The observatory's writes: permissions, the report's states, bad figures refused with a
French message and nothing stored, the database's own checks, reminders once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from observatory import services
from observatory.models import Campaign, Question, Reminder, Report
from observatory.questionnaire import QuestionnaireFileError, parse_questionnaire, read_current
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory

from .conftest import complete_values, make_campaign, signatory_pole

pytestmark = pytest.mark.django_db


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# --- Questionnaire ---------------------------------------------------------------------------


def test_the_questionnaire_comes_from_its_data_file_and_loads_twice_the_same(questionnaire):
    assert questionnaire.is_published
    assert questionnaire.questions.count() == 9
    assert questionnaire.bands.filter(kind="turnover").count() == 6
    again = services.questionnaire_load(parsed=read_current())
    assert again.pk == questionnaire.pk
    assert Question.objects.count() == 9


def test_a_questionnaire_file_with_a_hole_between_bands_is_refused():
    raw = read_current()
    assert raw.code == "2025"
    text = (
        b"version: {code: x, title: T}\nquestions: [{code: members, intitule: Q}]\n"
        b"tranches:\n  budget:\n    - {code: a, min: null, max: 10}\n"
        b"    - {code: b, min: 20, max: null}\n"
    )
    with pytest.raises(QuestionnaireFileError) as exc:
        parse_questionnaire(text)
    errors = " ".join(exc.value.errors)
    assert "commencer où la précédente s'arrête" in errors
    assert "Chiffres sans question" in errors


# --- Campaigns -------------------------------------------------------------------------------


def test_staff_create_open_and_close_a_campaign(staff, questionnaire):
    campaign = services.campaign_create(
        by=staff,
        year=2027,
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 6, 30),
    )
    assert campaign.state == Campaign.State.PREPARING
    campaign = services.campaign_open(campaign=campaign, by=staff)
    assert campaign.is_open and campaign.opened_by == staff
    with pytest.raises(ValidationError):
        services.campaign_open(campaign=campaign, by=staff)
    campaign = services.campaign_close(campaign=campaign, by=staff)
    assert campaign.state == Campaign.State.CLOSED and campaign.closed_by == staff


def test_only_staff_run_campaigns(campaign, coordinator, questionnaire):
    with pytest.raises(PermissionDenied):
        services.campaign_close(campaign=campaign, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            by=coordinator,
            year=2030,
            opens_on=datetime.date(2030, 1, 1),
            closes_on=datetime.date(2030, 2, 1),
        )
    assert not Campaign.objects.filter(year=2030).exists()


def test_a_campaign_closing_before_it_opens_or_a_taken_year_is_refused(staff, campaign):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            by=staff,
            year=2031,
            opens_on=datetime.date(2031, 6, 1),
            closes_on=datetime.date(2031, 5, 1),
        )
    assert "La clôture doit suivre l'ouverture" in _messages(exc)
    with pytest.raises(ValidationError):
        services.campaign_create(
            by=staff,
            year=campaign.year,
            opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2026, 2, 1),
        )
    assert Campaign.objects.count() == 1


# --- Reports: coordinators -------------------------------------------------------------------


def test_a_coordinator_saves_a_draft_then_submits(campaign, pole, coordinator, theme):
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    assert report.state == Report.State.DRAFT
    report = services.report_save(
        report=report, by=coordinator, values={"members_ess": 5, "jobs_people": 20}
    )
    report.refresh_from_db()
    assert report.members_ess == 5 and report.jobs_fte is None
    report = services.report_save(
        report=report, by=coordinator, values=complete_values(campaign), themes=[theme], submit=True
    )
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.submitted_by == coordinator and report.submitted_at is not None
    assert list(report.themes.all()) == [theme]
    assert report.members_total == 15
    assert report.published_figures() == ["members", "jobs"]
    # Submitted: no more changes by the coordinators.
    with pytest.raises(ValidationError):
        services.report_save(report=report, by=coordinator, values={"members_ess": 6})


def test_submitting_needs_every_figure(campaign, pole, coordinator):
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.report_save(report=report, by=coordinator, values={"members_ess": 5}, submit=True)
    assert "jobs_people" in exc.value.error_dict
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT and report.members_ess is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"members_ess": -1}, "supérieure ou égale à 0"),
        ({"members_ess": 5000}, "inférieure ou égale à 1000"),
        ({"public_funding_share": 140}, "inférieure ou égale à 100"),
        ({"jobs_people": 10, "jobs_fte": Decimal("25")}, "ne peuvent dépasser le nombre"),
        ({"jobs_fte": Decimal("99999")}, "inférieure ou égale à 20000"),
        ({"projects_started": 100000}, "inférieure ou égale à 1000"),
    ],
)
def test_bad_figures_are_refused_in_french_and_nothing_is_stored(
    campaign, pole, coordinator, values, message
):
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.report_save(
            report=report, by=coordinator, values={"members_enterprise": 3, **values}
        )
    assert message in _messages(exc)
    report.refresh_from_db()
    assert report.members_enterprise is None


def test_a_band_of_another_kind_is_refused(campaign, pole, coordinator):
    from observatory.models import Band

    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    budget = Band.objects.filter(kind=Band.Kind.BUDGET).first()
    with pytest.raises(ValidationError) as exc:
        services.report_save(report=report, by=coordinator, values={"turnover_band": budget})
    assert "turnover_band" in exc.value.error_dict


def test_the_database_itself_refuses_out_of_range_figures(campaign, pole):
    report = Report.objects.create(campaign=campaign, pole=pole)
    for field, value in [
        ("members_other", 1001),
        ("public_funding_share", 101),
        ("jobs_fte", Decimal("-1")),
        ("jobs_created", 20001),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.filter(pk=report.pk).update(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(jobs_people=3, jobs_fte=Decimal("4"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(state="returned", return_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(campaign=campaign, pole=pole)


def test_only_coordinators_of_signatory_poles_fill_a_report(campaign, pole, coordinator):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.report_start(campaign=campaign, pole=pole, by=stranger)
    unsigned = signatory_pole(charter_signed_on=None)
    own = PoleCoordinatorFactory(pole=unsigned).user
    with pytest.raises(PermissionDenied) as exc:
        services.report_start(campaign=campaign, pole=unsigned, by=own)
    assert "signataires" in str(exc.value)
    requested = PoleCoordinatorFactory(pole=pole, status="requested").user
    with pytest.raises(PermissionDenied):
        services.report_start(campaign=campaign, pole=pole, by=requested)
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.report_save(report=report, by=stranger, values={"members_ess": 1})
    assert Report.objects.count() == 1


def test_no_report_is_started_or_changed_outside_an_open_campaign(
    staff, campaign, pole, coordinator
):
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    services.campaign_close(campaign=campaign, by=staff)
    with pytest.raises(ValidationError) as exc:
        services.report_save(report=report, by=coordinator, values={"members_ess": 1})
    assert "n'est pas ouverte" in _messages(exc)
    later = make_campaign(campaign.questionnaire, year=2027, state=Campaign.State.PREPARING)
    with pytest.raises(ValidationError):
        services.report_start(campaign=later, pole=pole, by=coordinator)


# --- Reports: staff's review -----------------------------------------------------------------


def _submitted(campaign, pole, coordinator) -> Report:
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    return services.report_save(
        report=report, by=coordinator, values=complete_values(campaign), submit=True
    )


def test_staff_accept_and_the_coordinators_are_told(
    staff, campaign, pole, coordinator, django_capture_on_commit_callbacks
):
    report = _submitted(campaign, pole, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_accept(report=report, by=staff)
    assert report.state == Report.State.ACCEPTED and report.reviewed_by == staff
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [coordinator.email]
    assert "accepté" in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        services.report_accept(report=report, by=staff)


def test_staff_send_back_with_a_reason_the_coordinators_correct_and_submit_again(
    staff, campaign, pole, coordinator, django_capture_on_commit_callbacks
):
    report = _submitted(campaign, pole, coordinator)
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=report, by=staff, reason="  ")
    assert "motif" in _messages(exc)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(
            report=report, by=staff, reason="Les ETP semblent inversés avec les personnes."
        )
    assert report.state == Report.State.RETURNED
    assert "Les ETP semblent inversés" in mail.outbox[0].body
    assert report.get_absolute_url() in mail.outbox[0].body
    report = services.report_save(
        report=report, by=coordinator, values={"jobs_fte": Decimal("60.5")}, submit=True
    )
    assert report.state == Report.State.SUBMITTED


def test_only_staff_review(campaign, pole, coordinator):
    report = _submitted(campaign, pole, coordinator)
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, by=coordinator, reason="Non.")
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_once_per_pole_and_reminder_to_those_not_submitted(
    campaign, pole, coordinator, django_capture_on_commit_callbacks
):
    done_pole = signatory_pole()
    done_coordinator = PoleCoordinatorFactory(pole=done_pole).user
    _submitted(campaign, done_pole, done_coordinator)
    signatory_pole()  # no coordinator: nobody to remind
    closes = campaign.closes_on
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=closes - datetime.timedelta(days=20)) == 0
        assert services.reminders_send(today=closes - datetime.timedelta(days=14)) == 1
        assert services.reminders_send(today=closes - datetime.timedelta(days=13)) == 0
        assert services.reminders_send(today=closes - datetime.timedelta(days=2)) == 1
        assert services.reminders_send(today=closes - datetime.timedelta(days=1)) == 0
        assert services.reminders_send(today=closes + datetime.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [[coordinator.email]] * 2
    assert "n'est pas encore transmis" in mail.outbox[0].body
    assert set(Reminder.objects.values_list("days_before", flat=True)) == {14, 3}


def test_the_reminder_command_is_idempotent(campaign, pole, coordinator):
    from io import StringIO

    from django.core.management import call_command

    Campaign.objects.filter(pk=campaign.pk).update(
        closes_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    out = StringIO()
    call_command("send_observatory_reminders", stdout=out)
    call_command("send_observatory_reminders", stdout=out)
    assert "1 relance" in out.getvalue() and "0 relance" in out.getvalue()
    assert Reminder.objects.count() == 1


def test_starting_a_report_twice_gives_the_same_report(campaign, pole, coordinator):
    first = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    second = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    assert first.pk == second.pk and Report.objects.count() == 1


def test_only_a_change_the_public_sees_renews_the_observatory_version(
    staff, campaign, pole, coordinator, theme
):
    """Drafts' autosaves leave the public pages cached; accepting, and sending back an
    accepted report, rebuild them."""
    from ptce_portal import versions

    def version():
        return versions.current("observatory")["observatory"]

    before = version()
    report = services.report_start(campaign=campaign, pole=pole, by=coordinator)
    report = services.report_save(
        report=report, by=coordinator, values={"members_ess": 5}, themes=[theme]
    )
    report = services.report_save(
        report=report, by=coordinator, values=complete_values(campaign), submit=True
    )
    assert version() == before
    services.report_accept(report=report, by=staff)
    accepted = version()
    assert accepted != before
    services.report_return(report=report, by=staff, reason="Un chiffre à revoir.")
    returned = version()
    assert returned != accepted
    report = services.report_save(report=report, by=coordinator, values={"members_ess": 6})
    assert version() == returned
