"""The PTCE action referential (3 general objectives × 3 principal objectives × 4
indicators = 36 questions) and the crossed self-assessments that answer it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poles.models import Pole, PoleMember
from ptce_portal import text_limits
from ptce_portal.names import NameField
from ptce_portal.tokens import new_token  # also referential.models.new_token in migrations

GENERAL_COUNT = 3
PRINCIPALS_PER_GENERAL = 3
INDICATORS_PER_PRINCIPAL = 4
QUESTION_COUNT = GENERAL_COUNT * PRINCIPALS_PER_GENERAL * INDICATORS_PER_PRINCIPAL  # 36

SCALE_MIN = 0
SCALE_MAX = 4
SCALE_LABELS = {
    0: _("pas du tout"),
    1: _("un peu"),
    2: _("en partie"),
    3: _("largement"),
    4: _("pleinement"),
}
INVITATION_VALIDITY = timedelta(days=60)


class ReferentialVersion(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    is_working_version = models.BooleanField(
        _("version de travail"),
        default=False,
        help_text=_(
            "Version rédigée à partir du compte rendu de 2014, en attendant le texte officiel "
            "(référentiel v3.7 du 23 mai 2014)."
        ),
    )
    source_note = models.TextField(_("note sur la source"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version du référentiel")
        verbose_name_plural = _("versions du référentiel")
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class GeneralObjective(models.Model):
    version = models.ForeignKey(
        ReferentialVersion,
        on_delete=models.CASCADE,
        related_name="general_objectives",
        verbose_name=_("version du référentiel"),
    )
    code = models.CharField(_("code"), max_length=10)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("objectif général")
        verbose_name_plural = _("objectifs généraux")
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="general_objective_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class PrincipalObjective(models.Model):
    version = models.ForeignKey(
        ReferentialVersion,
        on_delete=models.CASCADE,
        related_name="principal_objectives",
        verbose_name=_("version du référentiel"),
    )
    general = models.ForeignKey(
        GeneralObjective,
        on_delete=models.CASCADE,
        related_name="principals",
        verbose_name=_("objectif général"),
    )
    code = models.CharField(_("code"), max_length=10)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("intitulé"), max_length=200)
    short_title = models.CharField(
        _("intitulé court"), max_length=40, blank=True, help_text=_("Pour le radar.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("objectif principal")
        verbose_name_plural = _("objectifs principaux")
        ordering = ["version", "general__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="principal_objective_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def label(self) -> str:
        return self.short_title or self.title


class Indicator(models.Model):
    version = models.ForeignKey(
        ReferentialVersion,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("version du référentiel"),
    )
    principal = models.ForeignKey(
        PrincipalObjective,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("objectif principal"),
    )
    code = models.CharField(_("code"), max_length=12)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    question = models.TextField(_("question"))
    help_text = models.TextField(_("aide"), blank=True)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["version", "principal__general__position", "principal__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_unique"),
        ]

    def __str__(self):
        return f"{self.code}. {self.question}"


class Assessment(models.Model):
    """A crossed self-assessment of one pole against one referential version."""

    class Status(models.TextChoices):
        OPEN = "open", _("ouverte")
        CLOSED = "closed", _("clôturée")

    pole = models.ForeignKey(
        Pole, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("pôle")
    )
    version = models.ForeignKey(
        ReferentialVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("version du référentiel"),
    )
    title = models.CharField(_("intitulé"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ouverte par"),
    )
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clôturée par"),
    )

    class Meta:
        verbose_name = _("auto-évaluation")
        verbose_name_plural = _("auto-évaluations")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="assessment_closed_at_matches_status",
            ),
            models.UniqueConstraint(
                fields=["pole"],
                condition=Q(status="open"),
                name="assessment_one_open_per_pole",
            ),
        ]
        indexes = [models.Index(fields=["status", "version"])]

    def __str__(self):
        return f"{self.pole} — {self.title}"

    def get_absolute_url(self):
        return reverse("referential:assessment", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


def default_expiry():
    return timezone.now() + INVITATION_VALIDITY


class Invitation(models.Model):
    """A personal invitation to answer an assessment, reached through an unguessable link."""

    COORDINATION = "coordination"
    CATEGORY_CHOICES = [
        *PoleMember.Category.choices,
        (COORDINATION, _("coordination ou salarié·e du pôle")),
    ]

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("auto-évaluation"),
    )
    email = models.EmailField(_("e-mail"))
    name = NameField(_("nom"), max_length=200, blank=True, person=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=CATEGORY_CHOICES)
    organisation = NameField(_("structure"), max_length=200, blank=True)
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_token)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referential_invitations",
        verbose_name=_("compte rattaché"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invité·e par"),
    )
    created_at = models.DateTimeField(_("invité·e le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("envois"), default=0)
    expires_at = models.DateTimeField(_("expire le"), default=default_expiry)
    claimed_at = models.DateTimeField(_("rattachée à un compte le"), null=True, blank=True)
    first_answer_at = models.DateTimeField(_("première réponse"), null=True, blank=True)
    last_answer_at = models.DateTimeField(_("dernière réponse"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"],
                condition=Q(revoked_at__isnull=True),
                name="invitation_email_unique_per_assessment",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.assessment})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def get_answer_url(self):
        return reverse("referential:answer_home", kwargs={"token": self.token})


class Answer(models.Model):
    """One respondent's answer to one question: a value on the 0-4 scale, or "ne sais pas"."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("réponse"), null=True, blank=True)
    dont_know = models.BooleanField(_("ne sais pas"), default=False)
    comment = models.TextField(_("commentaire"), blank=True, max_length=text_limits.MESSAGE)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            text_limits.length_limit(
                "comment", text_limits.MESSAGE, name="answer_comment_length", label=_("commentaire")
            ),
            models.UniqueConstraint(
                fields=["invitation", "indicator"], name="answer_unique_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="answer_value_on_scale",
            ),
            models.CheckConstraint(
                condition=~Q(value__isnull=False, dont_know=True),
                name="answer_value_or_dont_know",
            ),
        ]

    def __str__(self):
        return f"{self.invitation.email} · {self.indicator.code}"

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.dont_know
