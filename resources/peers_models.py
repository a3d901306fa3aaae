"""Peers: the principal objectives on which a pole offers to help others, and the exchange
requests a pole sends to a pole that offered help (imported by resources.models).

The addresses of the people are never stored here: the requesting coordinator and the
coordinator who answers are accounts, and their account e-mails are shared with the other
side only once the helping pole accepts (resources.services.exchange_request_accept)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from poles.models import Pole
from ptce_portal import text_limits
from referential.models import PrincipalObjective

HELP_NOTE_MAX = 300


class HelpOffer(models.Model):
    """A pole can help other poles on a principal objective of the referential."""

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="help_offers", verbose_name=_("pôle")
    )
    objective = models.ForeignKey(
        PrincipalObjective,
        on_delete=models.CASCADE,
        related_name="help_offers",
        verbose_name=_("objectif principal"),
    )
    note = models.CharField(
        _("en quelques mots"),
        max_length=HELP_NOTE_MAX,
        blank=True,
        help_text=_("Ce que le pôle peut partager sur cet objectif (facultatif)."),
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("offre d'entraide")
        verbose_name_plural = _("offres d'entraide")
        ordering = ["objective__code", "pole__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pole", "objective"],
                name="help_offer_unique_per_pole_objective",
                violation_error_message=_("Le pôle propose déjà son aide sur cet objectif."),
            ),
        ]

    def __str__(self):
        return f"{self.pole} — {self.objective.code}"


class ExchangeRequest(models.Model):
    """A coordinator asks a pole that offered help on an objective for an exchange. The
    helping pole's coordinators accept (then both sides get each other's address) or
    decline."""

    class Status(models.TextChoices):
        OPEN = "open", _("en attente de réponse")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")
        WITHDRAWN = "withdrawn", _("retirée par le pôle demandeur")
        CLOSED = "closed", _("close par l'équipe")

    requester_pole = models.ForeignKey(
        Pole,
        on_delete=models.CASCADE,
        related_name="exchange_requests_sent",
        verbose_name=_("pôle demandeur"),
    )
    helper_pole = models.ForeignKey(
        Pole,
        on_delete=models.CASCADE,
        related_name="exchange_requests_received",
        verbose_name=_("pôle sollicité"),
    )
    objective = models.ForeignKey(
        PrincipalObjective,
        on_delete=models.CASCADE,
        related_name="exchange_requests",
        verbose_name=_("objectif principal"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_requests_sent",
        verbose_name=_("demandé par"),
    )
    message = models.TextField(_("message"), max_length=text_limits.MESSAGE)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    # The end of the request: the answer, its withdrawal by the requesting pole or its closing
    # by the staff (who then did it is `decided_by`).
    decided_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("répondue par"),
    )

    class Meta:
        verbose_name = _("demande d'échange")
        verbose_name_plural = _("demandes d'échange")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester_pole", "helper_pole", "objective"],
                condition=Q(status="open"),
                name="exchange_request_one_open_per_pair",
                violation_error_message=_(
                    "Une demande d'échange sur cet objectif attend déjà la réponse de ce pôle."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(requester_pole=F("helper_pole")),
                name="exchange_request_not_to_itself",
                violation_error_message=_("Un pôle ne se demande pas un échange à lui-même."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | Q(
                    status__in=["accepted", "declined", "withdrawn", "closed"],
                    decided_at__isnull=False,
                ),
                name="exchange_request_decided_at_matches_status",
            ),
            text_limits.length_limit(
                "message",
                text_limits.MESSAGE,
                name="exchange_request_message_length",
                label=_("message"),
            ),
        ]
        indexes = [
            models.Index(fields=["helper_pole", "status"]),
            models.Index(fields=["requested_by", "created_at"]),
        ]

    def __str__(self):
        return f"{self.requester_pole} → {self.helper_pole} ({self.objective.code})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED
