"""allauth adapter: the account e-mails (address verification, password reset, unknown
account…) go through the portal's mail outbox (ptce_portal.mail), so an unreachable mail
server never turns a signup or a reset into a 500: the message is recorded and sent again."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from .mail import deliver_on_commit
from .permissions import needs_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # As DefaultAccountAdapter.send_mail, but recorded and sent on commit.
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        deliver_on_commit(message, kind=template_prefix)


class MFAAdapter(DefaultMFAAdapter):
    """Accounts that need a second factor (staff) cannot deactivate it: the deactivation
    page refuses it with this explanation (the /compte/2fa/ page does not offer it)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Les comptes de l'équipe doivent garder leur authentification à deux facteurs. "
            "Pour changer de téléphone, demandez à l'administrateur technique du portail "
            "d'effacer l'application actuelle : vous en activerez une nouvelle à la connexion "
            "suivante."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        return not needs_second_factor(authenticator.user)
