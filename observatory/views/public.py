"""The public side of the observatory: /observatoire/ (aggregates per year, France or one
region), its open data (CSV and JSON, Licence Ouverte 2.0) and the yearly PDF « état des
lieux ». Only accepted reports count; every cell built from fewer than 5 poles is
suppressed (observatory.statistics)."""

import json

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from ptce_portal.cached_documents import versioned_document
from ptce_portal.page_cache import public_page
from ptce_portal.pdf import pdf_response
from ptce_portal.querystrings import querystring_without_empty

from .. import charts, exports, selectors
from ..apps import CONTENT_VERSION
from ..filters import ObservatoryFilter
from ..pdf import state_of_play_pdf


@public_page(CONTENT_VERSION)
@require_GET
def index(request):
    clean = querystring_without_empty(request)
    if clean is not None:  # ?annee=&region= from a form sent without JavaScript
        return redirect(f"{request.path}?{clean}" if clean else request.path)
    year = request.GET.get("annee", "")
    data = selectors.public_observatory(
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        region=request.GET.get("region") or None,
    )
    # The form shows the choice (and says when a value is not recognised: the page then
    # shows the latest year, France entière).
    form = ObservatoryFilter(request.GET or None, years=data.years, regions=data.regions)
    form.is_valid()
    return render(
        request,
        "observatory/public/index.html",
        {
            "form": form,
            "data": data,
            "figures": data.figures,
            "charts": charts.page_charts(data),
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
        },
    )


def _json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _document(request, name: str, build):
    return versioned_document(
        request,
        key=f"observatory:{name}:{translation.get_language()}",
        versions=(CONTENT_VERSION,),
        build=build,
        headers={"Access-Control-Allow-Origin": "*"},
    )


@require_GET
def aggregates_csv(request):
    response = _document(
        request,
        "aggregates.csv",
        lambda: (exports.aggregates_csv_bytes(), "text/csv; charset=utf-8"),
    )
    response["Content-Disposition"] = exports.content_disposition("observatoire-agregats.csv")
    return response


@require_GET
def aggregates_json(request):
    return _document(
        request,
        "aggregates.json",
        lambda: (_json_bytes(exports.aggregates_document()), "application/json"),
    )


@require_GET
def poles_csv(request):
    response = _document(
        request,
        "poles.csv",
        lambda: (exports.poles_csv_bytes(), "text/csv; charset=utf-8"),
    )
    response["Content-Disposition"] = exports.content_disposition("observatoire-poles.csv")
    return response


@require_GET
def poles_json(request):
    return _document(
        request,
        "poles.json",
        lambda: (_json_bytes(exports.poles_document()), "application/json"),
    )


@require_GET
def report_pdf(request, year: int):
    """The year's « état des lieux » (observatory.pdf: rendered once per content version)."""
    pdf = state_of_play_pdf(year=year, request=request)
    if pdf is None:
        raise Http404
    return pdf_response(pdf, f"observatoire-ptce-{year}-etat-des-lieux.pdf")
