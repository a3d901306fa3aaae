"""PDF report of an assessment (WeasyPrint, A4), from the same data as the results page."""

from django.utils import timezone

from ptce_portal.pdf import pdf_cache_key, render_pdf, render_pdf_cached
from ptce_portal.site import site_url

REPORT_TEMPLATE = "referential/report_pdf.html"
REPORT_STYLESHEETS = ("ptce_portal/charts.css", "referential/report.css")


def _report_key_parts(assessment) -> tuple:
    return ("referential.report", assessment.pk, assessment.status, assessment.closed_at)


def report_cache_key(assessment) -> str:
    """The cache key of the report of a closed assessment (its answers can no longer change)."""
    return pdf_cache_key(
        REPORT_TEMPLATE, _report_key_parts(assessment), stylesheets=REPORT_STYLESHEETS
    )


def render_report(assessment, context) -> bytes:
    """The report; `context` is a dict or a callable returning it (only called when needed).

    A closed assessment is immutable: its report is rendered once, then served from the cache
    (key: pk, status and closing date, so a reopened then reclosed assessment gets a new one).
    Callers check who may see it first.
    """

    def full_context() -> dict:
        base = context() if callable(context) else context
        return {**base, "generated_at": timezone.now(), "SITE_URL": site_url()}

    if assessment.is_open:
        return render_pdf(REPORT_TEMPLATE, full_context(), stylesheets=REPORT_STYLESHEETS)
    return render_pdf_cached(
        REPORT_TEMPLATE,
        full_context,
        key_parts=_report_key_parts(assessment),
        stylesheets=REPORT_STYLESHEETS,
    )
