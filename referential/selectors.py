"""Reads of the referential domain. Scores come from aggregate queries (GROUP BY
question), so the number of queries never depends on the number of respondents."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Max, Min, Prefetch, Q, QuerySet, StdDev
from django.utils import timezone

from poles.models import Pole
from poles.selectors import poles_coordinated_by
from ptce_portal.tokens import could_be_token

from . import scoring
from .models import (
    QUESTION_COUNT,
    Answer,
    Assessment,
    GeneralObjective,
    Indicator,
    Invitation,
    PrincipalObjective,
    ReferentialVersion,
)

MIN_BENCHMARK_POLES = 5
ANSWERED = Q(value__isnull=False) | Q(dont_know=True)


def current_version() -> ReferentialVersion | None:
    return (
        ReferentialVersion.objects.filter(published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .first()
    )


def published_versions() -> QuerySet[ReferentialVersion]:
    return ReferentialVersion.objects.filter(published_at__isnull=False).order_by("-published_at")


def version_tree(version: ReferentialVersion) -> list[GeneralObjective]:
    """General objectives → principals → indicators, in three queries."""
    return list(
        GeneralObjective.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "principals",
                queryset=PrincipalObjective.objects.order_by("position").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
                ),
            )
        )
    )


def structure_of(tree: list[GeneralObjective]) -> dict[str, dict[str, list[str]]]:
    return {
        g.code: {p.code: [i.code for i in p.indicators.all()] for p in g.principals.all()}
        for g in tree
    }


# --- Access ---------------------------------------------------------------------------


def answered_count(invitation: Invitation) -> int:
    return Answer.objects.filter(ANSWERED, invitation=invitation).count()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of a personal link; None for a token that cannot be one (a NUL byte
    would otherwise reach PostgreSQL and fail)."""
    if not could_be_token(token):
        return None
    return (
        Invitation.objects.select_related("assessment__pole", "assessment__version", "user")
        .filter(token=token)
        .first()
    )


def assessments_coordinated_by(user) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(pole__in=poles_coordinated_by(user))
        .select_related("pole", "version")
        .annotate(respondents=Count("invitations", filter=Q(invitations__revoked_at__isnull=True)))
        .order_by("-opened_at")
    )


def respondents(assessment: Assessment) -> list[Invitation]:
    return list(
        assessment.invitations.select_related("user")
        .annotate(
            answered=Count(
                "answers", filter=Q(answers__value__isnull=False) | Q(answers__dont_know=True)
            )
        )
        .order_by(F("revoked_at").asc(nulls_first=True), "created_at")
    )


def answers_of(invitation: Invitation) -> dict[str, Answer]:
    return {
        a.indicator.code: a
        for a in Answer.objects.filter(invitation=invitation).select_related("indicator")
    }


def invitations_waiting_for(user) -> list[Invitation]:
    """Open assessments the user was invited to (by account or by verified address)."""
    if not user.is_authenticated:
        return []
    return list(
        Invitation.objects.filter(
            Q(user=user) | Q(user__isnull=True, email__iexact=user.email),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            assessment__status=Assessment.Status.OPEN,
        )
        .select_related("assessment__pole")
        .annotate(
            answered=Count(
                "answers", filter=Q(answers__value__isnull=False) | Q(answers__dont_know=True)
            )
        )
        .order_by("-created_at")
    )


# --- Results --------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    mean: float | None = None
    stddev: float | None = None
    low: int | None = None
    high: int | None = None
    answered: int = 0
    dont_know: int = 0
    comments: list[tuple[Any, str]] = field(default_factory=list)  # (category label, text)

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


@dataclass
class GeneralResult:
    general: GeneralObjective
    score: float | None
    principals: list[PrincipalResult]


def _indicator_stats(assessment_ids) -> dict[int, dict]:
    """Per (assessment, question): mean, population std-dev, min, max, counts: one query."""
    rows = (
        Answer.objects.filter(
            invitation__assessment_id__in=assessment_ids, invitation__revoked_at__isnull=True
        )
        .values("invitation__assessment_id", "indicator__code")
        .annotate(
            mean=Avg("value"),
            sd=StdDev("value", sample=False),
            low=Min("value"),
            high=Max("value"),
            n=Count("value"),
            ns=Count("id", filter=Q(dont_know=True)),
        )
        .order_by()
    )
    stats: dict[int, dict] = defaultdict(dict)
    for row in rows:
        stats[row["invitation__assessment_id"]][row["indicator__code"]] = row
    return stats


def _scores_by_assessment(assessment_ids, structure) -> dict[int, tuple]:
    stats = _indicator_stats(assessment_ids)
    return {
        a_id: scoring.rollup({c: r["mean"] for c, r in per.items()}, structure)
        for a_id, per in stats.items()
    }


def benchmark(
    version: ReferentialVersion, *, exclude_pole: Pole | None = None, tree=None
) -> dict[str, Any]:
    """Community distribution per principal objective over the latest closed assessment
    of each pole on this version. Only given when at least MIN_BENCHMARK_POLES contribute."""
    tree = tree if tree is not None else version_tree(version)
    latest = (
        Assessment.objects.filter(version=version, status=Assessment.Status.CLOSED)
        .order_by("pole_id", "-closed_at")
        .distinct("pole_id")
    )
    if exclude_pole is not None:
        latest = latest.exclude(pole=exclude_pole)
    ids = [a.pk for a in latest.only("pk", "pole_id")]
    structure = structure_of(tree)
    scores = _scores_by_assessment(ids, structure) if ids else {}
    contributing = len(scores)
    result: dict[str, Any] = {
        "poles": contributing,
        "enough": contributing >= MIN_BENCHMARK_POLES,
        "principals": {},
    }
    if not result["enough"]:
        return result
    for g in tree:
        for p in g.principals.all():
            values = [s[0][p.code] for s in scores.values() if s[0].get(p.code) is not None]
            q = scoring.quartiles(values)
            if q and len(values) >= MIN_BENCHMARK_POLES:
                result["principals"][p.code] = {
                    "q1": q[0],
                    "median": q[1],
                    "q3": q[2],
                    "n": len(values),
                }
    return result


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
    all_stats = _indicator_stats([assessment.pk, *[h.pk for h in history]])
    stats = all_stats.get(assessment.pk, {})
    comments = defaultdict(list)
    for code, category, text in (
        Answer.objects.filter(
            invitation__assessment=assessment, invitation__revoked_at__isnull=True
        )
        .exclude(comment="")
        .values_list("indicator__code", "invitation__category", "comment")
        .order_by("indicator__code", "pk")
    ):
        comments[code].append((dict(Invitation.CATEGORY_CHOICES).get(category, category), text))

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
                    result.stddev = row["sd"]
                    result.low, result.high = row["low"], row["high"]
                    result.answered, result.dont_know = row["n"], row["ns"]
                indicator_results.append(result)
                flat_indicators.append(result)
            pr = PrincipalResult(
                principal=p,
                score=principal_scores.get(p.code),
                indicators=indicator_results,
                benchmark=bench["principals"].get(p.code),
                history=[h["principals"].get(p.code) for h in history_scores],
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
            "label": labels.get(r["category"], r["category"]),
            "invited": r["invited"],
            "answered": r["answered"],
        }
        for r in category_rows
    ]
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
        "respondents_answered": sum(c["answered"] for c in categories),
        "question_count": QUESTION_COUNT,
    }


def community_overview(version: ReferentialVersion) -> dict:
    """Public anonymous aggregates: the benchmark over every pole."""
    tree = version_tree(version)
    bench = benchmark(version, tree=tree)
    rows = []
    for g in tree:
        for p in g.principals.all():
            rows.append({"principal": p, "general": g, "stats": bench["principals"].get(p.code)})
    return {"tree": tree, "benchmark": bench, "rows": rows}


def region_aggregates(version: ReferentialVersion) -> dict:
    """Staff: per region, contributing poles and the mean score per general objective."""
    tree = version_tree(version)
    structure = structure_of(tree)
    latest = list(
        Assessment.objects.filter(version=version, status=Assessment.Status.CLOSED)
        .order_by("pole_id", "-closed_at")
        .distinct("pole_id")
        .select_related("pole__region")
    )
    scores = _scores_by_assessment([a.pk for a in latest], structure)
    by_region: dict = defaultdict(
        lambda: {"poles": 0, "generals": defaultdict(list), "overall": []}
    )
    for a in latest:
        if a.pk not in scores:
            continue
        _p, g_scores, overall = scores[a.pk]
        key = a.pole.region.name if a.pole.region else "—"
        entry = by_region[key]
        entry["poles"] += 1
        for code, value in g_scores.items():
            if value is not None:
                entry["generals"][code].append(value)
        if overall is not None:
            entry["overall"].append(overall)
    regions = []
    for name in sorted(by_region):
        entry = by_region[name]
        regions.append(
            {
                "name": name,
                "poles": entry["poles"],
                "generals": [scoring.mean(entry["generals"].get(g.code, [])) for g in tree],
                "overall": scoring.mean(entry["overall"]),
            }
        )
    counts = Assessment.objects.filter(version=version).aggregate(
        open=Count("id", filter=Q(status=Assessment.Status.OPEN), distinct=True),
        closed=Count("id", filter=Q(status=Assessment.Status.CLOSED), distinct=True),
        respondents=Count("invitations", filter=Q(invitations__revoked_at__isnull=True)),
    )
    return {"tree": tree, "regions": regions, "counts": counts}
