"""National days of the PTCE community: programme, speakers, quotes and registrations."""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ptce_portal import text_limits
from ptce_portal.names import NameField
from ptce_portal.tokens import new_token  # also events.models.new_token in migrations


class Organisation(models.Model):
    """An organisation: a co-organising network, a partner, a speaker's employer."""

    name = NameField(_("nom"), max_length=200, unique=True)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name

    @property
    def label(self) -> str:
        if self.acronym and self.acronym not in self.name:
            return f"{self.name} ({self.acronym})"
        return self.name


class Event(models.Model):
    """A national day of the PTCE (or another community event)."""

    class Kind(models.TextChoices):
        NATIONAL_DAY = "national_day", _("journée nationale")
        OTHER = "other", _("autre rencontre")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("annoncée")
        OPEN = "open", _("inscriptions ouvertes")
        FULL = "full", _("complet, liste d'attente")
        CLOSED = "closed", _("inscriptions closes")
        PAST = "past", _("passée")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.NATIONAL_DAY
    )
    edition = models.PositiveSmallIntegerField(_("édition"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("démonstration"),
        default=False,
        help_text=_("Journée fictive créée pour essayer l'inscription."),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    summary = models.CharField(_("résumé"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    proceedings_summary = models.TextField(_("synthèse des actes"), blank=True)
    participants_count = models.PositiveIntegerField(
        _("nombre de participants"), null=True, blank=True
    )
    participants_count_approx = models.BooleanField(
        _("nombre approximatif"), default=False, help_text=_("Affiché « près de … ».")
    )
    signatures_count = models.PositiveIntegerField(
        _("signatures de la charte ce jour-là (selon le compte rendu)"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Laisser vide si la journée n'ouvre pas d'inscriptions."),
    )
    seats_taken = models.PositiveIntegerField(
        _("places confirmées"),
        default=0,
        editable=False,
        help_text=_("Tenu à jour par les inscriptions, sous verrou de la journée."),
    )
    confirmation_hours = models.PositiveSmallIntegerField(
        _("délai de confirmation (heures)"),
        default=48,
        help_text=_(
            "Une inscription faite sans compte ne compte qu'une fois confirmée depuis l'e-mail "
            "reçu ; la demande non confirmée dans ce délai est effacée (1 à 720 heures)."
        ),
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="EventOrganisation",
        related_name="events",
        blank=True,
        verbose_name=_("organisateurs et partenaires"),
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    # A photo of the day (ptce_portal.images: re-encoded, without metadata), set by staff.
    photo = models.FileField(_("photo"), upload_to="journees/", max_length=200, blank=True)
    photo_alt = models.CharField(_("texte alternatif de la photo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("journée")
        verbose_name_plural = _("journées")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="event_photo_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True, seats_taken=0)
                | Q(seats_taken__lte=F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="event_times_ordered",
            ),
            models.CheckConstraint(
                condition=Q(confirmation_hours__gte=1, confirmation_hours__lte=720),
                name="event_confirmation_hours_range",
                violation_error_message=_("Le délai de confirmation va de 1 à 720 heures."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Décrivez l'image en quelques mots (texte alternatif).")}
            )

    # --- derived state -------------------------------------------------------------
    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()

    @property
    def accepts_registrations(self) -> bool:
        return self.capacity is not None and self.registration_opens_at is not None

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.accepts_registrations or self.is_past:
            return False
        if now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.starts_at
        return now < closes

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def status(self) -> str:
        """Derived from dates and seats; never stored."""
        if self.is_past:
            return self.Status.PAST
        if self.registration_is_open():
            return self.Status.FULL if self.is_full else self.Status.OPEN
        if self.accepts_registrations and timezone.now() >= self.registration_opens_at:
            return self.Status.CLOSED
        return self.Status.ANNOUNCED

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time or time(0, 0)))

    @property
    def ends_at(self) -> datetime | None:
        if not self.end_time:
            return None
        return timezone.make_aware(datetime.combine(self.date, self.end_time))

    @property
    def organisers(self):
        return [
            link.organisation
            for link in self.organisation_links.all()
            if link.role == EventOrganisation.Role.ORGANISER
        ]

    @property
    def partners(self):
        return [
            link.organisation
            for link in self.organisation_links.all()
            if link.role == EventOrganisation.Role.PARTNER
        ]


class EventOrganisation(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("co-organisateur")
        PARTNER = "partner", _("partenaire")
        HOST = "host", _("hôte")

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="organisation_links",
        verbose_name=_("journée"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="event_links",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("organisateur ou partenaire")
        verbose_name_plural = _("organisateurs et partenaires")
        ordering = ["role", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation", "role"], name="event_organisation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Person(models.Model):
    """A speaker or named participant; appears in many sessions and days."""

    name = NameField(_("nom"), max_length=150, person=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=150, unique=True)
    role = models.CharField(
        _("fonction"),
        max_length=300,
        blank=True,
        help_text=_("Telle que le compte rendu la donne."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    pole = models.ForeignKey(
        "poles.Pole",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_people",
        verbose_name=_("pôle"),
    )
    # A photo of the speaker (ptce_portal.images), set by staff with the person's consent.
    photo = models.FileField(_("photo"), upload_to="intervenants/", max_length=200, blank=True)
    photo_alt = models.CharField(_("texte alternatif de la photo"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="person_photo_has_alt"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Décrivez l'image en quelques mots (texte alternatif).")}
            )

    @property
    def sort_name(self) -> str:
        return self.name.split(" ", 1)[-1]


class Session(models.Model):
    """A time of the programme, in the order of the day."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("ouverture")
        PLENARY = "plenary", _("plénière")
        ROUND_TABLE = "round_table", _("table ronde")
        DEBATE = "debate", _("débat avec la salle")
        SYNTHESIS = "synthesis", _("synthèse")
        CHARTER_SIGNING = "charter_signing", _("signature de la charte")
        CLOSING = "closing", _("clôture")

    class Part(models.TextChoices):
        MORNING = "morning", _("matinée")
        AFTERNOON = "afternoon", _("après-midi")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("journée")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    part_of_day = models.CharField(
        _("moment de la journée"), max_length=10, choices=Part.choices, blank=True
    )
    start_time = models.TimeField(_("début"), null=True, blank=True)
    end_time = models.TimeField(_("fin"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("résumé"), blank=True)
    moderator = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_sessions",
        verbose_name=_("animation"),
    )
    speakers = models.ManyToManyField(
        Person,
        through="SessionSpeaker",
        related_name="sessions",
        blank=True,
        verbose_name=_("intervenant·es"),
    )
    poles = models.ManyToManyField(
        "poles.Pole",
        related_name="event_sessions",
        blank=True,
        verbose_name=_("pôles présentés ou cités"),
    )

    class Meta:
        verbose_name = _("séquence du programme")
        verbose_name_plural = _("séquences du programme")
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="session_order_unique"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="session_times_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"sequence-{self.order}"


class SessionSpeaker(models.Model):
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="speaker_links",
        verbose_name=_("séquence du programme"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="speaker_links", verbose_name=_("personne")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    label = models.CharField(
        _("rôle dans la séquence"),
        max_length=120,
        blank=True,
        help_text=_("Ex. « co-animation », « réaction », « question depuis la salle »."),
    )

    class Meta:
        verbose_name = _("intervenant·e")
        verbose_name_plural = _("intervenant·es")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_speaker_unique"),
            models.UniqueConstraint(fields=["session", "order"], name="session_speaker_order"),
        ]

    def __str__(self):
        return f"{self.person} — {self.session}"


class Intervention(models.Model):
    """What a person said in a session, summarised in the portal's own words."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("séquence du programme"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("personne")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    summary = models.TextField(_("résumé"))

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="intervention_order_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.session}"


class Quote(models.Model):
    """A verbatim citation from the report, with its attribution as printed."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("séquence du programme"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("personne")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    text = models.TextField(_("texte (verbatim)"))
    role_as_printed = models.CharField(
        _("fonction telle qu'imprimée"),
        max_length=300,
        blank=True,
        help_text=_("La ligne d'attribution du compte rendu, après le nom."),
    )
    is_pull_quote = models.BooleanField(
        _("citation mise en exergue"),
        default=True,
        help_text=_("Imprimée en exergue dans le compte rendu, avec nom et fonction."),
    )

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["session__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="quote_order_unique"),
        ]

    def __str__(self):
        return f"« {self.text[:60]}… » — {self.person}"


class Registration(models.Model):
    """A person registered for a day: confirmed, on the waiting list, or cancelled; or a
    request made without an account, waiting to be confirmed from its e-mail (`pending`):
    it holds no seat and no place on the waiting list until then, and is deleted once its
    `confirm_by` has passed (services.registrations_expire)."""

    class Category(models.TextChoices):
        POLE = "pole", _("pôle")
        NETWORK = "network", _("réseau")
        LOCAL_AUTHORITY = "authority", _("collectivité")
        STATE = "state", _("État")
        RESEARCHER = "researcher", _("chercheur·e")
        CITIZEN = "citizen", _("citoyen·ne")
        OTHER = "other", _("autre")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmée")
        WAITLISTED = "waitlisted", _("liste d'attente")
        PENDING = "pending", _("à confirmer par e-mail")
        CANCELLED = "cancelled", _("annulée")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("journée")
    )
    first_name = NameField(_("prénom"), max_length=100, person=True)
    last_name = NameField(_("nom"), max_length=100, person=True)
    email = models.EmailField(_("e-mail"))
    organisation = NameField(_("organisation"), max_length=200, blank=True)
    pole = models.ForeignKey(
        "poles.Pole",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("pôle"),
    )
    category = models.CharField(_("catégorie"), max_length=12, choices=Category.choices)
    accessibility_needs = models.TextField(
        _("besoins d'accessibilité"), blank=True, max_length=text_limits.CONTACT
    )
    public_consent = models.BooleanField(_("accepte la liste publique"), default=False)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices)
    token = models.CharField(
        _("jeton du lien personnel"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("inscrite le"), default=timezone.now)
    confirm_by = models.DateTimeField(
        _("à confirmer avant le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Demande faite sans compte : effacée si elle n'est pas confirmée à temps."),
    )
    link_sent_at = models.DateTimeField(
        _("dernier envoi du lien personnel"), null=True, blank=True, editable=False
    )
    promoted_at = models.DateTimeField(_("sortie de liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("présence pointée le"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("compte"),
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "created_at", "id"]
        constraints = [
            text_limits.length_limit(
                "accessibility_needs",
                text_limits.CONTACT,
                name="registration_accessibility_needs_length",
                label=_("besoins d'accessibilité"),
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status="cancelled"),
                name="registration_active_email_unique",
                violation_error_message=_("Cette adresse est déjà inscrite à cette journée."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checkin_only_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(status="cancelled"),
                name="registration_cancelled_at_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(confirm_by__isnull=False),
                name="registration_pending_has_a_deadline",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.full_name} — {self.event}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_expired(self, now: datetime | None = None) -> bool:
        """A request that was not confirmed in time (it holds nothing; deleted soon)."""
        return self.is_pending and self.confirm_by <= (now or timezone.now())

    def get_manage_url(self) -> str:
        return reverse(
            "events:registration_manage",
            kwargs={"slug": self.event.slug, "token": self.token},
        )
