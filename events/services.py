"""Writes of the events app: registrations, cancellations, check-in, mail to registrants.

Seats are counted under a row lock on the event (SELECT … FOR UPDATE), in the same transaction
as the registration, and `Event.seats_taken` is guarded by a CHECK constraint: two people taking
the last seat at once get one confirmed seat and one place on the waiting list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ptce_portal.mail import absolute_url, deliver_on_commit, send_mail_on_commit

from .ics import event_ics
from .models import Event, Registration

logger = logging.getLogger(__name__)


class RegistrationClosed(Exception):
    """Registration is not open for this day (before the window, after it, or no seats)."""


@dataclass
class RegistrationResult:
    registration: Registration
    created: bool  # False: an active registration already existed for this e-mail


def _mail_on_commit(
    registration: Registration, template: str, *, language: str | None = None
) -> None:
    """E-mail a registrant once the transaction is committed (see ptce_portal.mail).

    French unless `language` is the registrant's: pass it when the registrant made the
    request. Every mail but the cancellation carries the day's calendar file (.ics)."""
    event = registration.event
    attachments = []
    if registration.status != Registration.Status.CANCELLED:
        attachments.append((f"{event.slug}.ics", event_ics(event), "text/calendar"))
    send_mail_on_commit(
        to=[registration.email],
        template_name=f"events/email/{template}.txt",
        context={
            "registration": registration,
            "event": event,
            "manage_url": absolute_url(registration.get_manage_url()),
            "event_url": absolute_url(event.get_absolute_url()),
        },
        attachments=attachments,
        language=language,
    )


def registration_create(
    *,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    category: str,
    organisation: str = "",
    pole=None,
    accessibility_needs: str = "",
    public_consent: bool = False,
    user=None,
    now=None,
) -> RegistrationResult:
    """Register someone: a confirmed seat if one is left, else the waiting list.

    A second registration with the same e-mail for the same day returns the existing one
    (and sends its personal link again) instead of failing.
    """
    email = email.strip()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        existing = (
            Registration.objects.filter(event=locked)
            .exclude(status=Registration.Status.CANCELLED)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower=email.lower())
            .first()
        )
        if existing:
            _mail_on_commit(existing, "reminder", language=translation.get_language())
            return RegistrationResult(existing, created=False)
        if not locked.registration_is_open(now):
            raise RegistrationClosed
        seat_free = locked.seats_taken < locked.capacity
        registration = Registration(
            event=locked,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            organisation=organisation.strip(),
            pole=pole,
            category=category,
            accessibility_needs=accessibility_needs.strip(),
            public_consent=public_consent,
            user=user if user is not None and user.is_authenticated else None,
            status=(Registration.Status.CONFIRMED if seat_free else Registration.Status.WAITLISTED),
        )
        registration.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as exc:  # pragma: no cover - the lock makes this unreachable
            raise ValidationError(_("Cette adresse est déjà inscrite à cette journée.")) from exc
        if seat_free:
            Event.objects.filter(pk=locked.pk).update(seats_taken=F("seats_taken") + 1)
        _mail_on_commit(
            registration,
            "confirmation" if seat_free else "waitlisted",
            language=translation.get_language(),  # the registrant's own request
        )
    event.refresh_from_db(fields=["seats_taken"])
    return RegistrationResult(registration, created=True)


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. Event row is locked."""
    promoted = []
    free = event.capacity - event.seats_taken if event.capacity is not None else 0
    if free <= 0:
        return promoted
    waiting = list(
        Registration.objects.select_for_update()
        .filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _mail_on_commit(registration, "promoted")
        promoted.append(registration)
    if promoted:
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + len(promoted))
        event.seats_taken += len(promoted)
    return promoted


def registration_cancel(
    *, registration: Registration, language: str | None = None
) -> list[Registration]:
    """Cancel a registration; a freed seat goes to the first person waiting (and is e-mailed).

    Returns the promoted registrations. Cancelling twice changes nothing. `language`: the
    registrant's, when they cancel themselves (their confirmation is written in it).
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            registration.refresh_from_db()
            return []
        was_confirmed = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.checked_in_at = None
        current.save(update_fields=["status", "cancelled_at", "checked_in_at"])
        _mail_on_commit(current, "cancelled", language=language)
        promoted = []
        if was_confirmed:
            Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)
            event.seats_taken -= 1
            if not event.is_past:
                promoted = _promote_waiting(event)
    registration.refresh_from_db()
    return promoted


def event_fill_from_waiting_list(*, event: Event) -> list[Registration]:
    """After staff raised the capacity: give the new seats to the people waiting."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        return _promote_waiting(locked)


def registration_check_in(*, registration: Registration, undo: bool = False) -> Registration:
    """Mark a confirmed participant present on the day (or undo it)."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Registration.Status.CONFIRMED:
            raise ValidationError(_("Seule une inscription confirmée peut être pointée."))
        current.checked_in_at = None if undo else (current.checked_in_at or timezone.now())
        current.save(update_fields=["checked_in_at"])
    return current


def registrants_email(
    *, event: Event, subject: str, body: str, statuses: list[str], sent_by=None
) -> list[int]:
    """Queue one e-mail to each registrant with one of `statuses`, sent once committed.

    Returns the ids of the queued messages (ptce_portal.mail.OutgoingEmail): once the
    transaction is committed, `delivery_counts(ids)` says how many went out and how many
    failed, so that staff are told exactly that."""
    recipients = list(
        Registration.objects.filter(event=event, status__in=statuses)
        .order_by("created_at", "id")
        .values_list("email", flat=True)
    )
    queued = []
    with transaction.atomic():
        for email in recipients:
            # One message each (no one sees the others' addresses); a refused one is logged.
            outgoing = deliver_on_commit(
                EmailMessage(
                    subject=subject,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[email],
                )
            )
            if outgoing is not None:
                queued.append(outgoing.pk)
    logger.info("events: %s e-mails queued for %s by %s", len(queued), event.slug, sent_by or "?")
    return queued
