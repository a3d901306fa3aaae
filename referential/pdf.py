"""PDF report of an assessment (WeasyPrint, A4), from the same data as the results page."""

from django.conf import settings
from django.utils import timezone

from ptce_portal.pdf import render_pdf


def render_report(assessment, context: dict) -> bytes:
    return render_pdf(
        "referential/report_pdf.html",
        {**context, "generated_at": timezone.now(), "SITE_URL": settings.SITE_URL},
        stylesheets=["referential/report.css"],
    )
