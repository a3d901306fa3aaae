"""The signed charter as an A4 PDF (WeasyPrint), with a QR code to the public
verification page."""

import segno
from django.conf import settings
from django.utils.safestring import mark_safe

from ptce_portal.pdf import render_pdf

from . import selectors
from .models import Signature


def verification_url(signature: Signature) -> str:
    return settings.SITE_URL + signature.get_verification_url()


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no external file, nothing fetched)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#06392e")
    return mark_safe(svg)


def signature_pdf_filename(signature: Signature) -> str:
    return f"charte-ptce-v{signature.version.number}-{signature.pole.slug}.pdf"


def signature_pdf(signature: Signature, *, request=None) -> bytes:
    url = verification_url(signature)
    return render_pdf(
        "charter/pdf/signature.html",
        {
            "signature": signature,
            "version": selectors.version_with_text(signature.version),
            "verification_url": url,
            "qr_svg": qr_svg(url),
        },
        request=request,
        stylesheets=["charter/charter-print.css"],
        language="fr",
    )
