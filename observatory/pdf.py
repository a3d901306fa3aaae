"""The yearly PDF « état des lieux » of the observatory: the year's national figures, the
regions and the evolution, as on /observatoire/ (the same aggregates, the same suppression).
Rendered once per content version and language (the documents cache), tagged (PDF/UA-1)."""

from django.utils import timezone

from ptce_portal import versions
from ptce_portal.pdf import render_pdf_cached

from . import charts, exports, selectors
from .apps import CONTENT_VERSION

REPORT_TEMPLATE = "observatory/public/report_pdf.html"
REPORT_STYLESHEETS = ("ptce_portal/charts.css", "observatory/report.css")


def state_of_play_pdf(*, year: int, request=None) -> bytes | None:
    """The PDF of `year`, or None when no report of that year was accepted."""
    data = selectors.public_observatory(year=year)
    if data.year != year:
        return None
    current = versions.current(CONTENT_VERSION)
    return render_pdf_cached(
        REPORT_TEMPLATE,
        lambda: {
            "data": data,
            "figures": data.figures,
            "charts": charts.page_charts(data),
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "generated_at": timezone.now(),
        },
        key_parts=("observatory.state_of_play", year, versions.token(current)),
        request=request,
        stylesheets=REPORT_STYLESHEETS,
    )
