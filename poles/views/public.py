import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from ptce_portal import contributions
from ptce_portal.cached_documents import versioned_document
from ptce_portal.exports import content_disposition
from ptce_portal.page_cache import public_page
from ptce_portal.pagination import paginate
from ptce_portal.querystrings import querystring_without, querystring_without_empty

from .. import exports, selectors
from ..apps import CONTENT_VERSION
from ..filters import MapPoleFilter, PoleFilter
from ..models import Pole
from ..permissions import can_edit_pole

PAGE_SIZE = 20


def _without_empty_parameters(request):
    """A filter form submitted without JavaScript sends every field: ?q=&region=occitanie
    goes to ?region=occitanie, so that the address shows only the filters chosen."""
    clean = querystring_without_empty(request)
    if clean is None:
        return None
    return redirect(f"{request.path}?{clean}" if clean else request.path)


@public_page(CONTENT_VERSION)
@require_GET
def directory(request):
    if tidy := _without_empty_parameters(request):
        return tidy
    filterset = PoleFilter(request.GET or None, queryset=selectors.published_poles())
    filterset.follow_the_region()
    page = paginate(request, filterset.qs, PAGE_SIZE)
    empty = page.paginator.count == 0
    return render(
        request,
        "poles/directory.html",
        {
            "filter": filterset,
            "page": page,
            "poles": page.object_list,
            "count": page.paginator.count,
            "invalid_filters": filterset.invalid_filters(),
            "chips": filterset.chips(),
            "contradictions": filterset.contradictions() if empty else [],
            "relaxations": filterset.relaxations() if empty else [],
            "export_querystring": querystring_without(request, "page"),
        },
    )


@public_page(CONTENT_VERSION, slot="poles.detail")
@require_GET
def detail(request, slug):
    pole = selectors.pole_detail(slug=slug, user=request.user)
    if pole is None:
        raise Http404
    can_edit = can_edit_pole(request.user, pole)
    return render(
        request,
        "poles/detail.html",
        {
            "pole": pole,
            "pending_revision": can_edit and selectors.pending_revisions(pole).exists(),
            "member_counts": selectors.member_counts(pole),
            "departments": list(pole.departments.all()),
            "calls": list(pole.calls_won.all()),
            "sources": selectors.pole_fact_sources(pole),
            "can_edit": can_edit,
            "page_blocks": contributions.page_blocks("poles.detail", request, pole),
            "MAP_TILE_URL": settings.MAP_TILE_URL,
        },
    )


MAP_LIST_PAGE_SIZE = 50


def _map_context(request):
    """What the map page holds in its HTML: counts and one page of the list (its text
    equivalent without JavaScript). The points come from `map_points`, cached, so the page
    weighs the same with 40 poles or 10,000."""
    filterset = MapPoleFilter(
        request.GET or None, queryset=selectors.map_poles(selectors.published_poles())
    )
    filterset.follow_the_region()
    poles = filterset.qs
    page = paginate(request, poles, MAP_LIST_PAGE_SIZE)
    return {
        "filter": filterset,
        "page": page,
        "poles": page.object_list,
        "count": page.paginator.count,
        "region_counts": selectors.region_counts(poles),
        "invalid_filters": filterset.invalid_filters(),
        "export_querystring": querystring_without(request, "page"),
        "points_querystring": _filter_key(request, MapPoleFilter, filterset),
    }


@public_page(CONTENT_VERSION)
@require_GET
def map_view(request):
    if tidy := _without_empty_parameters(request):
        return tidy
    return render(request, "poles/map.html", _map_context(request))


@require_GET
@xframe_options_exempt
@csp_override(settings.CSP_FRAMABLE)
def map_embed(request):
    """The only framable page: the map for partner sites (the site's policy without
    frame-ancestors 'none')."""
    return render(request, "poles/map_embed.html", _map_context(request))


@public_page(CONTENT_VERSION)
@require_GET
def map_points(request):
    """The map's points: a compact GeoJSON of the filtered signatories (short property names,
    only what a marker and its popup need), built once per content version and served from
    the shared cache with ETag, Last-Modified and gzip (ptce_portal.cached_documents)."""
    filterset = MapPoleFilter(
        request.GET or None, queryset=selectors.map_poles(selectors.published_poles())
    )
    # Unrecognised filter values are ignored, as on the page (which says so).
    key = _filter_key(request, MapPoleFilter, filterset)
    return versioned_document(
        request,
        key=f"poles:map:{key}",  # nothing in it is translated
        versions=(CONTENT_VERSION,),
        build=lambda: (
            _json_bytes(exports.map_points(filterset.qs)),
            "application/geo+json; charset=utf-8",
        ),
    )


@require_GET
def open_data(request):
    return render(
        request,
        "poles/open_data.html",
        {
            "count": Pole.objects.filter(is_published=True).count(),
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "csv_columns": exports.CSV_COLUMNS,
        },
    )


@require_GET
def sources(request):
    """Every source the portal uses, what it supports, and the rule that it invents nothing."""
    return render(request, "poles/sources.html", selectors.sources_page())


# --- Open data API -----------------------------------------------------------------------------


def _api_poles(request):
    """The filter of the published poles, or an error response for unknown filter values."""
    filterset = PoleFilter(request.GET or None, queryset=selectors.published_poles())
    problems = filterset.invalid_filters()
    if problems:
        detail = {p["name"]: p["errors"] for p in problems}
        return None, JsonResponse(
            {"erreur": "Valeur de filtre non reconnue.", "filtres": detail},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return filterset, None


def _filter_key(request, filter_class, filterset=None) -> str:
    """The filters of the request in a canonical order, without empty or unknown parameters
    (nor, given the bound filterset, unrecognised values): the part of a cache key that says
    which poles a document holds."""
    known = filterset.filters if filterset else filter_class.base_filters
    rejected = {problem["name"] for problem in filterset.invalid_filters()} if filterset else set()
    params = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name in known and name not in rejected
        for value in values
        if value.strip()
    )
    return urlencode(params)


def _open_data(request, name: str, build) -> HttpResponse:
    """An open data file of the filtered poles, from the cache until a pole changes
    (ptce_portal.cached_documents): `build(poles)` -> (bytes, content type)."""
    filterset, error = _api_poles(request)
    if error:
        return error
    return versioned_document(
        request,
        key=f"poles:{name}:{translation.get_language()}:{_filter_key(request, PoleFilter)}",
        versions=(CONTENT_VERSION,),
        build=lambda: build(filterset.qs),
        headers={"Access-Control-Allow-Origin": "*"},
    )


def _json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


@require_GET
def api_geojson(request):
    return _open_data(
        request,
        "geojson",
        lambda poles: (
            _json_bytes(exports.geojson(poles)),
            "application/geo+json; charset=utf-8",
        ),
    )


@require_GET
def api_json(request):
    return _open_data(
        request,
        "json",
        lambda poles: (_json_bytes(exports.json_document(poles)), "application/json"),
    )


@require_GET
def api_csv(request):
    response = _open_data(
        request,
        "csv",
        lambda poles: (exports.csv_bytes(poles), "text/csv; charset=utf-8"),
    )
    if response.status_code != 400:
        response["Content-Disposition"] = content_disposition("poles-ptce.csv")
    return response
