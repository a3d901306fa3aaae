import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referential import scoring
from referential.report import assessment_results
from tests.factories import UserFactory

from .factories import AssessmentFactory, InvitationFactory, answer_all, close


def test_rollup_by_hand():
    structure = {"1": {"1.1": ["a", "b"], "1.2": ["c", "d"]}, "2": {"2.1": ["e", "f"]}}
    principals, generals, overall = scoring.rollup(
        {"a": 4.0, "b": 2.0, "c": 1.0, "d": None, "e": None}, structure
    )
    assert principals == {"1.1": 3.0, "1.2": 1.0, "2.1": None}
    # General 1: mean of its answered questions (4, 2, 1), not of its principals (3, 1).
    assert generals == {"1": pytest.approx(7 / 3), "2": None}
    assert overall == pytest.approx(7 / 3)


def test_quartiles_inclusive():
    assert scoring.quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0)
    assert scoring.quartiles([]) is None
    assert scoring.quartiles([2.5]) == (2.5, 2.5, 2.5)


HAND = {
    # code: answers of respondents A, B, C ("ns" = ne sais pas, None = left blank)
    "1.1.1": (4, 2, "ns"),
    "1.1.2": (3, 3, 0),
    "1.1.3": (1, None, None),
    "1.2.1": (4, 4, 4),
    "2.1.1": (0, 1, None),
}


@pytest.fixture
def hand_assessment(version):
    assessment = AssessmentFactory(version=version)
    for n in range(3):
        invitation = InvitationFactory(assessment=assessment)
        answer_all(invitation, lambda code, n=n: HAND.get(code, (None,) * 3)[n])
    # A revoked respondent's answers never count.
    revoked = InvitationFactory(assessment=assessment, revoked_at=timezone.now())
    answer_all(revoked, lambda code: 0)
    return assessment


def test_scores_on_a_hand_computed_example(hand_assessment):
    results = assessment_results(hand_assessment)
    by_code = {r.indicator.code: r for p in results["principals"] for r in p.indicators}
    assert by_code["1.1.1"].mean == pytest.approx(3.0)
    assert by_code["1.1.1"].stddev == pytest.approx(1.0)
    assert (by_code["1.1.1"].answered, by_code["1.1.1"].dont_know) == (2, 1)
    assert by_code["1.1.2"].mean == pytest.approx(2.0)
    assert by_code["1.1.2"].stddev == pytest.approx(math.sqrt(2))
    assert by_code["1.1.2"].spread == 3
    assert by_code["1.2.1"].mean == pytest.approx(4.0)  # the revoked 0 is not counted
    assert by_code["1.1.4"].mean is None

    principals = {p.principal.code: p.score for p in results["principals"]}
    assert principals["1.1"] == pytest.approx(2.0)  # (3 + 2 + 1) / 3
    assert principals["1.2"] == pytest.approx(4.0)
    assert principals["1.3"] is None
    assert principals["2.1"] == pytest.approx(0.5)
    generals = {g.general.code: g.score for g in results["generals"]}
    assert generals["1"] == pytest.approx(2.5)  # (3 + 2 + 1 + 4) / 4
    assert generals["2"] == pytest.approx(0.5)
    assert generals["3"] is None
    assert results["overall"] == pytest.approx(2.1)  # (3 + 2 + 1 + 4 + 0.5) / 5

    assert [r.indicator.code for r in results["strengths"]][:2] == ["1.2.1", "1.1.1"]
    assert results["weaknesses"][0].indicator.code == "2.1.1"
    assert [r.indicator.code for r in results["divergent"]] == ["1.1.2", "1.1.1", "2.1.1"]
    assert results["respondents_invited"] == 3


def test_history_compares_with_previous_closed_assessments(version, pole):
    old = AssessmentFactory(version=version, pole=pole, title="2014")
    answer_all(InvitationFactory(assessment=old), lambda code: 1)
    close(old, timezone.now() - timezone.timedelta(days=365))
    new = AssessmentFactory(version=version, pole=pole, title="2015")
    answer_all(InvitationFactory(assessment=new), lambda code: 3)
    results = assessment_results(new)
    assert [h["assessment"].title for h in results["history"]] == ["2014"]
    assert all(p.history == [pytest.approx(1.0)] for p in results["principals"])
    assert all(p.score == pytest.approx(3.0) for p in results["principals"])


def test_the_results_page_ranks_strengths_and_weaknesses(coordinator_client, version, pole):
    assessment = AssessmentFactory(version=version, pole=pole)
    for _n in range(3):
        answer_all(
            InvitationFactory(assessment=assessment),
            lambda code: {"1.2.1": 4, "2.1.1": 0}.get(code, 2),
        )
    close(assessment)
    html = coordinator_client.get(f"/referentiel/evaluations/{assessment.pk}/resultats/").text
    strengths = html.split('id="strengths-title"', 1)[1].split("</section>", 1)[0]
    weaknesses = html.split('id="weaknesses-title"', 1)[1].split("</section>", 1)[0]
    assert strengths.index("1.2.1") < strengths.index('class="score-pill"')
    assert weaknesses.index("2.1.1") < weaknesses.index('class="score-pill"')
    assert "2.1.1" not in strengths and "1.2.1" not in weaknesses


def _results_queries(client, assessment) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/referentiel/evaluations/{assessment.pk}/resultats/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_results_query_count_does_not_grow_with_respondents(coordinator_client, version, pole):
    small = AssessmentFactory(version=version, pole=pole)
    for n in range(2):
        answer_all(InvitationFactory(assessment=small), lambda code, n=n: (n + len(code)) % 5)
    close(small)
    few = _results_queries(coordinator_client, small)

    big = AssessmentFactory(version=version, pole=pole)
    for n in range(12):
        invitation = InvitationFactory(assessment=big, user=UserFactory())
        answer_all(invitation, lambda code, n=n: (n * 7 + len(code)) % 5)
    close(big)  # closed like `small`: the page shows the same blocks of other apps
    many = _results_queries(coordinator_client, big)
    # `big` has one more previous assessment (`small`) but that is the same query.
    assert many == few, (few, many)
    assert many <= 20


def test_weakest_principals_agree_with_the_results_page(hand_assessment):
    """What other apps build on (the results page's slot): the lowest scored principal
    objectives, scored as the results page scores them, unanswered ones left out."""
    from referential.report import weakest_principals

    page = {p.principal.code: p.score for p in assessment_results(hand_assessment)["principals"]}
    with CaptureQueriesContext(connection) as queries:
        weakest = weakest_principals(hand_assessment, 3)
    assert len(queries) == 2
    # 1.1: (3 + 2 + 1) / 3 = 2.0; 1.2: 4.0; 2.1: 0.5; the six others unanswered.
    assert [(w.principal.code, w.score) for w in weakest] == [
        ("2.1", pytest.approx(0.5)),
        ("1.1", pytest.approx(2.0)),
        ("1.2", pytest.approx(4.0)),
    ]
    assert all(page[w.principal.code] == pytest.approx(w.score) for w in weakest)
    assert [w.principal.code for w in weakest_principals(hand_assessment, 1)] == ["2.1"]
