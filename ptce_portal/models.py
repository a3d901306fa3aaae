from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account; the e-mail address is the login."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email


class OutgoingEmail(models.Model):
    """One e-mail of the portal, recorded in the transaction of the action that sends it.

    Delivery is tried once that transaction commits; a failure leaves the row `failed`
    with the error and the time of the next attempt (`manage.py send_queued_mail`, run by
    cron, and the admin action « Renvoyer maintenant » send it again). See ptce_portal.mail.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")

    kind = models.CharField(
        _("type"),
        max_length=200,
        blank=True,
        help_text=_("Gabarit du message (ex. account/email/password_reset_key_message.txt)."),
    )
    language = models.CharField(_("langue"), max_length=10, blank=True)
    from_email = models.CharField(_("expéditeur"), max_length=320)
    to = ArrayField(models.CharField(max_length=320), verbose_name=_("destinataires"))
    cc = ArrayField(
        models.CharField(max_length=320), default=list, blank=True, verbose_name=_("copie")
    )
    bcc = ArrayField(
        models.CharField(max_length=320), default=list, blank=True, verbose_name=_("copie cachée")
    )
    reply_to = ArrayField(
        models.CharField(max_length=320), default=list, blank=True, verbose_name=_("répondre à")
    )
    subject = models.TextField(_("objet"))
    body = models.TextField(_("texte"), blank=True)
    html_body = models.TextField(_("version HTML"), blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    # [{"filename": …, "mimetype": …, "content": base64}], see ptce_portal.mail.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due_idx"),
            models.Index(fields=["created_at"], name="outgoing_email_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]),
                name="outgoing_email_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(to__len__gt=0)
                | models.Q(cc__len__gt=0)
                | models.Q(bcc__len__gt=0),
                name="outgoing_email_has_recipient",
            ),
            # sent <=> sent_at is known
            models.CheckConstraint(
                condition=(
                    models.Q(status="sent", sent_at__isnull=False)
                    | (~models.Q(status="sent") & models.Q(sent_at__isnull=True))
                ),
                name="outgoing_email_sent_at_iff_sent",
            ),
            # a failure has been attempted and says why
            models.CheckConstraint(
                condition=~models.Q(status="failed")
                | (models.Q(attempts__gt=0) & ~models.Q(last_error="")),
                name="outgoing_email_failed_has_error",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class MaintenanceSwitch(models.Model):
    """The maintenance switch that staff flip in the admin: while it is on, every instance
    answers the French 503 page to visitors (ptce_portal.middleware.MaintenanceModeMiddleware),
    staff and the pages needed to switch it off excepted. One row (pk 1), made by its
    migration; read through the shared cache (ptce_portal.selectors.maintenance_enabled)."""

    enabled = models.BooleanField(
        _("maintenance en cours"),
        default=False,
        help_text=_(
            "Cochée : tous les serveurs du portail répondent « Maintenance en cours » (503) aux "
            "visiteurs en quelques secondes ; l'équipe garde l'accès à l'admin pour la décocher."
        ),
    )
    changed_at = models.DateTimeField(_("modifié le"), auto_now=True)
    changed_by = models.ForeignKey(
        "ptce_portal.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    class Meta:
        verbose_name = _("interrupteur de maintenance")
        verbose_name_plural = _("interrupteur de maintenance")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="maintenance_switch_single_row")
        ]

    def __str__(self):
        return str(_("Maintenance en cours") if self.enabled else _("Portail ouvert"))
