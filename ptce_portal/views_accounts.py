"""Account pages the portal adds to allauth's: sending the confirmation e-mail again from the
« Confirmez votre adresse e-mail » page, for the person who has just signed up in this
browser (the pending sign-in allauth keeps in the session says who)."""

from allauth.account.internal.flows.email_verification import (
    get_address_for_login,
    send_verification_email_to_address,
)
from allauth.account.internal.stagekit import unstash_login
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


@require_POST
def resend_verification(request):
    login = unstash_login(request, peek=True)
    address = get_address_for_login(login) if login is not None and login.user else None
    if address is None or address.verified:
        messages.info(
            request,
            _(
                "Aucune adresse n'attend de confirmation dans ce navigateur : connectez-vous, "
                "un nouvel e-mail partira si l'adresse n'est pas encore confirmée."
            ),
        )
        return redirect("account_login")
    if send_verification_email_to_address(request, address):
        messages.success(
            request,
            _("Un nouvel e-mail de confirmation vient de partir à %(email)s.")
            % {"email": address.email},
        )
    else:  # allauth's limit per address (one message every few minutes)
        messages.info(
            request,
            _(
                "Un e-mail est déjà parti à %(email)s il y a moins de trois minutes : "
                "attendez-le un instant, puis réessayez."
            )
            % {"email": address.email},
        )
    return redirect("account_email_verification_sent")
