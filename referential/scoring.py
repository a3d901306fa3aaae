"""Pure score arithmetic, kept apart so it can be checked by hand.

The database gives, for every question, the mean of the respondents' values (GROUP BY
indicator). A principal objective's score is the mean of the scores of its answered
questions; a general objective's score is the mean of its answered questions too (not
the mean of its principal objectives, which would weigh a question more when its
neighbours were left unanswered). "Ne sais pas" counts as not answered.
"""

import statistics
from collections.abc import Iterable


def mean(values: Iterable[float | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def quartiles(values: list[float]) -> tuple[float, float, float] | None:
    """(first quartile, median, third quartile), inclusive method; None when empty."""
    if not values:
        return None
    if len(values) == 1:
        return (values[0], values[0], values[0])
    q1, q2, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return (q1, q2, q3)


def rollup(
    indicator_scores: dict[str, float | None], structure: dict[str, dict[str, list[str]]]
) -> tuple[dict[str, float | None], dict[str, float | None], float | None]:
    """structure = {general code: {principal code: [indicator codes]}}.

    Returns (principal scores, general scores, overall score), all keyed by code."""
    principals, generals = {}, {}
    all_codes = []
    for g_code, principal_map in structure.items():
        g_codes = []
        for p_code, i_codes in principal_map.items():
            principals[p_code] = mean(indicator_scores.get(c) for c in i_codes)
            g_codes.extend(i_codes)
        generals[g_code] = mean(indicator_scores.get(c) for c in g_codes)
        all_codes.extend(g_codes)
    overall = mean(indicator_scores.get(c) for c in all_codes)
    return principals, generals, overall
