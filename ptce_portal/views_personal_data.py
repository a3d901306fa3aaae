"""Mon espace: download all my data (JSON), delete my account. Thin views over ptce_portal.gdpr."""

import json

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import gdpr
from .exports import content_disposition
from .forms import AccountDeleteForm


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def personal_data_export(request):
    data = gdpr.personal_data_export(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-portail-ptce-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition(filename)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request):
    refusal = gdpr.account_deletion_refusal(request.user)
    form = AccountDeleteForm(request.POST or None)
    status = 200
    if refusal:
        status = 403 if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        # Password guesses from a session left open: allauth's "reauthenticate" limit.
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            return render(request, "ptce_portal/account_delete_429.html", status=429)
        try:
            email = gdpr.account_delete(
                user=request.user,
                password=form.cleaned_data["password"],
                language=translation.get_language(),
            )
        except PermissionDenied as exc:  # became staff meanwhile
            refusal, status = str(exc), 403
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Votre compte a été supprimé. Un message de confirmation a été envoyé "
                    "à %(email)s."
                )
                % {"email": email},
            )
            return redirect("home")
    return render(
        request,
        "ptce_portal/account_delete.html",
        {"form": form, "refusal": refusal},
        status=status,
    )
