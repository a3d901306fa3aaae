"""Writes of the events app: registrations, cancellations, check-in, mail to registrants.

Seats are counted under a row lock on the event (SELECT … FOR UPDATE), in the same transaction
as the registration, and `Event.seats_taken` is guarded by a CHECK constraint: two people taking
the last seat at once get one confirmed seat and one place on the waiting list.

The public form goes through `registration_request`: it answers the same whatever the address
(known, unknown, already registered, refused from the public list), and writes only to that
address. A request made without an account holds nothing until the person confirms it from the
e-mail (`registration_confirm`): a script typing other people's addresses takes no seat and no
place on the waiting list, and the requests it leaves are deleted after the day's
`confirmation_hours` (`registrations_expire`, also run by `manage.py expire_registrations`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ptce_portal.mail import absolute_url, deliver_on_commit, send_mail_on_commit
from ptce_portal.personal_data import verified_emails

from .ics import event_ics
from .models import Event, Registration

logger = logging.getLogger(__name__)

# A person's link is e-mailed again at most this often, however many times the form is sent
# with their address (by them, or by someone else).
LINK_RESEND_COOLDOWN = timedelta(hours=1)


class RegistrationClosed(ValidationError):
    """Registration is not open for this day (before the window, after it, or no seats): a
    ValidationError (the services' one way to refuse), named so that the view shows its page."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Les inscriptions ne sont pas ouvertes"))


class RegistrationExpired(Exception):
    """The request was not confirmed in time: it holds nothing any more."""


@dataclass
class RegistrationResult:
    registration: Registration
    created: bool  # False: an active registration already existed for this e-mail


def _mail_on_commit(
    registration: Registration, template: str, *, language: str | None = None
) -> None:
    """E-mail a registrant once the transaction is committed (see ptce_portal.mail).

    French unless `language` is the registrant's: pass it when the registrant made the
    request. The mails of a registration (confirmed, waiting list) carry the day's calendar
    file (.ics); a request to confirm and a cancellation do not."""
    event = registration.event
    attachments = []
    if registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
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


def _active_registration(event: Event, email: str) -> Registration | None:
    return (
        Registration.objects.select_for_update()
        .filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .first()
    )


def _send_link_again(registration: Registration, now: datetime, *, language: str | None) -> bool:
    """E-mail the person their link again, unless it was sent less than the cooldown ago.
    The registration row is locked."""
    if registration.link_sent_at and registration.link_sent_at > now - LINK_RESEND_COOLDOWN:
        return False
    template = "confirm_request" if registration.is_pending else "reminder"
    _mail_on_commit(registration, template, language=language)
    registration.link_sent_at = now
    registration.save(update_fields=["link_sent_at"])
    return True


def _take_seat_or_wait(event: Event, registration: Registration, now: datetime) -> bool:
    """Give a confirmed registration its seat, or its place on the waiting list. The event
    row is locked; returns True when a seat was taken."""
    assert event.capacity is not None  # only days that take registrations have a capacity
    seat_free = event.seats_taken < event.capacity
    registration.status = (
        Registration.Status.CONFIRMED if seat_free else Registration.Status.WAITLISTED
    )
    if seat_free:
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + 1)
        event.seats_taken += 1
    return seat_free


def _new_registration(event: Event, email: str, fields: dict, **extra) -> Registration:
    registration = Registration(
        event=event,
        email=email,
        first_name=fields["first_name"].strip(),
        last_name=fields["last_name"].strip(),
        organisation=fields.get("organisation", "").strip(),
        pole=fields.get("pole"),
        category=fields["category"],
        accessibility_needs=fields.get("accessibility_needs", "").strip(),
        public_consent=fields.get("public_consent", False),
        **extra,
    )
    registration.full_clean(validate_constraints=False)
    return registration


def _save_new(registration: Registration) -> None:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # pragma: no cover - the event lock makes this unreachable
        raise ValidationError(_("Cette adresse est déjà inscrite à cette journée.")) from exc


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
    """Register someone whose address is known to be theirs (a signed-in person's verified
    address, staff, the demo): a confirmed seat if one is left, else the waiting list.

    A second registration with the same e-mail for the same day returns the existing one
    (a request waiting for its confirmation is confirmed) and sends its personal link again,
    at most once per LINK_RESEND_COOLDOWN.
    """
    email = email.strip()
    now = now or timezone.now()
    language = translation.get_language()  # the registrant's own request
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        existing = _active_registration(locked, email)
        if existing and existing.is_pending and not existing.is_expired(now):
            return RegistrationResult(
                _confirm_locked(locked, existing, now, language=language), created=False
            )
        if existing and existing.is_pending:
            existing.delete()  # expired: as if it had never been
            existing = None
        if existing:
            _send_link_again(existing, now, language=language)
            return RegistrationResult(existing, created=False)
        if not locked.registration_is_open(now):
            raise RegistrationClosed
        registration = _new_registration(
            locked,
            email,
            {
                "first_name": first_name,
                "last_name": last_name,
                "organisation": organisation,
                "pole": pole,
                "category": category,
                "accessibility_needs": accessibility_needs,
                "public_consent": public_consent,
            },
            user=user if user is not None and user.is_authenticated else None,
            status=Registration.Status.CONFIRMED,
            created_at=now,
            link_sent_at=now,
        )
        seat_taken = _take_seat_or_wait(locked, registration, now)
        _save_new(registration)
        _mail_on_commit(
            registration, "confirmation" if seat_taken else "waitlisted", language=language
        )
    event.refresh_from_db(fields=["seats_taken"])
    return RegistrationResult(registration, created=True)


def registration_request(
    *,
    event: Event,
    email: str,
    first_name: str,
    last_name: str,
    category: str,
    organisation: str = "",
    pole=None,
    accessibility_needs: str = "",
    public_consent: bool = False,
    user=None,
    now=None,
) -> Registration | None:
    """What the public registration form does. Returns the registration only to its owner
    (signed in, with `email` among the account's verified addresses: confirmed at once);
    for anyone else, None whatever happened, so that the page says the same thing.

    - An address with no registration: a request waiting for confirmation (no seat, no
      place on the waiting list), and an e-mail with the link that confirms it.
    - An address already registered, or with a request waiting: its link again by e-mail,
      at most once per LINK_RESEND_COOLDOWN (repeated tries do not flood the person).
    Nothing that was typed is written to the address but the day: the person's name,
    organisation and needs are shown on the confirmation page only.
    """
    email = email.strip()
    now = now or timezone.now()
    fields = {
        "first_name": first_name,
        "last_name": last_name,
        "organisation": organisation,
        "pole": pole,
        "category": category,
        "accessibility_needs": accessibility_needs,
        "public_consent": public_consent,
    }
    if user is not None and user.is_authenticated and email.lower() in verified_emails(user):
        return registration_create(
            event=event, email=email, user=user, now=now, **fields
        ).registration
    language = translation.get_language()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if not locked.registration_is_open(now):
            raise RegistrationClosed
        existing = _active_registration(locked, email)
        if existing and existing.is_expired(now):
            existing.delete()
            existing = None
        if existing:
            _send_link_again(existing, now, language=language)
            return None
        registration = _new_registration(
            locked,
            email,
            fields,
            status=Registration.Status.PENDING,
            created_at=now,
            confirm_by=now + timedelta(hours=locked.confirmation_hours),
            link_sent_at=now,
        )
        _save_new(registration)
        _mail_on_commit(registration, "confirm_request", language=language)
    return None


def _confirm_locked(
    event: Event, registration: Registration, now: datetime, *, language: str | None
) -> Registration:
    """Turn a request waiting for confirmation into a registration. Event and registration
    rows are locked."""
    if registration.is_expired(now):
        raise RegistrationExpired
    if not event.registration_is_open(now):
        raise RegistrationClosed
    seat_taken = _take_seat_or_wait(event, registration, now)
    registration.created_at = now  # registered when confirmed: the waiting list's order
    registration.confirm_by = None
    registration.save(update_fields=["status", "created_at", "confirm_by"])
    _mail_on_commit(registration, "confirmation" if seat_taken else "waitlisted", language=language)
    return registration


def registration_confirm(
    *, registration: Registration, language: str | None = None, now=None
) -> Registration:
    """The person confirms their request from the link e-mailed to them (the link is the
    proof that the address is theirs). Confirming twice changes nothing. Raises
    RegistrationExpired after `confirm_by`, RegistrationClosed once registration closed."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.is_pending:
            _confirm_locked(event, current, now, language=language)
    registration.refresh_from_db()
    return registration


def registrations_expire(*, now=None) -> int:
    """Delete the requests that were not confirmed in time (they hold no seat; what was typed
    in them is personal data nobody confirmed). Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _per_model = Registration.objects.filter(
        status=Registration.Status.PENDING, confirm_by__lte=now
    ).delete()
    return deleted


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. Event row is locked."""
    promoted: list[Registration] = []
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
        was_pending = current.is_pending
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.checked_in_at = None
        current.save(update_fields=["status", "cancelled_at", "checked_in_at"])
        if not was_pending:  # a request declined from its link: nothing to confirm by e-mail
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
