"""The one place where results are computed: an assessment's results (scores, spread,
strengths and weaknesses, divergences, evolution, benchmark), the radar's series, and the
community's public aggregates. The results page, the respondent's results, the PDF report and
the community page all take their data from here; a rule about what may be shown (e.g. a
confidentiality threshold) belongs here too."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ptce_portal.charts import Series, radar_chart

from . import scoring
from .models import (
    QUESTION_COUNT,
    SCALE_MAX,
    Answer,
    Assessment,
    GeneralObjective,
    Indicator,
    Invitation,
    PrincipalObjective,
    ReferentialVersion,
)
from .selectors import (
    benchmark,
    indicator_stats,
    structure_of,
    version_tree,
)

# Confidentiality: the breakdown of answers (per-question minimum and maximum, spread,
# divergences, the category signed under a comment) is shown only once this many people
# have answered, and a comment's category never when that category counts one respondent.
MIN_RESPONDENTS_FOR_BREAKDOWN = 3
MIN_RESPONDENTS_PER_CATEGORY = 2


@dataclass
class IndicatorResult:
    indicator: Indicator
    mean: float | None = None
    stddev: float | None = None
    low: int | None = None
    high: int | None = None
    answered: int = 0
    dont_know: int = 0
    # (category label, or None when it could single someone out; text)
    comments: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def spread(self) -> int | None:
        return None if self.low is None or self.high is None else self.high - self.low


@dataclass
class PrincipalResult:
    principal: PrincipalObjective
    score: float | None
    indicators: list[IndicatorResult]
    benchmark: dict | None = None
    history: list[float | None] = field(default_factory=list)
    # (title of the earlier assessment, score): the history with its column labels (phones)
    history_cells: list[tuple[str, float | None]] = field(default_factory=list)


@dataclass
class GeneralResult:
    general: GeneralObjective
    score: float | None
    principals: list[PrincipalResult]


def assessment_results(assessment: Assessment) -> dict:
    """Everything the results page and the PDF report show, in a fixed number of queries."""
    tree = version_tree(assessment.version)
    structure = structure_of(tree)
    history = list(
        Assessment.objects.filter(
            pole_id=assessment.pole_id,
            status=Assessment.Status.CLOSED,
            closed_at__lt=assessment.closed_at or timezone.now(),
        )
        .exclude(pk=assessment.pk)
        .order_by("-closed_at")[:3]
    )
    history.reverse()
    all_stats = indicator_stats([assessment.pk, *[h.pk for h in history]])
    stats = all_stats.get(assessment.pk, {})
    category_rows = (
        assessment.invitations.filter(revoked_at__isnull=True)
        .values("category")
        .annotate(
            invited=Count("id", distinct=True),
            answered=Count("id", filter=Q(answers__isnull=False), distinct=True),
        )
        .order_by("category")
    )
    labels = dict(Invitation.CATEGORY_CHOICES)
    categories = [
        {
            "code": r["category"],
            "label": labels.get(r["category"], r["category"]),
            "invited": r["invited"],
            "answered": r["answered"],
        }
        for r in category_rows
    ]
    answered_total = sum(c["answered"] for c in categories)
    breakdown = answered_total >= MIN_RESPONDENTS_FOR_BREAKDOWN
    signable = {
        c["code"] for c in categories if breakdown and c["answered"] >= MIN_RESPONDENTS_PER_CATEGORY
    }

    comments = defaultdict(list)
    for code, category, text in (
        Answer.objects.filter(
            invitation__assessment=assessment, invitation__revoked_at__isnull=True
        )
        .exclude(comment="")
        .values_list("indicator__code", "invitation__category", "comment")
        .order_by("indicator__code", "pk")
    ):
        comments[code].append(
            (labels.get(category, category) if category in signable else None, text)
        )

    indicator_scores = {c: r["mean"] for c, r in stats.items()}
    principal_scores, general_scores, overall = scoring.rollup(indicator_scores, structure)
    history_scores: list[dict[str, Any]] = []
    for h in history:
        per = all_stats.get(h.pk, {})
        p_scores, g_scores, h_overall = scoring.rollup(
            {c: r["mean"] for c, r in per.items()}, structure
        )
        history_scores.append(
            {"assessment": h, "principals": p_scores, "generals": g_scores, "overall": h_overall}
        )

    bench = benchmark(assessment.version, exclude_pole=assessment.pole, tree=tree)

    generals, flat_indicators, flat_principals = [], [], []
    for g in tree:
        principal_results = []
        for p in g.principals.all():
            indicator_results = []
            for i in p.indicators.all():
                row = stats.get(i.code)
                result = IndicatorResult(indicator=i, comments=comments.get(i.code, []))
                if row:
                    result.mean = row["mean"]
                    result.answered, result.dont_know = row["n"], row["ns"]
                    if breakdown:
                        result.stddev = row["sd"]
                        result.low, result.high = row["low"], row["high"]
                indicator_results.append(result)
                flat_indicators.append(result)
            pr = PrincipalResult(
                principal=p,
                score=principal_scores.get(p.code),
                indicators=indicator_results,
                benchmark=bench["principals"].get(p.code),
                history=[h["principals"].get(p.code) for h in history_scores],
                history_cells=[
                    (h["assessment"].title, h["principals"].get(p.code)) for h in history_scores
                ],
            )
            principal_results.append(pr)
            flat_principals.append(pr)
        generals.append(
            GeneralResult(general=g, score=general_scores.get(g.code), principals=principal_results)
        )

    scored = [r for r in flat_indicators if r.mean is not None]
    # Up to 5 each, never the same question on both sides.
    shown = min(5, len(scored) // 2)
    strengths = sorted(scored, key=lambda r: (-(r.mean or 0.0), r.indicator.code))[:shown]
    weaknesses = sorted(scored, key=lambda r: (r.mean or 0.0, r.indicator.code))[:shown]
    divergent = sorted(
        (r for r in scored if r.answered >= 2 and r.stddev),
        key=lambda r: (-(r.stddev or 0.0), r.indicator.code),
    )[:5]

    return {
        "generals": generals,
        "principals": flat_principals,
        "overall": overall,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "divergent": divergent,
        "divergent_codes": {r.indicator.code for r in divergent},
        "history": history_scores,
        "benchmark": bench,
        "categories": categories,
        "respondents_invited": sum(c["invited"] for c in categories),
        "respondents_answered": answered_total,
        "breakdown": breakdown,
        "breakdown_threshold": MIN_RESPONDENTS_FOR_BREAKDOWN,
        "question_count": QUESTION_COUNT,
    }


def weakest_principals(assessment: Assessment, count: int = 3) -> list[PrincipalResult]:
    """The `count` principal objectives with the lowest scores of the assessment (scored
    ones only; ties in the referential's order), scored as on the results page: what other
    apps build on (the results page's slot "referential.results"). Two queries."""
    indicators = list(
        Indicator.objects.filter(version_id=assessment.version_id)
        .select_related("principal")
        .order_by("principal__general__position", "principal__position", "position")
    )
    structure: dict[str, dict[str, list[str]]] = defaultdict(dict)
    principals: dict[str, PrincipalObjective] = {}
    for i in indicators:
        principals[i.principal.code] = i.principal
        structure[str(i.principal.general_id)].setdefault(i.principal.code, []).append(i.code)
    stats = indicator_stats([assessment.pk]).get(assessment.pk, {})
    scores, _generals, _overall = scoring.rollup(
        {c: r["mean"] for c, r in stats.items()}, structure
    )
    ranked = [
        PrincipalResult(principal=principals[code], score=score, indicators=[])
        for code, score in scores.items()
        if score is not None
    ]
    ranked.sort(key=lambda r: r.score or 0.0)  # stable: ties keep the referential's order
    return ranked[:count]


def community_overview(version: ReferentialVersion) -> dict:
    """Public anonymous aggregates: the benchmark over every pole."""
    tree = version_tree(version)
    bench = benchmark(version, tree=tree)
    rows = []
    for g in tree:
        for p in g.principals.all():
            rows.append({"principal": p, "general": g, "stats": bench["principals"].get(p.code)})
    return {"tree": tree, "benchmark": bench, "rows": rows}


def assessment_report(assessment: Assessment) -> dict[str, Any]:
    """What the results page, the respondent's results and the PDF report show: the results,
    the radar's series (this assessment, the previous one, the other poles' median) and
    the radar itself."""
    results = assessment_results(assessment)
    principals = results["principals"]
    labels = [(p.principal.code, p.principal.label) for p in principals]
    series = [Series(str(assessment.title), [p.score for p in principals], "current")]
    if results["history"]:
        last = results["history"][-1]
        series.append(
            Series(
                str(last["assessment"].title),
                [last["principals"].get(c) for c, _l in labels],
                "previous",
            )
        )
    if results["benchmark"]["enough"]:
        series.append(
            Series(
                _("Médiane des autres pôles (démo : chiffres fictifs)")
                if results["benchmark"]["fictitious"]
                else _("Médiane des autres pôles"),
                [p.benchmark["median"] if p.benchmark else None for p in principals],
                "community",
            )
        )
    radar = radar_chart(
        uid="radar",
        title=_("Radar des 9 objectifs principaux — %(pole)s") % {"pole": assessment.pole.name},
        axes=labels,
        series=series,
        scale_max=SCALE_MAX,
    )
    return {
        "assessment": assessment,
        "results": results,
        "radar": radar,
        "series": series,
        "total": QUESTION_COUNT,
    }


def community_report(version: ReferentialVersion) -> dict[str, Any]:
    """The community page: the benchmark over every pole and, when enough poles contribute,
    the radar of their median."""
    overview = community_overview(version)
    context: dict[str, Any] = {**overview}
    if overview["benchmark"]["enough"]:
        labels = [(r["principal"].code, r["principal"].label) for r in overview["rows"]]
        context["radar"] = radar_chart(
            axes=labels,
            scale_max=SCALE_MAX,
            series=[
                Series(
                    _("Médiane de la communauté (démo : chiffres fictifs)")
                    if overview["benchmark"]["fictitious"]
                    else _("Médiane de la communauté"),
                    [r["stats"]["median"] if r["stats"] else None for r in overview["rows"]],
                    "current",
                )
            ],
            title=_("Médiane des pôles par objectif principal"),
            uid="radar-communaute",
        )
    return context
