"""The house's chart helper, extended for the observatory: decimal figures, suppressed cells
and medians with their quartiles."""

import re

from django.utils import translation

from ptce_portal import charts


def _coordinates(markup: str) -> list[str]:
    return re.findall(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', markup)


def test_figures_are_written_the_french_way():
    assert charts.figure(1234) == "1\u202f234"
    assert charts.figure(12.5) == "12,5"
    assert charts.figure(12.0) == "12"
    assert charts.figure(None, "< 5 pôles") == "< 5 pôles"


def test_bars_and_columns_write_a_suppressed_value_instead_of_drawing_it():
    with translation.override("fr"):
        bars = charts.hbar_chart(
            uid="b",
            title="Par tranche",
            rows=[("Moins de 50 000 €", None), ("Plus", 7)],
            missing="< 5 pôles",
        )
        columns = charts.column_chart(
            uid="c", title="Par année", rows=[(2025, None), (2026, 12.5)], missing="< 5 pôles"
        )
    for markup in (bars, columns):
        assert 'role="img"' in markup
        assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in _coordinates(markup))
        assert "&lt; 5 pôles" in markup
        assert "ptce-chart-missing" in markup
    assert ">12,5<" in columns


def test_range_chart_draws_quartiles_and_median_with_its_text_equivalent():
    with translation.override("fr"):
        markup = charts.range_chart(
            uid="r",
            title="Structures membres (médiane et quartiles)",
            description="Voir le tableau.",
            rows=[("Entreprises de l'ESS", 4.0, 8.0, 12.5), ("Recherche", None, None, None)],
            missing="< 5 pôles",
        )
    assert 'aria-labelledby="r-title r-desc"' in markup
    assert markup.count('class="ptce-chart-quartiles"') == 1
    assert markup.count('class="ptce-chart-median"') == 1
    assert ">8<" in markup and "&lt; 5 pôles" in markup
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in _coordinates(markup))


def test_range_chart_with_nothing_known_still_draws():
    markup = charts.range_chart(uid="e", title="Vide", rows=[("A", None, None, None)])
    assert 'role="img"' in markup and "—" in markup
