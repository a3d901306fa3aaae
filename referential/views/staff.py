"""Staff page of the referential: aggregates by region and the benchmark."""

from django.http import Http404
from django.shortcuts import render

from ptce_portal.permissions import staff_required

from .. import selectors


@staff_required
def staff_overview(request):
    version = selectors.current_version()
    if version is None:
        raise Http404
    context = {"version": version, **selectors.region_aggregates(version)}
    context["benchmark"] = selectors.benchmark(version, tree=context["tree"])
    return render(request, "referential/staff_overview.html", context)
