"""The portal's shared components: the one pagination and the one chart style."""

import re

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from ptce_portal import charts
from ptce_portal.pagination import paginate


def _page(query: str, items=range(1, 96), per_page=10):
    request = RequestFactory().get("/liste/" + query)
    return request, paginate(request, list(items), per_page)


def test_paginate_gives_a_real_page_for_any_page_parameter():
    assert _page("?page=3")[1].number == 3
    assert _page("?page=abc")[1].number == 1
    assert _page("?page=999")[1].number == 10  # the last page
    assert _page("?page=-2")[1].number == 10
    assert list(_page("?page=10")[1].object_list) == [91, 92, 93, 94, 95]


def test_the_pagination_component_keeps_the_filters_and_marks_the_current_page():
    request, page = _page("?region=bretagne&tri=-pole&page=5")
    with translation.override("fr"):
        html = render_to_string(
            "components/_pagination.html",
            {"page": page, "label": "Pages de la liste"},
            request=request,
        )
    assert '<nav aria-label="Pages de la liste">' in html
    assert '<span aria-current="page">5</span>' in html
    links = re.findall(r'href="([^"]*)"', html)
    assert links and all("region=bretagne" in link and "tri=-pole" in link for link in links)
    assert 'href="?region=bretagne&amp;tri=-pole&amp;page=4"' in html and 'rel="prev"' in html
    assert 'href="?region=bretagne&amp;tri=-pole&amp;page=6"' in html and 'rel="next"' in html
    assert "…" in html  # pages 2 and 8-9 are elided around 3-7
    one_page = paginate(RequestFactory().get("/"), [1, 2], 10)
    assert render_to_string("components/_pagination.html", {"page": one_page}).strip() == ""


def test_the_radar_has_the_house_chart_style_and_a_text_description():
    with translation.override("fr"):
        svg = charts.radar_chart(
            uid="r",
            title="Radar d'essai",
            axes=[("A", "Premier axe"), ("B", "Deuxième"), ("C", "Troisième")],
            series=[
                charts.Series("Cette fois", [4, 2.5, None], "current"),
                charts.Series("La dernière fois", [1, 1, 1], "previous"),
            ],
            scale_max=4,
        )
    assert svg.startswith('<svg class="ptce-chart ptce-chart-radar"')
    assert 'role="img" aria-labelledby="r-title r-desc"' in svg
    assert '<title id="r-title">Radar d&#x27;essai</title>' in svg
    assert "Cette fois : A 4,0, B 2,5, C —; La dernière fois : A 1,0, B 1,0, C 1,0" in svg
    assert "(échelle de 0 à 4)" in svg
    assert svg.count('class="ptce-chart-series ptce-chart-series-current"') == 1
    assert svg.count('class="ptce-chart-series ptce-chart-series-previous"') == 1
    assert svg.count("<circle") == 2  # the first series' known values only
    assert svg.count('class="ptce-chart-grid ptce-chart-grid-outer"') == 1  # 4 rings, 1 outer
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in numbers)


def test_the_legend_draws_each_series_with_its_look():
    html = render_to_string(
        "ptce_portal/charts/legend.html",
        {"series": [charts.Series("Nous", [1]), charts.Series("Les autres", [1], "community")]},
    )
    assert 'class="ptce-chart-swatch ptce-chart-series-current"' in html
    assert 'class="ptce-chart-swatch ptce-chart-series-community"' in html
    assert "Les autres" in html
