"""Public pages of the referential: its presentation and the community's benchmark."""

from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import render

from ptce_portal.page_cache import public_page

from .. import report, selectors
from ..apps import CONTENT_VERSION
from ..models import SCALE_LABELS


@public_page(CONTENT_VERSION)
def presentation(request):
    version = None
    code = request.GET.get("version", "")
    if slug_re.match(code):  # a version code is a slug; anything else shows the current one
        version = selectors.published_versions().filter(code=code).first()
    version = version or selectors.current_version()
    if version is None:
        return render(request, "referential/presentation.html", {"version": None})
    return render(
        request,
        "referential/presentation.html",
        {
            "version": version,
            "tree": selectors.version_tree(version),
            "versions": selectors.published_versions(),
            "scale": SCALE_LABELS.items(),
        },
    )


@public_page(CONTENT_VERSION)
def community(request):
    version = selectors.current_version()
    if version is None:
        raise Http404
    context = {
        "version": version,
        **report.community_report(version),
        "min_poles": selectors.MIN_BENCHMARK_POLES,
    }
    return render(request, "referential/community.html", context)
