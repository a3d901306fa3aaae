"""The observatory's block on a pole's public page (slot "poles.detail"): the figures the
pole agreed to publish, from its accepted reports, year by year (their trend)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from poles.models import Pole
from ptce_portal import charts

from . import aggregates, selectors
from .exports import published_values


def _rows(reports) -> list[dict]:
    """One line per published figure: its label and its value for each year (None: not
    published that year, or not given)."""
    published = [(report, published_values(report)) for report in reports]
    lines = []
    specs = [(name, aggregates.INDICATORS_BY_CODE[name].label) for name in aggregates.MEMBER_FIELDS]
    specs += [
        ("members_total", aggregates.INDICATORS_BY_CODE["members_total"].label),
        ("jobs_people", aggregates.INDICATORS_BY_CODE["jobs_people"].label),
        ("jobs_fte", aggregates.INDICATORS_BY_CODE["jobs_fte"].label),
        ("jobs_created", aggregates.INDICATORS_BY_CODE["jobs_created"].label),
        ("turnover_band", _("chiffre d'affaires consolidé")),
        ("budget_band", _("budget")),
        ("public_funding_share", aggregates.INDICATORS_BY_CODE["public_funding_share"].label),
        ("projects_started", aggregates.INDICATORS_BY_CODE["projects_started"].label),
        ("themes", _("activités principales")),
        ("territory", _("territoire (communes ou intercommunalités)")),
    ]
    for code, label in specs:
        if code == "members_total":
            cells = []
            for _report, values in published:
                parts = [values.get(name) for name in aggregates.MEMBER_FIELDS]
                known = "members_ess" in values and all(p is not None for p in parts)
                cells.append((sum(parts) if known else None, "members_ess" in values))
        else:
            cells = [(values.get(code), code in values) for _report, values in published]
        if not any(is_published for _value, is_published in cells):
            continue
        lines.append(
            {
                "code": code,
                "label": label,
                "unit": "%" if code == "public_funding_share" else "",
                "cells": [
                    {
                        "year": report.campaign.year,
                        "value": ", ".join(value) if isinstance(value, list) else value,
                        "published": is_published,
                    }
                    for (report, _values), (value, is_published) in zip(
                        published, cells, strict=True
                    )
                ],
            }
        )
    return lines


def pole_figures(request: HttpRequest, pole: Pole) -> str:
    """The block (two queries); nothing when the pole published no figure."""
    reports = selectors.pole_published_reports(pole)
    lines = _rows(reports)
    if not lines:
        return ""
    years = [report.campaign.year for report in reports]
    chart = ""
    jobs = next((line for line in lines if line["code"] == "jobs_people"), None)
    if jobs is not None and sum(1 for cell in jobs["cells"] if cell["value"] is not None) > 1:
        chart = charts.column_chart(
            uid="pole-obs-jobs",
            title=_("Emplois directs de %(pole)s par année") % {"pole": pole.name},
            description=_("Les chiffres de chaque année sont dans le tableau qui suit."),
            rows=[(year, cell["value"]) for year, cell in zip(years, jobs["cells"], strict=True)],
            missing=_("non publié"),
        )
    return render_to_string(
        "observatory/_pole_figures.html",
        {
            "pole": pole,
            "years": years,
            "lines": lines,
            "chart": chart,
            "is_demo": any(report.is_demo or report.campaign.is_demo for report in reports),
        },
        request=request,
    )
