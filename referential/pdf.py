"""PDF report of an assessment (WeasyPrint, A4), from the same data as the results page."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone


def render_report(assessment, context: dict) -> bytes:
    from weasyprint import HTML

    css_path = finders.find("referential/report.css")
    report_css = Path(css_path).read_text(encoding="utf-8") if css_path else ""
    html = render_to_string(
        "referential/report_pdf.html",
        {
            **context,
            "generated_at": timezone.now(),
            "SITE_URL": settings.SITE_URL,
            "report_css": report_css,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
