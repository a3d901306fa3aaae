import pytest

from referential.selectors import benchmark
from tests.factories import StaffFactory
from tests.poles.factories import PoleFactory

from .factories import AssessmentFactory, InvitationFactory, answer_all, close


def closed_assessment_scoring(version, value, pole=None):
    assessment = AssessmentFactory(version=version, **({"pole": pole} if pole else {}))
    answer_all(InvitationFactory(assessment=assessment), lambda code: value)
    return close(assessment)


def test_benchmark_hidden_under_five_poles(client, version, pole):
    for value in (1, 2, 3, 4):
        closed_assessment_scoring(version, value)
    result = benchmark(version, exclude_pole=pole)
    assert result == {
        "poles": 4, "enough": False, "demo": 0, "fictitious": False, "principals": {}
    }  # fmt: skip
    html = client.get("/referentiel/reperes/").content.decode()
    assert "4 pôles ont clôturé" in html and "à partir de 5 pôles" in html
    assert "<svg" not in html


def test_benchmark_median_and_quartiles_over_other_poles(client, version, pole):
    for value in (0, 1, 2, 3, 4):
        closed_assessment_scoring(version, value)
    # The pole's own assessment never counts in its benchmark; open assessments never count.
    closed_assessment_scoring(version, 4, pole=pole)
    AssessmentFactory(version=version)
    result = benchmark(version, exclude_pole=pole)
    assert result["enough"] and result["poles"] == 5
    assert result["principals"]["2.2"] == {"q1": 1.0, "median": 2.0, "q3": 3.0, "n": 5}
    # Public page: over every pole (6 here), anonymous.
    html = client.get("/referentiel/reperes/").content.decode()
    assert "<svg" in html and "6 pôles" in html
    assert pole.name not in html  # no pole is named on the public page


def test_only_latest_closed_assessment_of_each_pole_counts(version):
    repeated = PoleFactory()
    closed_assessment_scoring(version, 0, pole=repeated)
    closed_assessment_scoring(version, 4, pole=repeated)
    for value in (1, 2, 3, 4):
        closed_assessment_scoring(version, value)
    result = benchmark(version)
    assert result["poles"] == 5
    assert result["principals"]["1.1"]["median"] == pytest.approx(3.0)  # 1, 2, 3, 4, 4


def test_staff_overview_by_region(client, version):
    for value in (1, 3):
        closed_assessment_scoring(version, value)
    assert client.get("/referentiel/equipe/").status_code == 302
    client.force_login(StaffFactory())
    response = client.get("/referentiel/equipe/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Scores moyens par région" in html


def test_staff_counts_are_not_multiplied_by_respondents(client, version):
    assessment = closed_assessment_scoring(version, 2)
    for _n in range(3):
        InvitationFactory(assessment=assessment)
    AssessmentFactory(version=version)
    client.force_login(StaffFactory())
    context = client.get("/referentiel/equipe/").context
    assert context["counts"] == {"open": 1, "closed": 1, "respondents": 4}


def test_benchmark_from_demo_assessments_says_its_figures_are_fictitious(client, version):
    """Computed from demo data (« (démo) » assessments of `seed_ptce --demo`), the community's
    figures say they are fictitious, on the page and in the radar's legend."""
    for value in (0, 1, 2):
        closed_assessment_scoring(version, value)
    for value in (3, 4):
        assessment = AssessmentFactory(version=version, title="Auto-évaluation croisée (démo)")
        answer_all(InvitationFactory(assessment=assessment), lambda code, v=value: v)
        close(assessment)
    result = benchmark(version)
    assert result["enough"] and result["demo"] == 2 and result["fictitious"]
    html = client.get("/referentiel/reperes/").content.decode()
    assert "Repères fictifs (démo)" in html
    assert "2 auto-évaluations de démonstration" in html
    assert "Médiane de la communauté (démo : chiffres fictifs)" in html


def test_benchmark_without_demo_data_uses_real_assessments_and_says_nothing_fictitious(
    client, version
):
    for value in (0, 1, 2, 3, 4):
        closed_assessment_scoring(version, value)
    result = benchmark(version)
    assert result["enough"] and result["demo"] == 0 and not result["fictitious"]
    html = client.get("/referentiel/reperes/").content.decode()
    assert "fictifs" not in html and "<svg" in html


def test_the_working_version_is_labelled_on_the_benchmark(client, version):
    assert version.is_working_version
    html = client.get("/referentiel/reperes/").content.decode()
    assert "version de travail" in html
