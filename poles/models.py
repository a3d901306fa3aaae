import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ptce_portal import text_limits
from ptce_portal.names import NameField
from ptce_portal.search import Folded

# Metropolitan France and the overseas departments, with a margin: anything outside
# these boxes is not a French pole's location.
FRANCE_BOUNDS = [
    # (min_lat, max_lat, min_lon, max_lon)
    (41.2, 51.2, -5.5, 9.7),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.7),  # Martinique
    (2.0, 6.0, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.5, 44.9, 45.4),  # Mayotte
]


def is_in_france(latitude: float, longitude: float) -> bool:
    return any(
        lat_min <= latitude <= lat_max and lon_min <= longitude <= lon_max
        for lat_min, lat_max, lon_min, lon_max in FRANCE_BOUNDS
    )


class Region(models.Model):
    """A French region: a current one (13 metropolitan + overseas, since 2016) or a former one."""

    class Kind(models.TextChoices):
        CURRENT = "current", _("région actuelle")
        FORMER = "former", _("ancienne région (avant 2016)")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="region_name_kind_unique"),
        ]

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    chef_lieu = models.CharField(_("chef-lieu"), max_length=100)
    latitude = models.FloatField(_("latitude du chef-lieu"))
    longitude = models.FloatField(_("longitude du chef-lieu"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"kind": Region.Kind.CURRENT},
        verbose_name=_("région"),
    )
    former_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="former_departments",
        limit_choices_to={"kind": Region.Kind.FORMER},
        verbose_name=_("ancienne région"),
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


# What the directory's search reads: the searched fields folded (no accents, lower case;
# ptce_portal.search), and the name alone for the typo-tolerant match. Trigram indexes on
# these very expressions (Pole.Meta.indexes) serve the search: it costs about the same with
# 10,000 poles as with 40. poles.filters.search_poles filters on them.
SEARCH_TEXT = Folded(
    Concat(
        "name",
        models.Value(" "),
        "carrier_structure",
        models.Value(" "),
        "town",
        models.Value(" "),
        "territory_label",
        models.Value(" "),
        "short_description",
        output_field=models.TextField(),
    )
)
SEARCH_NAME = Folded("name")


class Pole(models.Model):
    """A Pôle Territorial de Coopération Économique."""

    # Not stored: set by poles.services when the address lookup failed, for the view to show.
    location_notice = ""

    class Maturity(models.TextChoices):
        UNKNOWN = "", _("non renseigné")
        PROJECT = "project", _("en projet")
        EMERGING = "emerging", _("émergent")
        EXISTING = "existing", _("existant")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("identifié")
        ENGAGED = "engaged", _("engagé dans la démarche")
        SIGNATORY = "signatory", _("signataire de la charte")

    name = NameField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    carrier_structure = NameField(_("structure porteuse"), max_length=200, blank=True)
    short_description = models.CharField(_("description courte"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=text_limits.DESCRIPTION)
    website = models.URLField(_("site web"), blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    contact_is_public = models.BooleanField(
        _("publier le contact"),
        default=False,
        help_text=_("Le pôle accepte que son e-mail et son téléphone de contact soient publiés."),
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    town = models.CharField(_("commune"), max_length=120, blank=True)
    departments = models.ManyToManyField(
        Department, related_name="poles", blank=True, verbose_name=_("départements")
    )
    territory_label = models.CharField(
        _("territoire (libellé)"),
        max_length=200,
        blank=True,
        help_text=_("Le territoire tel que le pôle le nomme, ex. « Landes, Pays Basque »."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="poles",
        null=True,
        blank=True,
        limit_choices_to={"kind": Region.Kind.CURRENT},
        verbose_name=_("région"),
    )
    former_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="former_poles",
        null=True,
        blank=True,
        limit_choices_to={"kind": Region.Kind.FORMER},
        verbose_name=_("ancienne région"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_approximate = models.BooleanField(
        _("coordonnées approximatives"),
        default=True,
        help_text=_("Coché quand le point est celui de la commune ou du chef-lieu, pas l'adresse."),
    )

    class LocationFailure(models.TextChoices):
        NONE = "", _("aucun")
        NOT_FOUND = "not_found", _("adresse introuvable dans la Base Adresse Nationale")
        UNAVAILABLE = "unavailable", _("service national des adresses indisponible")

    location_failure = models.CharField(
        _("échec de la recherche d'adresse"),
        max_length=12,
        choices=LocationFailure.choices,
        default="",
        blank=True,
        help_text=_(
            "Renseigné quand la dernière recherche de l'adresse a échoué : le pôle est alors "
            "placé au chef-lieu de son département, à vérifier."
        ),
    )
    year_created = models.PositiveSmallIntegerField(
        _("année de création"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    legal_form = models.CharField(_("forme juridique"), max_length=120, blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="poles", blank=True, verbose_name=_("thèmes")
    )
    maturity = models.CharField(
        _("maturité"),
        max_length=10,
        choices=Maturity.choices,
        default=Maturity.UNKNOWN,
        blank=True,
    )
    status = models.CharField(
        _("statut dans la démarche"),
        max_length=12,
        choices=Status.choices,
        default=Status.IDENTIFIED,
        help_text=_("« Signataire » découle d'une signature de la charte validée."),
    )
    is_published = models.BooleanField(_("publié"), default=False)
    # Written by the charter app through poles.services.pole_set_signatory: poles shows it
    # (open data) without reading the charter's tables.
    charter_signed_on = models.DateField(
        _("date de signature de la charte"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Date de la signature validée de la dernière version signée de la charte."),
    )
    signatory_number = models.PositiveSmallIntegerField(
        _("n° dans la liste des signataires du 19 septembre 2014"),
        null=True,
        blank=True,
        unique=True,
    )
    edits_need_review = models.BooleanField(
        _("modifications soumises à relecture"),
        default=False,
        help_text=_("Les modifications des coordinateurs attendent la validation de l'équipe."),
    )
    # Pictures (ptce_portal.images: re-encoded, without metadata; default storage), each
    # with its text alternative, required in the database.
    logo = models.FileField(_("logo"), upload_to="poles/", max_length=200, blank=True)
    logo_alt = models.CharField(_("texte alternatif du logo"), max_length=200, blank=True)
    photo = models.FileField(_("photo"), upload_to="poles/", max_length=200, blank=True)
    photo_alt = models.CharField(_("texte alternatif de la photo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("pôle")
        verbose_name_plural = _("pôles")
        ordering = ["name"]
        constraints = [
            text_limits.length_limit(
                "description",
                text_limits.DESCRIPTION,
                name="pole_description_length",
                label=_("description"),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="pole_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=Q(logo="") | ~Q(logo_alt=""), name="pole_logo_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="pole_photo_has_alt"
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "status"]),
            GinIndex(fields=["name"], name="pole_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(OpClass(SEARCH_TEXT, name="gin_trgm_ops"), name="pole_search_text_trgm"),
            GinIndex(OpClass(SEARCH_NAME, name="gin_trgm_ops"), name="pole_search_name_trgm"),
            # The directory: published poles in name order, a page at a time.
            models.Index(
                fields=["name", "id"],
                condition=Q(is_published=True),
                name="pole_published_name_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("poles:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        for kind in ("logo", "photo"):
            if getattr(self, kind) and not getattr(self, f"{kind}_alt").strip():
                raise ValidationError(
                    {f"{kind}_alt": _("Décrivez l'image en quelques mots (texte alternatif).")}
                )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": _("Indiquez la latitude et la longitude, ou aucune des deux.")}
            )
        if self.latitude is not None and not is_in_france(self.latitude, self.longitude):
            raise ValidationError(
                {
                    "latitude": _(
                        "Ce point (%(lat)s ; %(lon)s) est hors de France : vérifiez la latitude "
                        "et la longitude (degrés décimaux, ex. 47.22 et -1.55 pour Nantes)."
                    )
                    % {"lat": self.latitude, "lon": self.longitude}
                }
            )


# Public-profile fields a coordinator may change (identity, texts, contact, place): the
# profile form, the profile service and the revision review in the admin use these lists.
PROFILE_FIELDS = [
    "name",
    "carrier_structure",
    "short_description",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "contact_is_public",
    "address",
    "postcode",
    "town",
    "territory_label",
    "year_created",
    "legal_form",
    "maturity",
]
PROFILE_M2M_FIELDS = ["departments", "themes"]


class PoleMember(models.Model):
    """A member of a pole, typed by the categories of article 9 of the ESS law."""

    class Category(models.TextChoices):
        ESS_ENTERPRISE = "ess", _("entreprise de l'économie sociale et solidaire")
        ENTERPRISE = "enterprise", _("autre entreprise")
        LOCAL_AUTHORITY = "authority", _("collectivité territoriale ou groupement")
        RESEARCH = "research", _("centre de recherche")
        HIGHER_EDUCATION = "higher_education", _("établissement d'enseignement supérieur")
        TRAINING = "training", _("organisme de formation")
        OTHER = "other", _("autre personne physique ou morale")

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="members", verbose_name=_("pôle")
    )
    name = NameField(_("nom"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    town = models.CharField(_("commune"), max_length=120, blank=True)
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pole", "name"], name="pole_member_name_unique"),
        ]

    def __str__(self):
        return self.name


class PoleCoordinator(models.Model):
    """A user who coordinates a pole, once staff approved the request."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("demande en attente")
        APPROVED = "approved", _("approuvé")
        REFUSED = "refused", _("refusé")

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("pôle")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pole_coordinations",
        verbose_name=_("compte"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    message = models.TextField(
        _("message de la demande"), blank=True, max_length=text_limits.MESSAGE
    )
    refusal_reason = models.TextField(
        _("motif du refus"), blank=True, max_length=text_limits.MESSAGE
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )

    class Meta:
        verbose_name = _("coordination")
        verbose_name_plural = _("coordinations")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["pole", "user"], name="pole_coordinator_unique"),
            text_limits.length_limit(
                "message",
                text_limits.MESSAGE,
                name="pole_coordinator_message_length",
                label=_("message de la demande"),
            ),
            text_limits.length_limit(
                "refusal_reason",
                text_limits.MESSAGE,
                name="pole_coordinator_refusal_reason_length",
                label=_("motif du refus"),
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.pole}"


class RegionalCoordination(models.Model):
    """A person of a regional coordination (e.g. the regional ESS chamber, CRESS) who
    moderates the poles of a region: answers coordinator requests and reviews pole edits.
    Appointed by staff in the admin. A pole belongs to a region through its current or its
    former region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="regional_coordinations",
        verbose_name=_("personne"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="regional_coordinations",
        verbose_name=_("région"),
    )
    organisation = NameField(
        _("structure"), max_length=200, blank=True, help_text=_("Par exemple : CRESS Rhône-Alpes.")
    )
    created_at = models.DateTimeField(_("nommée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordination régionale")
        verbose_name_plural = _("coordinations régionales")
        ordering = ["region__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="regional_coordination_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.region}"


class CallForProjects(models.Model):
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    applications_count = models.PositiveIntegerField(
        _("nombre de candidatures"), null=True, blank=True
    )
    laureates_count = models.PositiveIntegerField(_("nombre de lauréats"), null=True, blank=True)
    total_amount = models.DecimalField(
        _("montant total (€)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    laureates = models.ManyToManyField(
        Pole, related_name="calls_won", blank=True, verbose_name=_("pôles lauréats")
    )

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        ordering = ["year", "title"]

    def __str__(self):
        return f"{self.title} ({self.year})"


class PoleRevision(models.Model):
    """Changes a coordinator proposed for a pole whose edits need staff review.

    `data` holds the proposed public-profile fields (JSON-serialisable values, many-to-many
    fields as lists of primary keys) and, under "members", the proposed member list."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de relecture")
        APPLIED = "applied", _("appliquée")
        REJECTED = "rejected", _("refusée")

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("pôle")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="pole_revisions",
        verbose_name=_("proposée par"),
    )
    data = models.JSONField(_("modifications proposées"), default=dict)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    reason = models.TextField(_("motif"), blank=True, max_length=text_limits.MESSAGE)

    class Meta:
        verbose_name = _("modification en attente")
        verbose_name_plural = _("modifications en attente")
        ordering = ["-created_at"]

        constraints = [
            text_limits.length_limit(
                "reason", text_limits.MESSAGE, name="pole_revision_reason_length", label=_("motif")
            ),
        ]

    def __str__(self):
        return f"{self.pole} · {self.get_status_display()} · {self.created_at:%d/%m/%Y}"

    @property
    def proposed_picture(self) -> dict | None:
        """The logo or photo this edit proposes ({"kind", "label", "url", "alt"}; "url" empty
        when only the text alternative changes), or None."""
        picture = (self.data or {}).get("picture")
        if not picture or picture.get("kind") not in ("logo", "photo"):
            return None
        field = Pole._meta.get_field(picture["kind"])
        name = picture.get("file") or ""
        return {
            "kind": picture["kind"],
            "label": field.verbose_name,
            "url": field.storage.url(name) if name else "",  # type: ignore[attr-defined]
            "alt": picture.get("alt", ""),
        }


class Source(models.Model):
    """A document facts are taken from: the report of the national day of 19 September 2014
    (the portal's founding document) or another public document (title, publisher, date,
    address). Seeded from poles/data/sources.yaml; staff edit them in the admin."""

    class Kind(models.TextChoices):
        REPORT = "report", _("rapport de la journée nationale")
        DOCUMENT = "document", _("document public")

    key = models.SlugField(_("identifiant"), max_length=60, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    short_title = models.CharField(
        _("titre court"),
        max_length=100,
        help_text=_("Affiché à côté des faits, ex. « rapport de la journée nationale 2014 »."),
    )
    publisher = models.CharField(_("éditeur ou auteur"), max_length=200, blank=True)
    date_label = models.CharField(
        _("date"),
        max_length=60,
        blank=True,
        help_text=_("La date telle que le document la donne, ex. « 23 mai 2014 » ou « 2015 »."),
    )
    url = models.URLField(_("adresse"), max_length=500, blank=True)
    supports = models.TextField(
        _("ce qu'il établit"),
        blank=True,
        help_text=_("Ce que le portail tire de ce document, en une ou deux phrases."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "title"]

    def __str__(self):
        return self.citation()

    def citation(self) -> str:
        """« Title », publisher, date."""
        parts = [f"« {self.title} »"]
        parts += [value for value in (self.publisher, self.date_label) if value]
        return ", ".join(parts)


class FactSource(models.Model):
    """Where one fact of a pole comes from, when neither its coordinator nor staff entered it:
    the report (with its part), a public document, or an inference shown as such. A
    coordinator's edit of the fact replaces it with « renseigné par le pôle » and the date,
    staff's (profile form, the admin's change form or CSV import) with « renseigné par l'équipe »
    (poles.services). No row: the fact was entered in the portal by the pole or staff."""

    class Fact(models.TextChoices):
        NAME = "name", _("nom")
        CARRIER = "carrier_structure", _("structure porteuse")
        TERRITORY = "territory", _("territoire et région")
        DEPARTMENTS = "departments", _("départements")
        TOWN = "town", _("commune")
        POSITION = "position", _("position sur la carte")
        MATURITY = "maturity", _("maturité")
        THEMES = "themes", _("thèmes")
        DESCRIPTION = "description", _("présentation")
        LAUREATE = "laureate", _("lauréat d'un appel à projets")

    class Kind(models.TextChoices):
        REPORT = "report", _("rapport de la journée nationale 2014")
        DOCUMENT = "document", _("document public")
        INFERENCE = "inference", _("déduit")
        POLE = "pole", _("renseigné par le pôle")
        STAFF = "staff", _("renseigné par l'équipe")

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="fact_sources", verbose_name=_("pôle")
    )
    fact = models.CharField(_("fait"), max_length=20, choices=Fact.choices)
    kind = models.CharField(_("provenance"), max_length=10, choices=Kind.choices)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="facts",
        null=True,
        blank=True,
        verbose_name=_("document"),
    )
    part = models.CharField(
        _("partie du document"),
        max_length=300,
        blank=True,
        help_text=_("Ex. « annexe 3 », « Quatre pôles à la tribune », une page ou un passage."),
    )
    inference = models.CharField(
        _("raisonnement"),
        max_length=300,
        blank=True,
        help_text=_(
            "Pour un fait déduit : « déduit du nom du pôle », « chef-lieu du département »…"
        ),
    )
    entered_on = models.DateField(_("renseigné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("source d'un fait")
        verbose_name_plural = _("sources des faits")
        ordering = ["pole", "fact"]
        constraints = [
            models.UniqueConstraint(fields=["pole", "fact"], name="fact_source_pole_fact_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=["report", "document"]) | Q(source__isnull=False),
                name="fact_source_document_named",
            ),
            models.CheckConstraint(
                condition=~Q(kind="inference") | ~Q(inference=""),
                name="fact_source_inference_explained",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["pole", "staff"]) | Q(entered_on__isnull=False),
                name="fact_source_entry_dated",
            ),
        ]

    def __str__(self):
        return f"{self.pole} · {self.get_fact_display()} · {self.label()}"

    def clean(self):
        super().clean()
        if self.kind in (self.Kind.REPORT, self.Kind.DOCUMENT) and self.source_id is None:
            raise ValidationError({"source": _("Indiquez le document d'où vient ce fait.")})
        if self.kind == self.Kind.INFERENCE and not self.inference.strip():
            raise ValidationError(
                {
                    "inference": _(
                        "Dites comment ce fait a été déduit (ex. « déduit du nom du pôle »)."
                    )
                }
            )
        if self.kind in (self.Kind.POLE, self.Kind.STAFF) and self.entered_on is None:
            raise ValidationError(
                {"entered_on": _("Indiquez la date à laquelle il a été renseigné.")}
            )

    @property
    def is_inferred(self) -> bool:
        return self.kind == self.Kind.INFERENCE

    def label(self) -> str:
        """The text of the open data and the admin: the full citation."""
        return fact_source_label(
            kind=self.kind,
            citation=self.source.citation() if self.source_id else "",
            part=self.part,
            inference=self.inference,
            entered_on=self.entered_on,
        )

    def short_label(self) -> str:
        """The discreet note beside the fact on a page (the full citation is on /sources/)."""
        return fact_source_label(
            kind=self.kind,
            citation=self.source.short_title if self.source_id else "",
            part=self.part,
            inference=self.inference,
            entered_on=self.entered_on,
        )


def fact_source_label(*, kind, citation="", part="", inference="", entered_on=None) -> str:
    """« Source : … » text of a fact, from a FactSource row or its annotated values."""
    if kind == FactSource.Kind.INFERENCE:
        if inference.lower().startswith(("déduit", "deduit")):
            return inference[:1].upper() + inference[1:]
        return _("Déduit : %(how)s") % {"how": inference}
    if kind in (FactSource.Kind.POLE, FactSource.Kind.STAFF):
        who = (
            _("Renseigné par le pôle")
            if kind == FactSource.Kind.POLE
            else _("Renseigné par l'équipe du portail")
        )
        if entered_on:
            if isinstance(entered_on, str):
                entered_on = datetime.date.fromisoformat(entered_on)
            return _("%(who)s le %(date)s") % {"who": who, "date": entered_on.strftime("%d/%m/%Y")}
        return str(who)
    text = citation
    if part:
        text = f"{text}, {part}"
    return text
