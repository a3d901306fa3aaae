import functools
import tomllib
from importlib import import_module

from django.conf import settings


def home_figures() -> dict:
    """Key figures for the home page, asked of each domain that provides them."""
    figures: dict = {}
    for module_path in ("poles.selectors", "events.selectors"):
        try:
            module = import_module(module_path)
        except ImportError:
            continue
        provider = getattr(module, "home_figures", None)
        if provider:
            figures.update(provider())
    return figures


def staff_queues(user) -> list:
    """What waits for a staff decision, from each domain that provides `staff_queues()`
    (ptce_portal.backoffice.StaffQueue), keeping the queues `user` may act on."""
    queues: list = []
    for module_path in ("poles.selectors", "charter.selectors", "events.selectors"):
        try:
            module = import_module(module_path)
        except ImportError:
            continue
        provider = getattr(module, "staff_queues", None)
        if provider:
            queues.extend(queue for queue in provider() if queue.is_open_to(user))
    mail = failed_email_queue()
    if mail.is_open_to(user):
        queues.append(mail)
    return queues


def failed_email_queue():
    """E-mails the mail server refused and that wait for a retry or a resend (2 queries)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ptce_portal.backoffice import QueueItem, build_queue
    from ptce_portal.models import OutgoingEmail

    return build_queue(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).only(
            "pk", "subject", "to", "created_at", "attempts"
        ),
        date_field="created_at",
        item=lambda email: QueueItem(
            label=email.subject,
            detail=_("%(attempts)s tentative(s)") % {"attempts": email.attempts},
            since=email.created_at,
            url=reverse("admin:ptce_portal_outgoingemail_change", args=[email.pk]),
        ),
        key="emails",
        title=_("E-mails en échec"),
        help_text=_("Messages que le serveur de messagerie a refusés ; ils sont réessayés."),
        url=reverse("admin:ptce_portal_outgoingemail_changelist") + "?status__exact=failed",
        link_label=_("Voir et renvoyer les e-mails"),
        permission="ptce_portal.view_outgoingemail",
    )


def staff_statistics() -> dict:
    """Signatory poles by current and former region and per year (charter domain)."""
    from charter import selectors as charter
    from poles.models import Region

    return {
        "current": charter.signatory_counts_by_region(Region.Kind.CURRENT),
        "former": charter.signatory_counts_by_region(Region.Kind.FORMER),
        "years": charter.signatories_by_year(),
    }


@functools.cache
def licence_text() -> str:
    """The portal's licence, the LICENSE file at the root of the code (AGPL-3.0-or-later)."""
    return (settings.BASE_DIR / "LICENSE").read_text(encoding="utf-8")


@functools.cache
def portal_version() -> str:
    """The version of the running code, as pyproject.toml declares it."""
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]
