"""HTML blocks charter shows on other apps' pages (declared in charter/contributions.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from poles.models import Pole

from . import selectors


def pole_signature(request: HttpRequest, pole: Pole) -> str:
    """The charter section of a pole's public page (slot "poles.detail"): its validated
    signature of the latest version it signed, else what is known of it (1 query)."""
    return render_to_string(
        "charter/_pole_signature.html",
        {"pole": pole, "signature": selectors.validated_signature_for_pole(pole)},
        request=request,
    )
