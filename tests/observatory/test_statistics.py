"""The observatory's statistics: medians, quartiles, distributions and small-cell suppression
(pure functions, no database)."""

import itertools
import random
from fractions import Fraction

import pytest

from observatory.statistics import (
    THRESHOLD,
    distribution,
    evolution,
    protect_linked,
    protect_table,
    share,
    summarize,
)


def test_summary_of_fewer_than_five_values_is_suppressed():
    summary = summarize([10, 20, 30, 40])
    assert summary.suppressed
    assert summary.count == 4
    assert summary.median is None and summary.q1 is None and summary.q3 is None


def test_summary_of_five_values_gives_median_and_quartiles():
    summary = summarize([40, 10, 30, 20, 50])
    assert not summary.suppressed
    assert (summary.q1, summary.median, summary.q3) == (20, 30, 40)


def test_unknown_values_are_left_out_and_do_not_count():
    summary = summarize([1, 2, None, 3, 4, None])
    assert summary.count == 4 and summary.suppressed
    summary = summarize([1, 2, None, 3, 4, 6, 8])
    assert summary.count == 6
    assert summary.median == 3.5
    assert (summary.q1, summary.q3) == (2.25, 5.5)  # inclusive quartiles, as QUARTILE.INCLUS


def test_evolution_is_in_year_order_and_suppresses_each_year_on_its_own():
    result = evolution({2027: [1, 2, 3, 4, 5], 2026: [1, 2, 3, 4]})
    assert [year for year, _summary in result] == [2026, 2027]
    assert result[0][1].suppressed and result[1][1].median == 3


def test_share_is_a_percentage_or_unknown():
    assert share(25, 100) == 25.0
    assert share(None, 100) is None
    assert share(10, 0) is None


def test_four_poles_show_nothing_five_show_everything():
    four = distribution(["a", "a", "b", "b"], ["a", "b"])
    assert four.total.suppressed
    assert all(cell.suppressed for _band, cell in four.row("all"))
    five = distribution(["a"] * 5 + ["b"] * 5, ["a", "b"])
    assert not five.suppressed_any
    assert [cell.value for _band, cell in five.row("all")] == [5, 5]
    assert five.total.value == 10


def test_a_small_band_is_suppressed_with_a_second_one_so_the_total_does_not_give_it_away():
    table = distribution(["a"] * 3 + ["b"] * 9 + ["c"] * 20, ["a", "b", "c", "d"])
    values = {band: cell.value for band, cell in table.row("all")}
    assert values["a"] is None  # 3 poles: primary suppression
    assert values["b"] is None  # the smallest other band, so that a ≠ total − b − c − d
    assert values["c"] == 20 and values["d"] == 0  # a zero describes no pole: shown
    assert table.total.value == 32


def test_suppressed_cells_hold_at_least_five_poles_together_when_the_total_is_shown():
    table = distribution(["a"] * 1 + ["b"] * 2 + ["c"] * 8 + ["d"] * 30, ["a", "b", "c", "d"])
    hidden = [cell.count for _band, cell in table.row("all") if cell.suppressed]
    assert not table.total.suppressed
    assert len(hidden) >= 2 and sum(hidden) >= THRESHOLD


def test_unknown_answers_are_a_column_of_their_own():
    table = distribution(["a"] * 6 + [None] * 6, ["a", "b"], unknown="unknown")
    assert table.columns == ["a", "b", "unknown"]
    assert table.cells["all"]["unknown"].value == 6


# --- No suppressed cell can be found again from what is published -------------------------


def _determined(table) -> set:
    """The suppressed cells whose value follows linearly from the published cells and the
    additivity of the table (Gaussian elimination over the rationals)."""
    rows, columns = table.rows, table.columns
    unknowns = []
    value = {}

    def var(key, cell):
        if cell.suppressed:
            unknowns.append(key)
        value[key] = cell

    for r in rows:
        for c in columns:
            var((r, c), table.cells[r][c])
        var((r, "T"), table.row_totals[r])
    for c in columns:
        var(("T", c), table.column_totals[c])
    var(("T", "T"), table.total)
    index = {key: i for i, key in enumerate(unknowns)}
    equations = []  # sum(members) - total = 0, published cells moved to the constant
    lines = [[(r, c) for c in columns] + [(r, "T")] for r in [*rows, "T"]]
    lines += [[(r, c) for r in rows] + [("T", c)] for c in [*columns, "T"]]
    for line in lines:
        coefficients = [Fraction(0)] * len(unknowns)
        constant = Fraction(0)
        for position, key in enumerate(line):
            sign = -1 if position == len(line) - 1 else 1
            if key in index:
                coefficients[index[key]] += sign
            else:
                constant -= sign * value[key].count
        equations.append(coefficients + [constant])
    # Row-reduce; a variable is determined when a row holds it alone.
    matrix = [row[:] for row in equations]
    pivot_row = 0
    for column in range(len(unknowns)):
        pivot = next((i for i in range(pivot_row, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for i in range(len(matrix)):
            if i != pivot_row and matrix[i][column]:
                factor = matrix[i][column]
                matrix[i] = [
                    a - factor * b for a, b in zip(matrix[i], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    determined = set()
    for row in matrix:
        nonzero = [i for i, x in enumerate(row[:-1]) if x]
        if len(nonzero) == 1:
            determined.add(unknowns[nonzero[0]])
    return determined


@pytest.mark.parametrize("seed", range(60))
def test_random_region_by_band_tables_keep_every_small_cell_hidden_and_undeducible(seed):
    rng = random.Random(seed)
    regions = [f"r{i}" for i in range(rng.randint(1, 6))]
    bands = [f"b{i}" for i in range(rng.randint(1, 5))]
    counts = {r: {b: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15]) for b in bands} for r in regions}
    table = protect_table(counts, columns=bands)
    every = [cell for r in regions for cell in table.cells[r].values()]
    every += list(table.row_totals.values()) + list(table.column_totals.values())
    every.append(table.total)
    for cell in every:
        if 0 < cell.count < THRESHOLD:
            assert cell.suppressed
    hidden_small = {
        key
        for key, cell in itertools.chain(
            (((r, c), table.cells[r][c]) for r in regions for c in bands),
            (((r, "T"), table.row_totals[r]) for r in regions),
            ((("T", c), table.column_totals[c]) for c in bands),
            [(("T", "T"), table.total)],
        )
        if cell.suppressed and 0 < cell.count < THRESHOLD
    }
    assert not (hidden_small & _determined(table))


def test_a_region_with_three_poles_is_not_the_national_count_minus_the_others():
    table = protect_table({"A": {"n": 3}, "B": {"n": 12}, "C": {"n": 7}}, columns=["n"])
    assert table.cells["A"]["n"].suppressed
    assert table.cells["C"]["n"].suppressed  # the smallest other region, hidden with it
    assert table.cells["B"]["n"].value == 12
    assert table.column_totals["n"].value == 22


def test_linked_tables_hide_the_same_regional_counts():
    # Poles by region, and by region × band: the row totals are the same numbers.
    regions = {"A": {"n": 3}, "B": {"n": 12}, "C": {"n": 7}, "D": {"n": 9}}
    bands = {
        "A": {"x": 3, "y": 0},
        "B": {"x": 6, "y": 6},
        "C": {"x": 0, "y": 7},
        "D": {"x": 5, "y": 4},
    }
    tables = protect_linked({"regions": (regions, ["n"]), "bands": (bands, ["x", "y"])})
    hidden = {
        name: {row for row, cell in table.row_totals.items() if cell.suppressed}
        for name, table in tables.items()
    }
    assert hidden["regions"] == hidden["bands"]
    assert "A" in hidden["regions"] and len(hidden["regions"]) >= 2
    for table in tables.values():
        assert not ({("A", "T")} & _determined(table))


def test_the_zeros_of_a_line_of_fewer_than_five_poles_are_hidden_too():
    table = protect_table(
        {"A": {"x": 0, "y": 1, "z": 0}, "B": {"x": 4, "y": 6, "z": 5}}, columns=["x", "y", "z"]
    )
    assert all(cell.suppressed for cell in table.cells["A"].values())
    assert table.row_totals["A"].suppressed
    # B's zeros-free line: its own small cell (4) and a partner are hidden, the rest shown.
    assert table.cells["B"]["x"].suppressed
