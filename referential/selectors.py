"""Reads of the referential domain. Scores come from aggregate queries (GROUP BY
question), so the number of queries never depends on the number of respondents."""

from collections import defaultdict
from typing import Any

from django.db.models import Avg, Count, F, Max, Min, Prefetch, Q, QuerySet, StdDev
from django.utils import timezone

from poles.models import Pole
from poles.selectors import poles_coordinated_by
from ptce_portal.demo import DEMO_MARK
from ptce_portal.tokens import could_be_token

from . import scoring
from .models import (
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


def assessment_get(pk: int) -> Assessment | None:
    """An assessment with its pole and version; None when there is none (the selectors'
    not-found convention: the view answers 404, and asks the permissions who may see it)."""
    return Assessment.objects.select_related("pole", "version").filter(pk=pk).first()


def invitation_get(pk: int) -> Invitation | None:
    """An invitation with its assessment and pole; None when there is none."""
    return Invitation.objects.select_related("assessment__pole").filter(pk=pk).first()


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


def answered_in(answers: dict[str, Answer]) -> int:
    """How many of `answers` (answers_of) are answered (a value or « ne sait pas »)."""
    return sum(1 for answer in answers.values() if answer.is_answered)


def answer_progress(tree: list[GeneralObjective], answers: dict[str, Answer]) -> list[dict]:
    """For the respondent's home page: each part (general objective) with its number and
    how many of its questions are answered (no query: `tree` and `answers` are loaded)."""
    parts = []
    for number, general in enumerate(tree, start=1):
        codes = [i.code for p in general.principals.all() for i in p.indicators.all()]
        parts.append(
            {
                "number": number,
                "general": general,
                "answered": sum(1 for c in codes if c in answers and answers[c].is_answered),
                "total": len(codes),
            }
        )
    return parts


def first_unanswered(tree: list[GeneralObjective], answers: dict[str, Answer]) -> dict | None:
    """Where a respondent resumes: the part and the code of the first question without an
    answer (no query), or None when all are answered."""
    for number, general in enumerate(tree, start=1):
        for principal in general.principals.all():
            for indicator in principal.indicators.all():
                answer = answers.get(indicator.code)
                if answer is None or not answer.is_answered:
                    return {"part": number, "code": indicator.code}
    return None


def answer_questions(
    general: GeneralObjective,
    answers: dict[str, Answer],
    *,
    submitted: dict[str, tuple[str, str]] | None = None,
) -> list[dict]:
    """The questions of one part with the choice and comment to show: what was just
    submitted (when it was refused), else what is saved, else nothing."""
    questions = []
    for principal in general.principals.all():
        items = []
        for indicator in principal.indicators.all():
            answer = answers.get(indicator.code)
            if submitted and indicator.code in submitted:
                choice, comment = submitted[indicator.code]
            elif answer:
                if answer.dont_know:
                    choice = "ns"
                else:
                    choice = "" if answer.value is None else str(answer.value)
                comment = answer.comment
            else:
                choice, comment = "", ""
            items.append(
                {
                    "indicator": indicator,
                    "choice": choice,
                    "comment": comment,
                    "missing": answer is None or not answer.is_answered,
                }
            )
        questions.append({"principal": principal, "items": items})
    return questions


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


def indicator_stats(assessment_ids) -> dict[int, dict]:
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


def scores_by_assessment(assessment_ids, structure) -> dict[int, tuple]:
    stats = indicator_stats(assessment_ids)
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
    assessments = list(latest.only("pk", "pole_id", "title"))
    ids = [a.pk for a in assessments]
    structure = structure_of(tree)
    scores = scores_by_assessment(ids, structure) if ids else {}
    contributing = len(scores)
    # Demo assessments (« (démo) » in their title, `seed_ptce --demo`) are fictitious: the
    # figures they enter say so. A database without demo data uses real assessments only.
    demo = sum(1 for a in assessments if a.pk in scores and DEMO_MARK in a.title)
    result: dict[str, Any] = {
        "poles": contributing,
        "enough": contributing >= MIN_BENCHMARK_POLES,
        "demo": demo,
        "fictitious": demo > 0,
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
    scores = scores_by_assessment([a.pk for a in latest], structure)
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
