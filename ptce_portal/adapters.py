"""allauth adapter: the account e-mails (address verification, password reset, unknown
account…) go through the portal's mail outbox (ptce_portal.mail), so an unreachable mail
server never turns a signup or a reset into a 500: the message is recorded and sent again."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from .mail import deliver_on_commit


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
