"""Respondents in confidence: no breakdown of answers (minimum and maximum, spread,
divergences, a comment's category) before 3 people have answered, and never the category
of a comment when that category counts one respondent. The respondent's page says so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referential import report
from referential.models import Answer

from .factories import AssessmentFactory, InvitationFactory, answer_all, close


@pytest.fixture
def assessment(version, pole, coordinator):
    return AssessmentFactory(version=version, pole=pole, opened_by=coordinator)


def respond(assessment, category, value, comment=""):
    invitation = InvitationFactory(assessment=assessment, category=category)
    answer_all(invitation, lambda code: value)
    if comment:
        Answer.objects.filter(invitation=invitation, indicator__code="1.1.1").update(
            comment=comment
        )
    return invitation


def test_two_respondents_show_no_breakdown(coordinator_client, assessment):
    respond(assessment, "ess", 1, "Le seul avis ESS")
    respond(assessment, "enterprise", 4, "Le seul avis entreprise")
    results = report.assessment_results(assessment)
    assert results["respondents_answered"] == 2 and not results["breakdown"]
    rows = [r for p in results["principals"] for r in p.indicators]
    assert all(r.low is None and r.high is None and r.stddev is None for r in rows)
    assert all(r.mean == 2.5 for r in rows)  # the scores remain
    assert results["divergent"] == []
    assert [c for r in rows for c in r.comments] == [
        (None, "Le seul avis ESS"),
        (None, "Le seul avis entreprise"),
    ]

    html = coordinator_client.get(f"/referentiel/evaluations/{assessment.pk}/resultats/").text
    assert "Min – max" not in html and "Écart-type" not in html
    assert "1 – 4" not in html
    assert "ne sont montrés qu'à partir de 3 répondant·es" in html
    assert "Le seul avis ESS" in html
    assert "— autre entreprise" not in html
    assert "regards divergents</span>" not in html  # no divergence badge on any row


def test_three_respondents_show_the_breakdown_but_never_a_category_of_one(
    coordinator_client, assessment
):
    respond(assessment, "ess", 0, "Avis ESS A")
    respond(assessment, "ess", 2, "Avis ESS B")
    respond(assessment, "enterprise", 4, "Avis de l'unique entreprise")
    results = report.assessment_results(assessment)
    assert results["breakdown"]
    row = results["principals"][0].indicators[0]
    assert (row.low, row.high) == (0, 4) and row.stddev
    assert results["divergent"]
    ess_label = next(c["label"] for c in results["categories"] if c["code"] == "ess")
    assert set(row.comments) == {
        (None, "Avis de l'unique entreprise"),
        (ess_label, "Avis ESS A"),
        (ess_label, "Avis ESS B"),
    }

    html = coordinator_client.get(f"/referentiel/evaluations/{assessment.pk}/resultats/").text
    assert "Min – max" in html and "0 – 4" in html
    assert "ne sont montrés qu'à partir de" not in html


def test_the_pdf_follows_the_same_rule(coordinator_client, assessment, tmp_path):
    import subprocess

    respond(assessment, "ess", 1, "Avis ESS")
    respond(assessment, "enterprise", 3)
    close(assessment)
    response = coordinator_client.get(f"/referentiel/evaluations/{assessment.pk}/rapport.pdf")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Avis ESS" in text
    assert "Min–max" not in text and "1–3" not in text
    assert "partir de 3 répondant·es" in " ".join(text.split())


def test_the_respondent_page_says_what_is_shown(client, assessment):
    invitation = InvitationFactory(assessment=assessment)
    html = client.get(f"/referentiel/repondre/{invitation.token}/").text
    assert "Tant que moins de 3 personnes ont répondu" in html
    assert "jamais indiquée si vous êtes seul·e de votre catégorie" in html


def test_results_query_count_does_not_grow_with_respondents(coordinator_client, assessment):
    url = f"/referentiel/evaluations/{assessment.pk}/resultats/"
    respond(assessment, "ess", 1, "un")
    respond(assessment, "ess", 2, "deux")
    respond(assessment, "enterprise", 3, "trois")
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get(url).status_code == 200
    for n in range(5):
        respond(assessment, "authority", n % 5, f"avis {n}")
    with CaptureQueriesContext(connection) as many:
        assert coordinator_client.get(url).status_code == 200
    assert len(many) == len(few)
