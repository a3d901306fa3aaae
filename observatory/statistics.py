"""The observatory's statistics: pure functions on plain numbers (no database, no Django).

Every published figure is built from the accepted reports of at least `THRESHOLD` poles.
A cell built from fewer is suppressed (« < 5 pôles ») — the primary suppression — and, in a
table whose totals are published, enough other cells are suppressed with it that it cannot be
found again by subtraction from a total (secondary suppression):

- a median and its quartiles are computed only from `THRESHOLD` values or more (they are not
  additive: nothing can be subtracted from them);
- a count table (poles by region, by turnover band…) is protected as a whole with its margins
  (`protect_table`): in every row and every column, totals included, a suppressed cell never
  stands alone, and when the line's total is shown the suppressed cells of the line hold at
  least `THRESHOLD` poles together. A zero is shown (it describes no pole), except in a line
  of fewer than `THRESHOLD` poles, whose zeros would tell where its few poles are.

This is the usual iterative heuristic of statistical offices for tables with margins; it does
not solve the full linear problem of every published table at once, so the observatory
publishes one protected table per dimension (regions × bands) and takes regional figures from
its rows, national ones from its margin.
"""

from __future__ import annotations

import statistics as _stats
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

THRESHOLD = 5


@dataclass(frozen=True)
class Summary:
    """Count, median and quartiles of one figure; `suppressed` when built from fewer than
    THRESHOLD values (then median and quartiles are None)."""

    count: int
    median: float | None = None
    q1: float | None = None
    q3: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.count < THRESHOLD


def summarize(values: Iterable[float | int | None], *, threshold: int = THRESHOLD) -> Summary:
    """Count (of known values), median and quartiles (inclusive method: the quartiles of the
    values themselves, as a spreadsheet's QUARTILE.INCLUS). Unknown values (None) are left out."""
    known = sorted(float(v) for v in values if v is not None)
    if len(known) < threshold:
        return Summary(count=len(known))
    q1, median, q3 = _stats.quantiles(known, n=4, method="inclusive")
    return Summary(count=len(known), median=median, q1=q1, q3=q3)


@dataclass
class Cell:
    """One count of a protected table: `value` is None when the cell is suppressed."""

    count: int
    suppressed: bool = False

    @property
    def value(self) -> int | None:
        return None if self.suppressed else self.count


@dataclass
class Table:
    """A protected count table: cells[row][column], the row totals, the column totals and the
    grand total, each a Cell."""

    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[Hashable, dict[Hashable, Cell]]
    row_totals: dict[Hashable, Cell]
    column_totals: dict[Hashable, Cell]
    total: Cell
    suppressed_any: bool = field(default=False)

    def row(self, row: Hashable) -> list[tuple[Hashable, Cell]]:
        return [(column, self.cells[row][column]) for column in self.columns]

    def margin(self) -> list[tuple[Hashable, Cell]]:
        return [(column, self.column_totals[column]) for column in self.columns]


def _is_sensitive(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def protect_table(
    counts: dict[Hashable, dict[Hashable, int]],
    *,
    columns: Sequence[Hashable] | None = None,
    threshold: int = THRESHOLD,
    hidden_row_totals: Iterable[Hashable] = (),
    hide_total: bool = False,
) -> Table:
    """Suppress, in a rows × columns count table with its margins, every cell (margins
    included) built from 1 to threshold-1 poles, then enough other cells that none of them can
    be deduced from a published total (see the module's docstring). `hidden_row_totals` and
    `hide_total` suppress those margins from the start (a margin shared with another table
    that hides it: `protect_linked`)."""
    rows = list(counts)
    if columns is None:
        seen: dict[Hashable, None] = {}
        for row in rows:
            for column in counts[row]:
                seen.setdefault(column, None)
        columns = list(seen)
    columns = list(columns)
    TOTAL = object()  # the margin's key, in both directions
    grid: dict[tuple, int] = {}
    for r in rows:
        for c in columns:
            grid[(r, c)] = int(counts[r].get(c, 0))
    for r in rows:
        grid[(r, TOTAL)] = sum(grid[(r, c)] for c in columns)
    for c in columns:
        grid[(TOTAL, c)] = sum(grid[(r, c)] for r in rows)
    grand = sum(grid[(r, TOTAL)] for r in rows)
    grid[(TOTAL, TOTAL)] = grand

    suppressed: set[tuple] = set()
    if grand < threshold:
        suppressed = set(grid)
    else:
        suppressed = {key for key, count in grid.items() if _is_sensitive(count, threshold)}
        suppressed |= {(r, TOTAL) for r in hidden_row_totals if r in counts}
        if hide_total:
            suppressed.add((TOTAL, TOTAL))
        # Each line: its members, then its total (the last).
        lines = [[(r, c) for c in columns] + [(r, TOTAL)] for r in [*rows, TOTAL]]
        lines += [[(r, c) for r in rows] + [(TOTAL, c)] for c in [*columns, TOTAL]]
        # A line of fewer than `threshold` poles shows none of its cells, not even its zeros:
        # « 0, 0, hidden, 0 » would tell in which band its few poles are.
        for line in lines:
            if _is_sensitive(grid[line[-1]], threshold):
                suppressed.update(line)
        changed = True
        while changed:
            changed = False
            for line in lines:
                members, total = line[:-1], line[-1]
                while _needs_more(line, members, total, suppressed, grid, threshold):
                    candidates = [key for key in members if key not in suppressed]
                    if not candidates:
                        if total in suppressed:
                            break
                        candidates = [total]
                    # The smallest non-zero cell first (a zero adds no protection).
                    pick = min(candidates, key=lambda key: (grid[key] == 0, grid[key]))
                    suppressed.add(pick)
                    changed = True

    def cell(key: tuple) -> Cell:
        return Cell(count=grid[key], suppressed=key in suppressed)

    return Table(
        rows=rows,
        columns=columns,
        cells={r: {c: cell((r, c)) for c in columns} for r in rows},
        row_totals={r: cell((r, TOTAL)) for r in rows},
        column_totals={c: cell((TOTAL, c)) for c in columns},
        total=cell((TOTAL, TOTAL)),
        suppressed_any=bool(suppressed),
    )


def protect_linked(
    tables: dict[Hashable, tuple[dict[Hashable, dict[Hashable, int]], Sequence[Hashable]]],
    *,
    threshold: int = THRESHOLD,
) -> dict[Hashable, Table]:
    """Several tables over the same rows whose row totals are the same counts (poles by
    region, by region × turnover band, by region × budget band): each is protected, then a
    row total hidden in one is hidden in all, until they agree, so that no table gives away
    what another hides. {name: (counts, columns)} -> {name: Table}."""
    hidden: set[Hashable] = set()
    hide_total = False
    while True:
        result = {
            name: protect_table(
                counts,
                columns=columns,
                threshold=threshold,
                hidden_row_totals=hidden,
                hide_total=hide_total,
            )
            for name, (counts, columns) in tables.items()
        }
        now = {
            row
            for table in result.values()
            for row, cell in table.row_totals.items()
            if cell.suppressed
        }
        total = any(table.total.suppressed for table in result.values())
        if now == hidden and total == hide_total:
            return result
        hidden, hide_total = now, total


def _needs_more(line, members, total, suppressed, grid, threshold) -> bool:
    """Whether a line (members and their total) still lets a suppressed cell be deduced."""
    hidden = [key for key in line if key in suppressed]
    if not hidden:
        return False
    if len(hidden) < 2:
        # One hidden cell in a line is the total minus the others (or their sum).
        return any(key not in suppressed for key in line)
    if total not in suppressed:
        hidden_members = sum(grid[key] for key in members if key in suppressed)
        return hidden_members < threshold  # too few poles behind what the total gives away
    return False


def distribution(
    values: Iterable[Hashable | None],
    bands: Sequence[Hashable],
    *,
    unknown: Hashable = None,
    threshold: int = THRESHOLD,
) -> Table:
    """Poles by band (one row): `values` are each pole's band (None: not given, counted under
    `unknown` when it is not None, else left out), protected as a one-row table."""
    counts: dict[Hashable, int] = dict.fromkeys(bands, 0)
    if unknown is not None:
        counts[unknown] = 0
    for value in values:
        key = unknown if value is None else value
        if key is None:
            continue
        counts[key] = counts.get(key, 0) + 1
    return protect_table({"all": counts}, columns=list(counts), threshold=threshold)


def evolution(
    values_by_year: dict[int, Iterable[float | int | None]], *, threshold: int = THRESHOLD
) -> list[tuple[int, Summary]]:
    """(year, summary) in year order: the same figure's median and quartiles over the years."""
    return [
        (year, summarize(values_by_year[year], threshold=threshold))
        for year in sorted(values_by_year)
    ]


def share(part: float | None, whole: float | None) -> float | None:
    """part / whole as a percentage, None when unknown or when the whole is zero."""
    if part is None or not whole:
        return None
    return 100.0 * float(part) / float(whole)
