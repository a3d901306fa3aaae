"""The charter of the PTCE collective approach: versions (structured text), signatures
(the block of Annex 2 of the 2014 report) and countersignatures."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ptce_portal import text_limits
from ptce_portal.names import NameField

from .validators import validate_phone

# Crockford's base32 without I, L, O, U: easy to read aloud and to type from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4  # 16 symbols of 5 bits: 80 bits of randomness
CODE_PATTERN = r"[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){3}"


def new_verification_code() -> str:
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(
        symbols[i : i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)
    )


# The second national day of the PTCE (Bercy), where 40 poles signed the charter on paper.
NATIONAL_DAY_2014 = datetime.date(2014, 9, 19)


class CharterVersion(models.Model):
    """One wording of the charter. Once a signature exists, its text is never edited:
    a new wording is a new version."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(
        _("présentation"),
        blank=True,
        help_text=_("Quelques lignes qui situent cette version (date, contexte)."),
    )
    published_at = models.DateField(
        _("publiée le"), null=True, blank=True, help_text=_("Vide tant que c'est un brouillon.")
    )
    is_current = models.BooleanField(_("version en vigueur"), default=False)
    signature_intro = models.TextField(
        _("formule d'engagement"),
        help_text=_("Le texte qui précède le bloc de signature."),
    )
    commitment_build = models.TextField(_("premier engagement"))
    commitment_community = models.TextField(_("second engagement"))
    footnote = models.TextField(_("note sur la signature"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="charter_single_current_version",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="charter_current_version_published",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    def get_absolute_url(self):
        return reverse("charter:version", kwargs={"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CharterSection(models.Model):
    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    numeral = models.CharField(_("numéro"), max_length=10, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("section de la charte")
        verbose_name_plural = _("sections de la charte")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="charter_section_order"),
        ]

    def __str__(self):
        return f"{self.numeral}. {self.title}" if self.numeral else self.title


class CharterItem(models.Model):
    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", _("paragraphe")
        QUOTE = "quote", _("citation")
        BULLET = "bullet", _("élément de liste")

    section = models.ForeignKey(
        CharterSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("section")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.BULLET)
    text = models.TextField(_("texte"))
    source = models.CharField(
        _("source de la citation"), max_length=200, blank=True, help_text=_("Pour une citation.")
    )

    class Meta:
        verbose_name = _("élément de la charte")
        verbose_name_plural = _("éléments de la charte")
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="charter_item_order"),
        ]

    def __str__(self):
        return self.text[:80]


class Signature(models.Model):
    """A pole's signature of one charter version: the block of Annex 2."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("en attente de validation")
        VALIDATED = "validated", _("validée")
        REFUSED = "refused", _("refusée")
        WITHDRAWN = "withdrawn", _("retirée")

    class Stage(models.TextChoices):
        CONSTITUTED = "constituted", _("déjà constitué en PTCE")
        IN_CREATION = "in_creation", _("engagé dans le processus de création d'un PTCE")

    ACTIVE_STATUSES = (Status.SUBMITTED, Status.VALIDATED)

    version = models.ForeignKey(
        CharterVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("version signée"),
    )
    pole = models.ForeignKey(
        "poles.Pole", on_delete=models.PROTECT, related_name="signatures", verbose_name=_("pôle")
    )
    pole_name = NameField(
        _("intitulé du PTCE"), max_length=200, help_text=_("Tel qu'écrit lors de la signature.")
    )
    pole_contact = models.TextField(
        _("coordonnées du PTCE"), blank=True, max_length=text_limits.CONTACT
    )
    # The coordinates as typed at signing; they fill the pole's page when staff validate.
    pole_address = models.CharField(_("adresse du PTCE"), max_length=255, blank=True)
    pole_postcode = models.CharField(_("code postal du PTCE"), max_length=10, blank=True)
    pole_town = models.CharField(_("commune du PTCE"), max_length=120, blank=True)
    pole_website = models.URLField(_("site web du PTCE"), blank=True)
    representative_last_name = NameField(
        _("nom du représentant"), max_length=150, blank=True, person=True
    )
    representative_first_name = NameField(
        _("prénom du représentant"), max_length=150, blank=True, person=True
    )
    representative_email = models.EmailField(_("courriel du représentant"), blank=True)
    representative_phone = models.CharField(
        _("téléphone du représentant"), max_length=30, blank=True, validators=[validate_phone]
    )
    stage = models.CharField(_("état du pôle"), max_length=12, choices=Stage.choices, blank=True)
    commitment_build = models.BooleanField(_("engagement à construire le PTCE selon la charte"))
    commitment_community = models.BooleanField(
        _("engagement à contribuer à la communauté des PTCE")
    )
    place = models.CharField(_("fait à"), max_length=120)
    signed_on = models.DateField(_("le"))
    signature_name = NameField(
        _("signature (nom complet saisi)"), max_length=200, blank=True, person=True
    )
    consent_publication = models.BooleanField(_("accord pour la publication"), default=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    register_number = models.PositiveIntegerField(
        _("numéro dans la liste des signataires"), null=True, blank=True
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refusée le"), null=True, blank=True)
    refusal_reason = models.TextField(
        _("motif du refus"), blank=True, max_length=text_limits.MESSAGE
    )
    # What the validation changed on the pole (published it, approved the signer's request,
    # filled its details): what « Annuler la validation » puts back.
    validation_changes = models.JSONField(
        _("changements faits par la validation"), default=dict, blank=True, editable=False
    )
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retirée par"),
    )
    # A coordinator asks to withdraw a validated signature: staff decide, and the pole stays a
    # signatory until they accept (charter.services.signature_withdrawal_decide).
    withdrawal_reason = models.TextField(
        _("motif du retrait"), blank=True, max_length=text_limits.MESSAGE
    )
    withdrawal_requested_at = models.DateTimeField(_("retrait demandé le"), null=True, blank=True)
    withdrawal_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retrait demandé par"),
    )
    verification_code = models.CharField(
        _("code de vérification"), max_length=19, unique=True, default=new_verification_code
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="charter_signatures",
        verbose_name=_("signataire (compte)"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("signature de la charte")
        verbose_name_plural = _("signatures de la charte")
        ordering = ["-created_at"]
        constraints = [
            text_limits.length_limit(
                "pole_contact",
                text_limits.CONTACT,
                name="signature_pole_contact_length",
                label=_("coordonnées du PTCE"),
            ),
            text_limits.length_limit(
                "refusal_reason",
                text_limits.MESSAGE,
                name="signature_refusal_reason_length",
                label=_("motif du refus"),
            ),
            text_limits.length_limit(
                "withdrawal_reason",
                text_limits.MESSAGE,
                name="signature_withdrawal_reason_length",
                label=_("motif du retrait"),
            ),
            models.UniqueConstraint(
                fields=["pole", "version"],
                condition=Q(status__in=["submitted", "validated"]),
                name="charter_one_active_signature_per_pole_version",
            ),
            models.UniqueConstraint(
                fields=["version", "register_number"],
                name="charter_register_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(commitment_build=True) & Q(commitment_community=True),
                name="charter_signature_both_commitments",
            ),
            models.CheckConstraint(
                condition=~Q(status="validated")
                | (Q(validated_at__isnull=False) & Q(register_number__isnull=False)),
                name="charter_validated_has_date_and_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") & Q(refusal_reason="")
                | Q(status="refused") & ~Q(refusal_reason=""),
                name="charter_refusal_reason_iff_refused",
            ),
            models.CheckConstraint(
                condition=Q(
                    verification_code__regex=r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$"
                ),
                name="charter_verification_code_format",
            ),
        ]
        indexes = [models.Index(fields=["status", "signed_on"])]

    def __str__(self):
        return f"{self.pole_name} — {self.version}"

    def get_absolute_url(self):
        return reverse("charter:signature", kwargs={"code": self.verification_code})

    def get_verification_url(self):
        return reverse("charter:verify", kwargs={"code": self.verification_code})

    def get_pdf_url(self):
        return reverse("charter:signature_pdf", kwargs={"code": self.verification_code})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def signed_at_national_day_2014(self) -> bool:
        """One of the 40 signatures of annex 3 of the 2014 report: signed on paper at the
        national day of 19 September 2014 (seeded, no online signer), not validated by staff."""
        return self.signer_id is None and self.signed_on == NATIONAL_DAY_2014

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def withdrawal_pending(self) -> bool:
        """A coordinator asked to withdraw it; staff have not answered yet."""
        return self.status == self.Status.VALIDATED and self.withdrawal_requested_at is not None

    @property
    def representative_full_name(self) -> str:
        return " ".join(
            part for part in (self.representative_first_name, self.representative_last_name) if part
        )


class Countersignature(models.Model):
    """A founding network or an official countersigning a charter version."""

    version = models.ForeignKey(
        CharterVersion,
        on_delete=models.PROTECT,
        related_name="countersignatures",
        verbose_name=_("version"),
    )
    organisation = NameField(_("organisation"), max_length=200)
    person = NameField(_("personne"), max_length=200, blank=True, person=True)
    role = models.CharField(_("qualité"), max_length=300, blank=True)
    signed_on = models.DateField(_("date"))
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("contre-signature")
        verbose_name_plural = _("contre-signatures")
        ordering = ["version", "order", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation", "person"], name="charter_countersignature_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person or self.organisation} — {self.version}"
