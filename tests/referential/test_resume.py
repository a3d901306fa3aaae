"""The respondent's summary: one start button, resuming at the first unanswered question
with the missing ones marked, and a clear "done" state at 36/36."""

import pytest

from referential.models import Answer

from .factories import AssessmentFactory, InvitationFactory, answer_all


@pytest.fixture
def invitation(version, pole, coordinator):
    assessment = AssessmentFactory(version=version, pole=pole, opened_by=coordinator)
    return InvitationFactory(assessment=assessment, category="ess")


def test_not_started_one_start_button(client, invitation):
    html = client.get(f"/referentiel/repondre/{invitation.token}/").text
    assert html.count(">Commencer<") == 1
    assert "Reprendre" not in html and "Merci, vos 36 réponses" not in html
    # The start button saves the category and opens the first question.
    response = client.post(f"/referentiel/repondre/{invitation.token}/", {"category": "enterprise"})
    assert response["Location"].endswith("/partie-1/#question-1.1.1")


def test_resume_at_the_first_unanswered_question_with_the_missing_ones_marked(client, invitation):
    # Everything answered but 2.1.3 and 3.2.2 (part 1 complete).
    answer_all(invitation, lambda code: None if code in {"2.1.3", "3.2.2"} else 2)
    html = client.get(f"/referentiel/repondre/{invitation.token}/").text
    assert "34/36" in html
    assert "Reprendre à la question 2.1.3" in html
    assert f'href="/referentiel/repondre/{invitation.token}/partie-2/#question-2.1.3"' in html
    assert "2 questions restent sans réponse" in html
    assert ">Commencer<" not in html  # one start button only

    page = client.get(f"/referentiel/repondre/{invitation.token}/partie-2/").text
    assert 'id="question-2.1.3"' in page
    assert page.count("question missing") == 1
    assert page.count("missing-badge") == 1
    part1 = client.get(f"/referentiel/repondre/{invitation.token}/partie-1/").text
    assert "question missing" not in part1

    # The category form of a started respondent goes back to where they were.
    response = client.post(f"/referentiel/repondre/{invitation.token}/", {"category": "ess"})
    assert response["Location"].endswith("/partie-2/#question-2.1.3")


def test_a_comment_alone_is_not_an_answer(client, invitation):
    answer_all(invitation, lambda code: None if code == "1.2.1" else 3)
    Answer.objects.create(
        invitation=invitation,
        indicator=invitation.assessment.version.indicators.get(code="1.2.1"),
        comment="Je ne sais pas quoi répondre",
    )
    html = client.get(f"/referentiel/repondre/{invitation.token}/").text
    assert "Reprendre à la question 1.2.1" in html


def test_done_state_at_36(client, invitation):
    answer_all(invitation, lambda code: 4)
    html = client.get(f"/referentiel/repondre/{invitation.token}/").text
    assert "Merci, vos 36 réponses sont enregistrées." in html
    assert "Vous pouvez les modifier jusqu&#x27;à la clôture" in html or (
        "Vous pouvez les modifier jusqu'à la clôture" in html
    )
    assert "Reprendre" not in html and ">Commencer<" not in html
    assert "Revoir mes réponses" in html
    page = client.get(f"/referentiel/repondre/{invitation.token}/partie-3/").text
    assert "question missing" not in page
    response = client.post(f"/referentiel/repondre/{invitation.token}/", {"category": "ess"})
    assert response["Location"] == f"/referentiel/repondre/{invitation.token}/"
