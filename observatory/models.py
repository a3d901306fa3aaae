"""The observatory: each year, staff open a campaign; the coordinators of the charter's
signatory poles report their pole's figures (members by the categories of article 9 of the
ESS law, jobs, turnover and budget bands, activities, territory, projects) and say which of
them may be published under the pole's name; staff review each report.

The questionnaire (the labels and help of each figure, the turnover and budget bands) is
reference data, versioned like the referential and loaded from observatory/data/."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from poles.models import Pole, Theme
from ptce_portal import text_limits

# Bounds of the figures: a pole with more is not plausible (the largest report about 15
# members and a hundred jobs on average, a few hundred at most); the database refuses more.
MAX_MEMBERS_PER_CATEGORY = 1000
MAX_JOBS = 20000
MAX_PROJECTS = 1000
TERRITORY_MAX = 2000  # characters of the list of towns or intercommunalities


@dataclass(frozen=True)
class Figure:
    """One figure of a report: the fields it is made of and the consent to publish it."""

    code: str
    fields: tuple[str, ...]
    consent_field: str


MEMBER_FIELDS = (
    "members_ess",
    "members_enterprise",
    "members_authority",
    "members_research",
    "members_training",
    "members_other",
)

FIGURES: tuple[Figure, ...] = (
    Figure("members", MEMBER_FIELDS, "publish_members"),
    Figure("jobs", ("jobs_people", "jobs_fte"), "publish_jobs"),
    Figure("jobs_created", ("jobs_created",), "publish_jobs_created"),
    Figure("turnover", ("turnover_band",), "publish_turnover"),
    Figure("budget", ("budget_band",), "publish_budget"),
    Figure("public_funding", ("public_funding_share",), "publish_public_funding"),
    Figure("projects", ("projects_started",), "publish_projects"),
    Figure("themes", ("themes",), "publish_themes"),
    Figure("territory", ("territory_kind", "territory_names"), "publish_territory"),
)
FIGURE_CODES = tuple(figure.code for figure in FIGURES)
FIGURES_BY_CODE = {figure.code: figure for figure in FIGURES}
# Answered fields a report needs before it is submitted (themes and territory may stay empty
# only if the pole says nothing there: they are lists).
REMINDER_DAYS = (14, 3)  # reminders sent this many days before a campaign closes
REQUIRED_FIELDS = (
    *MEMBER_FIELDS,
    "jobs_people",
    "jobs_fte",
    "jobs_created",
    "turnover_band",
    "budget_band",
    "public_funding_share",
    "projects_started",
    "territory_kind",
)


class QuestionnaireVersion(models.Model):
    """A version of the observatory's questionnaire (observatory/data/*.yaml)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    source_note = models.TextField(_("note sur la source"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version du questionnaire")
        verbose_name_plural = _("versions du questionnaire")
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Question(models.Model):
    """How a version of the questionnaire asks one figure (FIGURES): its section, label, help."""

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    code = models.CharField(
        _("code"), max_length=40, choices=[(code, code) for code in FIGURE_CODES]
    )
    section = models.CharField(_("rubrique"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("intitulé"), max_length=300)
    help_text = models.TextField(_("aide"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="observatory_question_code_unique"
            ),
        ]

    def __str__(self):
        return self.label


class Band(models.Model):
    """A band of amounts (turnover or budget) of a version of the questionnaire."""

    class Kind(models.TextChoices):
        TURNOVER = "turnover", _("chiffre d'affaires consolidé")
        BUDGET = "budget", _("budget")

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="bands",
        verbose_name=_("version"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("libellé"), max_length=100)
    lower_eur = models.PositiveBigIntegerField(
        _("à partir de (€)"), null=True, blank=True, help_text=_("Vide : sans minimum.")
    )
    upper_eur = models.PositiveBigIntegerField(
        _("jusqu'à (€, exclu)"), null=True, blank=True, help_text=_("Vide : sans maximum.")
    )

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["version", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "code"], name="observatory_band_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(lower_eur__isnull=True)
                | Q(upper_eur__isnull=True)
                | Q(lower_eur__lt=F("upper_eur")),
                name="observatory_band_bounds",
                violation_error_message=_("Le bas de la tranche doit être inférieur à son haut."),
            ),
        ]

    def __str__(self):
        return self.label


class Campaign(models.Model):
    """The observatory's campaign of one year."""

    class State(models.TextChoices):
        PREPARING = "preparing", _("en préparation")
        OPEN = "open", _("ouverte")
        CLOSED = "closed", _("clôturée")

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    opens_on = models.DateField(_("ouverture le"))
    closes_on = models.DateField(_("clôture le"))
    questionnaire = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("questionnaire"),
    )
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.PREPARING
    )
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ouverte par"),
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clôturée par"),
    )
    is_demo = models.BooleanField(
        _("démonstration"),
        default=False,
        help_text=_("Campagne fictive des données de démonstration."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="observatory_campaign_year_range",
                violation_error_message=_("L'année doit être comprise entre 2000 et 2100."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gt=F("opens_on")),
                name="observatory_campaign_dates",
                violation_error_message=_("La clôture doit suivre l'ouverture."),
            ),
        ]

    def __str__(self):
        return str(_("Observatoire {year}")).format(year=self.year)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


def _count_range(field: str, maximum: int, label) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": 0, f"{field}__lte": maximum}),
        name=f"observatory_report_{field}_range",
        violation_error_message=format_lazy(
            _("« {label} » doit être compris entre 0 et {max}."), label=label, max=maximum
        ),
    )


MEMBER_LABELS = {
    "members_ess": _("entreprises de l'économie sociale et solidaire"),
    "members_enterprise": _("autres entreprises"),
    "members_authority": _("collectivités territoriales et leurs groupements"),
    "members_research": _("établissements de recherche et d'enseignement supérieur"),
    "members_training": _("organismes de formation"),
    "members_other": _("autres personnes physiques ou morales"),
}


_members = [MinValueValidator(0), MaxValueValidator(MAX_MEMBERS_PER_CATEGORY)]
_jobs = [MinValueValidator(0), MaxValueValidator(MAX_JOBS)]


class Report(models.Model):
    """A pole's figures for one campaign."""

    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SUBMITTED = "submitted", _("transmis")
        ACCEPTED = "accepted", _("accepté")
        RETURNED = "returned", _("renvoyé pour correction")

    class TerritoryKind(models.TextChoices):
        UNKNOWN = "", _("non renseigné")
        TOWNS = "towns", _("communes")
        INTERCOMMUNALITIES = "intercommunalities", _("intercommunalités")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="reports", verbose_name=_("campagne")
    )
    pole = models.ForeignKey(
        Pole,
        on_delete=models.CASCADE,
        related_name="observatory_reports",
        verbose_name=_("pôle"),
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    return_reason = models.TextField(
        _("motif du renvoi"), blank=True, max_length=text_limits.MESSAGE
    )
    is_demo = models.BooleanField(
        _("démonstration"),
        default=False,
        help_text=_("Chiffres fictifs des données de démonstration."),
    )

    # Members by the categories of article 9 of the law of 31 July 2014 (ESS).
    members_ess = models.PositiveIntegerField(
        MEMBER_LABELS["members_ess"], null=True, blank=True, validators=_members
    )
    members_enterprise = models.PositiveIntegerField(
        MEMBER_LABELS["members_enterprise"], null=True, blank=True, validators=_members
    )
    members_authority = models.PositiveIntegerField(
        MEMBER_LABELS["members_authority"], null=True, blank=True, validators=_members
    )
    members_research = models.PositiveIntegerField(
        MEMBER_LABELS["members_research"], null=True, blank=True, validators=_members
    )
    members_training = models.PositiveIntegerField(
        MEMBER_LABELS["members_training"], null=True, blank=True, validators=_members
    )
    members_other = models.PositiveIntegerField(
        MEMBER_LABELS["members_other"], null=True, blank=True, validators=_members
    )
    # Jobs
    jobs_people = models.PositiveIntegerField(
        _("emplois directs (personnes)"), null=True, blank=True, validators=_jobs
    )
    jobs_fte = models.DecimalField(
        _("emplois directs (équivalents temps plein)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(MAX_JOBS))],
    )
    jobs_created = models.PositiveIntegerField(
        _("emplois créés dans l'année"), null=True, blank=True, validators=_jobs
    )
    # Economy
    turnover_band = models.ForeignKey(
        Band,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Band.Kind.TURNOVER},
        verbose_name=_("chiffre d'affaires consolidé"),
    )
    budget_band = models.ForeignKey(
        Band,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Band.Kind.BUDGET},
        verbose_name=_("budget"),
    )
    public_funding_share = models.PositiveSmallIntegerField(
        _("part des financements publics (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Activities and territory
    projects_started = models.PositiveIntegerField(
        _("projets lancés dans l'année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PROJECTS)],
    )
    themes = models.ManyToManyField(
        Theme, related_name="+", blank=True, verbose_name=_("activités principales")
    )
    territory_kind = models.CharField(
        _("territoire"),
        max_length=20,
        choices=TerritoryKind.choices,
        default=TerritoryKind.UNKNOWN,
        blank=True,
    )
    territory_names = models.TextField(
        _("communes ou intercommunalités"),
        blank=True,
        max_length=TERRITORY_MAX,
        help_text=_("Une par ligne."),
    )

    # What the pole agrees to publish under its name (aggregates use every accepted report).
    publish_members = models.BooleanField(_("publier les membres"), default=False)
    publish_jobs = models.BooleanField(_("publier les emplois"), default=False)
    publish_jobs_created = models.BooleanField(_("publier les emplois créés"), default=False)
    publish_turnover = models.BooleanField(_("publier le chiffre d'affaires"), default=False)
    publish_budget = models.BooleanField(_("publier le budget"), default=False)
    publish_public_funding = models.BooleanField(
        _("publier la part des financements publics"), default=False
    )
    publish_projects = models.BooleanField(_("publier les projets"), default=False)
    publish_themes = models.BooleanField(_("publier les activités"), default=False)
    publish_territory = models.BooleanField(_("publier le territoire"), default=False)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )
    submitted_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transmis par"),
    )
    reviewed_at = models.DateTimeField(_("relu le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relu par"),
    )

    class Meta:
        verbose_name = _("rapport à l'observatoire")
        verbose_name_plural = _("rapports à l'observatoire")
        ordering = ["-campaign__year", "pole__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "pole"], name="observatory_report_unique"),
            *[
                _count_range(field, MAX_MEMBERS_PER_CATEGORY, label)
                for field, label in MEMBER_LABELS.items()
            ],
            _count_range("jobs_people", MAX_JOBS, _("emplois directs (personnes)")),
            _count_range("jobs_created", MAX_JOBS, _("emplois créés dans l'année")),
            _count_range("projects_started", MAX_PROJECTS, _("projets lancés dans l'année")),
            _count_range("public_funding_share", 100, _("part des financements publics (%)")),
            models.CheckConstraint(
                condition=Q(jobs_fte__isnull=True)
                | Q(jobs_fte__gte=Decimal(0), jobs_fte__lte=Decimal(MAX_JOBS)),
                name="observatory_report_jobs_fte_range",
                violation_error_message=format_lazy(
                    _("Les équivalents temps plein doivent être compris entre 0 et {max}."),
                    max=MAX_JOBS,
                ),
            ),
            models.CheckConstraint(
                condition=Q(jobs_fte__isnull=True)
                | Q(jobs_people__isnull=True)
                | Q(jobs_fte__lte=F("jobs_people")),
                name="observatory_report_fte_at_most_people",
                violation_error_message=_(
                    "Les équivalents temps plein ne peuvent dépasser le nombre de personnes "
                    "employées."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="observatory_report_returned_has_reason",
                violation_error_message=_("Un rapport renvoyé porte le motif du renvoi."),
            ),
            text_limits.length_limit(
                "return_reason",
                text_limits.MESSAGE,
                name="observatory_report_return_reason_length",
                label=_("motif du renvoi"),
            ),
            text_limits.length_limit(
                "territory_names",
                TERRITORY_MAX,
                name="observatory_report_territory_names_length",
                label=_("communes ou intercommunalités"),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "state"], name="observatory_report_state")]

    def __str__(self):
        return f"{self.pole} — {self.campaign.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "observatory:report_edit", kwargs={"slug": self.pole.slug, "year": self.campaign.year}
        )

    @property
    def members_total(self) -> int | None:
        values = [getattr(self, field) for field in MEMBER_FIELDS]
        if any(value is None for value in values):
            return None
        return sum(values)

    def published_figures(self) -> list[str]:
        """Codes of the figures the pole agrees to publish under its name."""
        return [figure.code for figure in FIGURES if getattr(self, figure.consent_field)]

    @property
    def is_editable(self) -> bool:
        """The coordinators may still change it (their campaign being open)."""
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        report = super().from_db(db, field_names, values, **kwargs)
        report.state_in_database = report.__dict__.get("state")
        return report

    @property
    def is_public(self) -> bool:
        """The public pages show it now, or showed it before this change (an accepted report
        sent back): only then does a change of it concern them."""
        accepted = self.State.ACCEPTED
        return accepted in (self.state, getattr(self, "state_in_database", None))


class Reminder(models.Model):
    """A reminder e-mail sent to a pole's coordinators before a campaign closes: once per pole,
    campaign and reminder (`send_observatory_reminders` is idempotent)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("campagne")
    )
    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="+", verbose_name=_("pôle")
    )
    days_before = models.PositiveSmallIntegerField(_("jours avant la clôture"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "pole", "days_before"], name="observatory_reminder_unique"
            ),
        ]

    def __str__(self):
        return f"{self.pole} — {self.campaign.year} (J-{self.days_before})"
