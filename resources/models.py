"""The resource centre: documents, tools and experience sheets written by coordinators or
staff, filed under themes and the referential's principal objectives, moderated by staff
before publication, with their attachments (type read from the content; stored through
Django's storage API)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from poles.models import Pole, Theme
from ptce_portal import text_limits
from referential.models import PrincipalObjective

from . import licences

SUMMARY_MAX = 600
BODY_MAX = 20_000  # an experience sheet: several pages
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10  # per resource


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    TOOL = "tool", _("outil")
    EXPERIENCE = "experience", _("fiche d'expérience")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SUBMITTED = "submitted", _("en attente de publication")
    PUBLISHED = "published", _("publiée")
    REFUSED = "refused", _("refusée")


class AttachmentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "ODT"
    DOCX = "docx", "DOCX"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"
    WEBP = "webp", "WebP"
    GIF = "gif", "GIF"


class Resource(models.Model):
    Kind = ResourceKind
    Status = ResourceStatus

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=ResourceKind.choices)
    summary = models.TextField(_("résumé"), max_length=SUMMARY_MAX)
    body = models.TextField(_("texte"), blank=True, max_length=BODY_MAX)
    licence = models.CharField(
        _("licence"), max_length=40, choices=licences.choices, default=licences.default
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("auteur ou autrice"),
    )
    themes = models.ManyToManyField(
        Theme, related_name="resources", blank=True, verbose_name=_("thèmes")
    )
    objectives = models.ManyToManyField(
        PrincipalObjective,
        related_name="resources",
        blank=True,
        verbose_name=_("objectifs principaux du référentiel"),
    )
    poles = models.ManyToManyField(
        Pole, related_name="resources", blank=True, verbose_name=_("pôles concernés")
    )
    refusal_reason = models.TextField(
        _("motif du refus"), blank=True, max_length=text_limits.MESSAGE
    )
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # Written by the database (a trigger of migration 0001): the French text search vector
    # of the title (weight A), summary (B) and body (C), folded without accents.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            text_limits.length_limit(
                "summary", SUMMARY_MAX, name="resource_summary_length", label=_("résumé")
            ),
            text_limits.length_limit(
                "body", BODY_MAX, name="resource_body_length", label=_("texte")
            ),
            text_limits.length_limit(
                "refusal_reason",
                text_limits.MESSAGE,
                name="resource_refusal_reason_length",
                label=_("motif du refus"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResourceStatus.values), name="resource_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="resource_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="resource_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="resource_refused_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="resource_status_pub_idx"),
            GinIndex(fields=["search_vector"], name="resource_search_vector_gin"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def licence_info(self) -> licences.Licence | None:
        return licences.get(self.licence)


class Attachment(models.Model):
    """A file of a resource. Its type was read from its content (resources.files), never
    from its name or the browser's announced type; the file lives in the default storage."""

    Format = AttachmentFormat

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("ressource"),
    )
    file = models.FileField(_("fichier"), upload_to="resources/", max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    format = models.CharField(_("format"), max_length=5, choices=AttachmentFormat.choices)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["resource", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=MAX_ATTACHMENT_BYTES),
                name="attachment_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(format__in=AttachmentFormat.values),
                name="attachment_format_valid",
            ),
            models.CheckConstraint(condition=~Q(file=""), name="attachment_has_file"),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("resources:attachment", kwargs={"slug": self.resource.slug, "pk": self.pk})


# Peers: help offers and exchange requests between poles (resources/peers_models.py).
from .peers_models import ExchangeRequest, HelpOffer  # noqa: E402, F401
