"""Writes of the observatory: keyword-only arguments, one transaction each, each checking its
permission (observatory.permissions), every row validated (full_clean: the figures' ranges
are database constraints too); e-mails sent once the transaction commits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poles.models import Pole, Theme
from ptce_portal.mail import send_mail_on_commit

from . import selectors
from .models import (
    FIGURES,
    REMINDER_DAYS,
    REQUIRED_FIELDS,
    Band,
    Campaign,
    Question,
    QuestionnaireVersion,
    Reminder,
    Report,
)
from .permissions import can_fill_report, can_manage_campaigns, can_review_reports, is_signatory
from .questionnaire import ParsedQuestionnaire

# The fields a coordinator writes (the figures and the consents), themes aside (many-to-many).
FIGURE_FIELDS: tuple[str, ...] = tuple(
    name for figure in FIGURES for name in figure.fields if name != "themes"
)
CONSENT_FIELDS: tuple[str, ...] = tuple(figure.consent_field for figure in FIGURES)
WRITABLE_FIELDS = frozenset(FIGURE_FIELDS + CONSENT_FIELDS)


def _send(*, template: str, to: list[str], context: dict) -> None:
    send_mail_on_commit(to=to, template_name=f"observatory/email/{template}.txt", context=context)


# --- Questionnaire ------------------------------------------------------------------------


@transaction.atomic
def questionnaire_load(*, parsed: ParsedQuestionnaire) -> QuestionnaireVersion:
    """Store (or bring up to date) a version read by observatory.questionnaire and publish
    it. Idempotent. A band already chosen in a report is kept even if the file drops it."""
    version, _created = QuestionnaireVersion.objects.select_for_update().get_or_create(
        code=parsed.code, defaults={"title": parsed.title}
    )
    version.title = parsed.title
    version.source_note = parsed.source_note
    if version.published_at is None:
        version.published_at = timezone.now()
    version.full_clean()
    version.save()
    for item in parsed.questions:
        question = Question.objects.filter(version=version, code=item["code"]).first()
        question = question or Question(version=version, code=item["code"])
        for name, value in item.items():
            setattr(question, name, value)
        question.full_clean()
        question.save()
    Question.objects.filter(version=version).exclude(
        code__in=[item["code"] for item in parsed.questions]
    ).delete()
    for item in parsed.bands:
        band = Band.objects.filter(version=version, kind=item["kind"], code=item["code"]).first()
        band = band or Band(version=version, kind=item["kind"], code=item["code"])
        for name, value in item.items():
            setattr(band, name, value)
        band.full_clean()
        band.save()
    return version


# --- Campaigns ----------------------------------------------------------------------------


def _check_manager(by) -> None:
    if not can_manage_campaigns(by):
        raise PermissionDenied(_("Seule l'équipe du Labo de l'ESS gère les campagnes."))


@transaction.atomic
def campaign_create(
    *,
    by,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    questionnaire: QuestionnaireVersion | None = None,
    is_demo: bool = False,
) -> Campaign:
    _check_manager(by)
    questionnaire = questionnaire or selectors.latest_questionnaire()
    if questionnaire is None:
        raise ValidationError(
            _("Aucun questionnaire publié : chargez-en un avant de créer une campagne.")
        )
    campaign = Campaign(
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        questionnaire=questionnaire,
        is_demo=is_demo,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def _lock_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def campaign_open(*, campaign: Campaign, by) -> Campaign:
    """Open (or reopen) the campaign: the coordinators may fill in their reports."""
    _check_manager(by)
    campaign = _lock_campaign(campaign)
    if campaign.state == Campaign.State.OPEN:
        raise ValidationError(_("Cette campagne est déjà ouverte."))
    campaign.state = Campaign.State.OPEN
    campaign.opened_at = timezone.now()
    campaign.opened_by = by
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, by) -> Campaign:
    """Close the campaign: no report changes any more; staff may still review the submitted
    ones."""
    _check_manager(by)
    campaign = _lock_campaign(campaign)
    if campaign.state != Campaign.State.OPEN:
        raise ValidationError(_("Seule une campagne ouverte peut être clôturée."))
    campaign.state = Campaign.State.CLOSED
    campaign.closed_at = timezone.now()
    campaign.closed_by = by
    campaign.full_clean()
    campaign.save()
    return campaign


# --- Reports: the coordinators ------------------------------------------------------------


def _check_filler(by, pole: Pole) -> None:
    if not is_signatory(pole):
        raise PermissionDenied(
            _("L'observatoire recueille les chiffres des pôles signataires de la charte.")
        )
    if not can_fill_report(by, pole):
        raise PermissionDenied(_("Seuls les coordinateurs du pôle remplissent son rapport."))


def _check_campaign_open(campaign: Campaign) -> None:
    if not campaign.is_open:
        raise ValidationError(
            _("La campagne %(year)s n'est pas ouverte : le rapport ne peut pas être modifié.")
            % {"year": campaign.year}
        )


def _check_editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("Ce rapport est « %(state)s » : il ne peut plus être modifié.")
            % {"state": report.get_state_display()}
        )


@transaction.atomic
def report_start(*, campaign: Campaign, pole: Pole, by) -> Report:
    """The pole's report for the campaign, created as a draft the first time."""
    _check_filler(by, pole)
    campaign = Campaign.objects.get(pk=campaign.pk)  # its state as stored, not as passed
    report = Report.objects.select_for_update().filter(campaign=campaign, pole=pole).first()
    if report is not None:
        return report
    _check_campaign_open(campaign)
    report = Report(campaign=campaign, pole=pole, updated_by=by)
    try:
        with transaction.atomic():  # a savepoint: two first autosaves (two tabs) may race
            report.full_clean()
            report.save()
    except (IntegrityError, ValidationError):
        existing = Report.objects.filter(campaign=campaign, pole=pole).first()
        if existing is None:
            raise
        return existing
    return report


def _check_bands(report: Report) -> None:
    errors = {}
    for name, kind in (("turnover_band", Band.Kind.TURNOVER), ("budget_band", Band.Kind.BUDGET)):
        band = getattr(report, name)
        if band is not None and (
            band.version_id != report.campaign.questionnaire_id or band.kind != kind
        ):
            errors[name] = _("Choisissez une tranche de la liste.")
    if errors:
        raise ValidationError(errors)


def _missing(report: Report) -> list[str]:
    return [name for name in REQUIRED_FIELDS if getattr(report, name) in (None, "")]


@transaction.atomic
def report_save(
    *,
    report: Report,
    by,
    values: Mapping[str, Any],
    themes: Iterable[Theme] | None = None,
    submit: bool = False,
) -> Report:
    """Save the figures and consents given in `values` (a draft may leave some empty), the
    themes if given; with `submit`, send the report to staff, every required figure being
    filled in. Bad values raise ValidationError and nothing is stored."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("campaign", "pole")
        .get(pk=report.pk)
    )
    _check_filler(by, report.pole)
    _check_campaign_open(report.campaign)
    _check_editable(report)
    unknown = set(values) - WRITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in values.items():
        setattr(report, name, value)
    report.updated_by = by
    if submit:
        missing = _missing(report)
        if missing:
            raise ValidationError(
                {
                    name: _("Renseignez ce chiffre avant de transmettre le rapport.")
                    for name in missing
                }
            )
        report.state = Report.State.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
    report.full_clean()
    _check_bands(report)
    report.save()
    if themes is not None:
        report.themes.set(themes)
    return report


# --- Reports: staff's review ----------------------------------------------------------------


def _lock_submitted(report: Report, *, accepted_too: bool = False) -> Report:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("campaign", "pole")
        .get(pk=report.pk)
    )
    states = {Report.State.SUBMITTED}
    if accepted_too:
        states.add(Report.State.ACCEPTED)
    if report.state not in states:
        raise ValidationError(
            _("Ce rapport est « %(state)s » : il n'attend pas de relecture.")
            % {"state": report.get_state_display()}
        )
    return report


def _check_reviewer(by) -> None:
    if not can_review_reports(by):
        raise PermissionDenied(_("Seule l'équipe du Labo de l'ESS relit les rapports."))


@transaction.atomic
def report_accept(*, report: Report, by) -> Report:
    _check_reviewer(by)
    report = _lock_submitted(report)
    report.state = Report.State.ACCEPTED
    report.return_reason = ""
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.full_clean()
    report.save()
    _send(
        template="accepted",
        to=selectors.coordinator_emails(report.pole_id),
        context={"report": report},
    )
    return report


@transaction.atomic
def report_return(*, report: Report, by, reason: str) -> Report:
    """Send the report back to the coordinators with the reason (e-mailed to them): they
    correct it and submit it again. An accepted report may be sent back too."""
    _check_reviewer(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Indiquez le motif du renvoi : il sera envoyé aux coordinateurs.")}
        )
    report = _lock_submitted(report, accepted_too=True)
    report.state = Report.State.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.full_clean()
    report.save()
    _send(
        template="returned",
        to=selectors.coordinator_emails(report.pole_id),
        context={"report": report},
    )
    return report


# --- Reminders ----------------------------------------------------------------------------


def due_reminder(campaign: Campaign, today: datetime.date) -> int | None:
    """The reminder due on `today` (its days before the close), None when none is: the
    closest to the close among those whose day has come, before the close."""
    days_left = (campaign.closes_on - today).days
    if days_left < 0 or not campaign.is_open or today < campaign.opens_on:
        return None
    due = [days for days in REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


def reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the coordinators of every signatory pole whose report of an open campaign is
    not submitted yet, when a reminder is due; once per pole, campaign and reminder (the
    Reminder row, unique, is written in the same transaction as the e-mail is recorded).
    Returns the number of reminders sent. Run daily (`send_observatory_reminders`)."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(state=Campaign.State.OPEN).select_related(
        "questionnaire"
    ):
        days = due_reminder(campaign, today)
        if days is None:
            continue
        done = set(
            Report.objects.filter(
                campaign=campaign,
                state__in=(Report.State.SUBMITTED, Report.State.ACCEPTED),
            ).values_list("pole_id", flat=True)
        )
        reminded = set(
            Reminder.objects.filter(campaign=campaign, days_before=days).values_list(
                "pole_id", flat=True
            )
        )
        for pole in selectors.signatory_poles():
            if pole.pk in done or pole.pk in reminded:
                continue
            to = selectors.coordinator_emails(pole)
            if not to:
                continue
            with transaction.atomic():
                _reminder, created = Reminder.objects.get_or_create(
                    campaign=campaign, pole=pole, days_before=days
                )
                if not created:
                    continue
                _send(
                    template="reminder",
                    to=to,
                    context={"campaign": campaign, "pole": pole, "days_left": days},
                )
            sent += 1
    return sent
