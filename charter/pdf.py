"""The signed charter as an A4 PDF (WeasyPrint), with a QR code to the public
verification page."""

import segno
from django.utils.safestring import mark_safe

from ptce_portal.pdf import pdf_cache_key, render_after_commit, render_pdf, render_pdf_cached
from ptce_portal.site import absolute_url

from . import selectors
from .models import Signature


def verification_url(signature: Signature) -> str:
    return absolute_url(signature.get_verification_url())


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no external file, nothing fetched)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#06392e")
    return mark_safe(svg)


def signature_pdf_filename(signature: Signature) -> str:
    return f"charte-ptce-v{signature.version.number}-{signature.pole.slug}.pdf"


SIGNATURE_TEMPLATE = "charter/pdf/signature.html"
SIGNATURE_STYLESHEETS = ("charter/charter-print.css",)


def _signature_context(signature: Signature) -> dict:
    url = verification_url(signature)
    return {
        "signature": signature,
        "version": selectors.version_with_text(signature.version),
        "verification_url": url,
        # Printed in two parts so that a line never breaks inside the code.
        "verification_url_base": url.removesuffix(f"{signature.verification_code}/"),
        "qr_svg": qr_svg(url),
    }


def _signature_key_parts(signature: Signature) -> tuple:
    # updated_at: an erasure of the representative's details (ptce_portal.gdpr) makes a new PDF.
    return (
        "charter.signature",
        signature.pk,
        signature.status,
        signature.validated_at,
        signature.updated_at,
    )


def signature_cache_key(signature: Signature, *, request=None) -> str:
    """The cache key of the PDF of a validated signature (its status, validation date and
    last change)."""
    return pdf_cache_key(
        SIGNATURE_TEMPLATE,
        _signature_key_parts(signature),
        request=request,
        stylesheets=SIGNATURE_STYLESHEETS,
        language="fr",
    )


def signature_pdf(signature: Signature, *, request=None) -> bytes:
    """The signed charter; a validated signature's PDF is rendered once, then cached
    (the key holds its status and validation date: a withdrawal or a new validation
    makes another document). Callers check who may see it first."""
    if not signature.is_valid:
        return render_pdf(
            SIGNATURE_TEMPLATE,
            _signature_context(signature),
            request=request,
            stylesheets=SIGNATURE_STYLESHEETS,
            language="fr",
        )
    return render_pdf_cached(
        SIGNATURE_TEMPLATE,
        lambda: _signature_context(signature),
        key_parts=_signature_key_parts(signature),
        request=request,
        stylesheets=SIGNATURE_STYLESHEETS,
        language="fr",
    )


def signature_render_after_commit(signature: Signature) -> None:
    """Render the PDF of a signature just validated once the validation is committed, as its
    download then finds it, so that the pole's first download comes from the cache."""
    code = signature.verification_code

    def render() -> None:
        validated = selectors.signature_by_code(code)
        if validated is not None and validated.is_valid:
            signature_pdf(validated)

    render_after_commit(f"charter.signature:{signature.pk}", render)
