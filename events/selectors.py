"""Reads of the events app, with the joins done up front so query counts stay flat."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from charter import selectors as charter_selectors
from ptce_portal.tokens import could_be_token

from .models import (
    Event,
    EventOrganisation,
    Intervention,
    Person,
    Quote,
    Registration,
    Session,
    SessionSpeaker,
)


def published_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True)


def coming_national_day() -> Event | None:
    """The next national day, today's included; a real day before a demonstration one."""
    return (
        published_events()
        .filter(kind=Event.Kind.NATIONAL_DAY, date__gte=timezone.localdate())
        .order_by("is_demo", "date")
        .first()
    )


def event_summary_get(slug: str) -> Event | None:
    """The published day alone (no programme); None when there is none."""
    return published_events().filter(slug=slug).first()


def staff_event_get(slug: str) -> Event | None:
    """Any day, published or not, for staff pages; None when there is none."""
    return Event.objects.filter(slug=slug).first()


def staff_registration_get(*, slug: str, pk: int) -> Registration | None:
    """A registration to the day `slug`, with its day; None when there is none."""
    return Registration.objects.select_related("event").filter(pk=pk, event__slug=slug).first()


def event_list() -> dict:
    today = timezone.localdate()
    events = list(published_events().annotate(session_count=Count("sessions")).order_by("date"))
    # People named in each programme (speakers and moderators), as on the day's page.
    people: dict[int, set[int]] = {e.pk: set() for e in events}
    for event_id, person_id in SessionSpeaker.objects.filter(session__event__in=people).values_list(
        "session__event_id", "person_id"
    ):
        people[event_id].add(person_id)
    for event_id, person_id in Session.objects.filter(
        event__in=people, moderator__isnull=False
    ).values_list("event_id", "moderator_id"):
        people[event_id].add(person_id)
    for event in events:
        event.speaker_count = len(people[event.pk])  # type: ignore[attr-defined]
    upcoming = [e for e in events if e.date >= today]
    past = sorted((e for e in events if e.date < today), key=lambda e: e.date, reverse=True)
    return {"upcoming": upcoming, "past": past}


def past_days_with_proceedings() -> list[str]:
    """The slugs of the published days gone by that have a programme (their proceedings are
    cached once rendered: events.pdf)."""
    return list(
        published_events()
        .filter(date__lt=timezone.localdate(), sessions__isnull=False)
        .distinct()
        .order_by("-date")
        .values_list("slug", flat=True)
    )


def event_get(slug: str) -> Event | None:
    """The published day with its programme, people and organisers, in a fixed number of
    queries; None when there is none (the selectors' not-found convention)."""
    speaker_links = Prefetch(
        "speaker_links",
        queryset=SessionSpeaker.objects.select_related(
            "person__organisation", "person__pole"
        ).order_by("order"),
    )
    sessions = Session.objects.select_related(
        "moderator__organisation", "moderator__pole"
    ).prefetch_related(
        speaker_links,
        Prefetch(
            "interventions",
            queryset=Intervention.objects.select_related("person").order_by("order"),
        ),
        Prefetch("quotes", queryset=Quote.objects.select_related("person").order_by("order")),
        "poles",
    )
    return (
        published_events()
        .prefetch_related(
            Prefetch("sessions", queryset=sessions.order_by("order")),
            Prefetch(
                "organisation_links",
                queryset=EventOrganisation.objects.select_related("organisation").order_by(
                    "role", "order"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def event_speakers(event: Event) -> list[Person]:
    """People who spoke or moderated, in order of first appearance in the programme."""
    seen: dict[int, Person] = {}
    for session in event.sessions.all():
        if session.moderator and session.moderator.pk not in seen:
            seen[session.moderator.pk] = session.moderator
        for link in session.speaker_links.all():
            seen.setdefault(link.person.pk, link.person)
    return list(seen.values())


def event_quotes(event: Event) -> list[Quote]:
    return [quote for session in event.sessions.all() for quote in session.quotes.all()]


def event_poles(event: Event) -> list:
    """Poles presented or cited in the programme, and poles of the people who spoke."""
    poles = {}
    for session in event.sessions.all():
        for pole in session.poles.all():
            poles[pole.pk] = pole
        for link in session.speaker_links.all():
            if link.person.pole is not None:
                poles[link.person.pole.pk] = link.person.pole
    return sorted(
        (p for p in poles.values() if getattr(p, "is_published", True)),
        key=lambda p: p.name.lower(),
    )


def event_sessions_by_part(event: Event) -> list[tuple[str, list[Session]]]:
    groups: list[tuple[str, list[Session]]] = []
    for session in event.sessions.all():
        label = session.get_part_of_day_display() if session.part_of_day else ""
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(session)
    return groups


def charter_signatures_on(event: Event) -> list:
    """Charter signatures validated on the day (the selector charter offers)."""
    return list(charter_selectors.validated_signatures_on(event.date))


def signature_pole(signature):
    """The pole of a signature object, whatever shape the charter app gives it."""
    return getattr(signature, "pole", None) or signature


@dataclass
class PersonPage:
    person: Person
    sessions: list
    interventions: list
    quotes: list


def person_in_event(event: Event, person_slug: str) -> PersonPage | None:
    person = Person.objects.select_related("organisation", "pole").filter(slug=person_slug).first()
    if person is None:
        return None
    sessions = [
        s
        for s in event.sessions.all()
        if (s.moderator_id == person.pk)
        or any(link.person_id == person.pk for link in s.speaker_links.all())
    ]
    if not sessions:
        return None
    interventions = [
        i for s in event.sessions.all() for i in s.interventions.all() if i.person_id == person.pk
    ]
    quotes = [q for s in event.sessions.all() for q in s.quotes.all() if q.person_id == person.pk]
    return PersonPage(person, sessions, interventions, quotes)


def person_other_events(person: Person, event: Event) -> QuerySet[Event]:
    return (
        published_events()
        .filter(Q(sessions__speakers=person) | Q(sessions__moderator=person))
        .exclude(pk=event.pk)
        .distinct()
    )


# --- registrations ---------------------------------------------------------------------


def registration_by_token(slug: str, token: str) -> Registration | None:
    if not could_be_token(token):
        return None
    return (
        Registration.objects.select_related("event", "pole")
        .filter(event__slug=slug, token=token)
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, id__lt=registration.id)
        )
        .count()
        + 1
    )


def _without_expired_requests(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Requests not confirmed in time hold nothing: as if gone (they are deleted soon)."""
    return queryset.exclude(status=Registration.Status.PENDING, confirm_by__lte=timezone.now())


def registrations_for_staff(event: Event) -> QuerySet[Registration]:
    return _without_expired_requests(
        Registration.objects.filter(event=event).select_related("pole").order_by("created_at", "id")
    )


def registration_counts(event: Event) -> dict:
    counts = _without_expired_requests(Registration.objects.filter(event=event)).aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
        pending=Count("id", filter=Q(status=Registration.Status.PENDING)),
        cancelled=Count("id", filter=Q(status=Registration.Status.CANCELLED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    return counts


def public_participants(event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, public_consent=True
        )
        .select_related("pole")
        .order_by(Lower("last_name"), Lower("first_name"))
    )


def registrations_of_user(user) -> QuerySet[Registration]:
    """Registrations made while signed in as `user`, or with their login address or one of
    their verified addresses, latest day first."""
    from allauth.account.models import EmailAddress

    verified = (
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(lowered=Lower("email"))
        .values("lowered")
    )
    return _without_expired_requests(
        Registration.objects.annotate(email_lower=Lower("email"))
        .filter(Q(user=user) | Q(email_lower=user.email.lower()) | Q(email_lower__in=verified))
        .select_related("event")
        .order_by("-event__date", "-created_at")
    )


def registration_of_user_for(user, event: Event) -> Registration | None:
    """`user`'s current registration (not cancelled) to `event`, or None (1 query; none for
    an anonymous visitor)."""
    if not user.is_authenticated:
        return None
    return (
        registrations_of_user(user)
        .filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def next_event() -> Event | None:
    return published_events().filter(date__gte=timezone.localdate()).order_by("date").first()


def home_figures() -> dict:
    figures = {}
    latest = (
        published_events()
        .filter(participants_count__isnull=False, date__lt=timezone.localdate())
        .order_by("-date")
        .first()
    )
    if latest:
        label = _("participants à la journée nationale du %(date)s") % {
            "date": date_format(latest.date, "j F Y")
        }
        value = (
            f"≈ {latest.participants_count}"
            if latest.participants_count_approx
            else latest.participants_count
        )
        figures["events_last_participants"] = {"value": value, "label": label}
    upcoming = (
        published_events()
        .filter(date__gte=timezone.localdate(), is_demo=False)
        .order_by("date")
        .first()
    )
    if upcoming:
        label = _("prochaine journée : %(title)s") % {"title": upcoming.title}
        figures["events_next_day"] = {
            "value": date_format(upcoming.date, "j M Y"),
            "label": label,
        }
    days = published_events().filter(kind=Event.Kind.NATIONAL_DAY, is_demo=False)
    held = days.filter(date__lt=timezone.localdate()).count()
    if held:
        figures["events_national_days"] = {"value": held, "label": _("journées nationales")}
    return figures


# --- Staff dashboard (/admin/) -----------------------------------------------------------------


def staff_queues() -> list:
    """Waiting lists of the upcoming days that have a capacity, soonest day first (1 query)."""
    from django.db.models import Min
    from django.urls import reverse

    from ptce_portal.backoffice import QueueItem, build_queue

    from .permissions import can_manage_event

    waiting = Q(registrations__status=Registration.Status.WAITLISTED)
    events = list(
        Event.objects.filter(date__gte=timezone.localdate(), capacity__isnull=False)
        .annotate(
            waitlisted=Count("registrations", filter=waiting),
            waiting_since=Min("registrations__created_at", filter=waiting),
        )
        .filter(waitlisted__gt=0)
        .order_by("date", "pk")
    )
    return [
        build_queue(
            events,
            count=sum(event.waitlisted for event in events),
            oldest=min((event.waiting_since for event in events), default=None),
            item=lambda event: QueueItem(
                label=f"{event.title} ({date_format(event.date, 'SHORT_DATE_FORMAT')})",
                detail=_("%(waiting)s en liste d'attente, %(taken)s / %(capacity)s places prises")
                % {
                    "waiting": event.waitlisted,
                    "taken": event.seats_taken,
                    "capacity": event.capacity,
                },
                since=event.waiting_since,
                url=reverse("events:staff_participants", args=[event.slug])
                + f"?status={Registration.Status.WAITLISTED}",
            ),
            key="waitlist",
            title=_("Inscriptions en liste d'attente"),
            help_text=_("Journées à venir dont la capacité est atteinte."),
            url=reverse("admin:events_registration_changelist")
            + f"?status__exact={Registration.Status.WAITLISTED}",
            link_label=_("Toutes les inscriptions en liste d'attente"),
            permission="events.change_registration",
            predicate=can_manage_event,
        )
    ]
