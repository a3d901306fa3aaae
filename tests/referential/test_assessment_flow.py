import re

import pytest
from django.conf import settings
from django.utils import timezone

from referential import services
from referential.models import Answer, Assessment, Invitation
from referential.services import ReferentialError
from tests.factories import UserFactory
from tests.pdfs import assert_tagged_pdf
from tests.poles.factories import PoleCoordinatorFactory

from .factories import AssessmentFactory, InvitationFactory, close


@pytest.fixture
def assessment(version, pole, coordinator):
    return AssessmentFactory(version=version, pole=pole, opened_by=coordinator)


@pytest.fixture
def invitation(assessment):
    return InvitationFactory(assessment=assessment, category="ess")


def page_post(code_values: dict) -> dict:
    data = {}
    for code, (choice, comment) in code_values.items():
        data[f"q-{code}"] = choice
        data[f"c-{code}"] = comment
    return data


def test_coordinator_opens_an_assessment_and_invites(
    coordinator_client, version, pole, mailoutbox, django_capture_on_commit_callbacks
):
    response = coordinator_client.post(
        "/referentiel/evaluations/", {"pole": pole.pk, "title": "Auto-évaluation 2015"}
    )
    assessment = Assessment.objects.get(pole=pole)
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    assert assessment.version == version and assessment.is_open

    # A second open assessment for the same pole is refused with a message.
    response = coordinator_client.post("/referentiel/evaluations/", {"pole": pole.pk}, follow=True)
    assert "déjà ouverte" in response.content.decode()
    assert Assessment.objects.filter(pole=pole).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/referentiel/evaluations/{assessment.pk}/inviter/",
            {"emails": "Élu <Elus@Mairie.fr>", "category": "authority"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(assessment=assessment)
    assert (invitation.email, invitation.name) == ("elus@mairie.fr", "Élu")
    assert len(invitation.token) >= 40
    assert len(mailoutbox) == 1
    assert f"/referentiel/repondre/{invitation.token}/" in mailoutbox[0].body
    assert mailoutbox[0].subject == (
        f"[Portail PTCE] {pole.name} vous invite à son auto-évaluation"
    )  # one prefix, from the settings like every e-mail of the portal
    assert f"{settings.SITE_URL}/referentiel/repondre/{invitation.token}/" in mailoutbox[0].body
    assert mailoutbox[0].body.rstrip().endswith(settings.SITE_URL)
    # The questions are the working version's: the e-mail says so.
    assert "version de travail du référentiel" in mailoutbox[0].body

    # Several at once, one per line, blank lines and a repeated line ignored; the address
    # already invited gets a clear message on the same page, never a 400, and no second
    # invitation nor e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/referentiel/evaluations/{assessment.pk}/inviter/",
            {
                "emails": "ELUS@mairie.fr\n\n  scic@bray.fr \nCCI Oise <cci@oise.fr>\nscic@bray.fr",
                "category": "ess",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert response.redirect_chain == [(assessment.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "2 invitations envoyées : scic@bray.fr, cci@oise.fr." in html
    assert "elus@mairie.fr est déjà invité·e à cette auto-évaluation" in html
    assert sorted(
        Invitation.objects.filter(assessment=assessment).values_list("email", flat=True)
    ) == [
        "cci@oise.fr",
        "elus@mairie.fr",
        "scic@bray.fr",
    ]
    assert Invitation.objects.get(email="elus@mairie.fr").category == "authority"
    assert len(mailoutbox) == 3

    # Only addresses already invited: a message, nothing else.
    response = coordinator_client.post(
        f"/referentiel/evaluations/{assessment.pk}/inviter/",
        {"emails": "elus@mairie.fr", "category": "authority"},
        follow=True,
    )
    assert response.status_code == 200
    assert "déjà invité·e" in response.content.decode()
    assert Invitation.objects.filter(assessment=assessment).count() == 3

    # A malformed line: the form comes back as typed, naming the line; nothing is created.
    response = coordinator_client.post(
        f"/referentiel/evaluations/{assessment.pk}/inviter/",
        {"emails": "nouvelle@exemple.fr\npas-une-adresse", "category": "ess"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ligne 2 (« pas-une-adresse »)" in html and "nouvelle@exemple.fr" in html
    assert Invitation.objects.filter(assessment=assessment).count() == 3


def test_only_coordinators_open_assessments(client, version, pole):
    client.force_login(UserFactory())
    response = client.get("/referentiel/evaluations/")
    assert "ne coordonnez aucun pôle" in response.content.decode()
    response = client.post("/referentiel/evaluations/", {"pole": pole.pk})
    assert response.status_code == 200  # the form refuses a pole the user does not coordinate
    assert not Assessment.objects.exists()


def test_respondent_answers_page_by_page_and_resumes(client, invitation):
    token = invitation.token
    home = client.get(f"/referentiel/repondre/{token}/")
    assert home.status_code == 200
    assert "0/36" in home.content.decode()

    page = client.get(f"/referentiel/repondre/{token}/partie-1/")
    assert page.status_code == 200
    # The questionnaire says its questions are the working version's.
    assert "version de travail" in home.content.decode()
    assert "version de travail" in page.content.decode()
    assert page.content.decode().count('type="radio"') == 12 * 6

    response = client.post(
        f"/referentiel/repondre/{token}/partie-1/",
        page_post(
            {"1.1.1": ("3", "Diagnostic partagé en 2013"), "1.1.2": ("ns", ""), "1.1.3": ("", "")}
        ),
    )
    assert response.status_code == 302
    assert Answer.objects.filter(invitation=invitation).count() == 2
    assert Answer.objects.get(invitation=invitation, indicator__code="1.1.2").dont_know

    # Coming back later with the same link: answers are there, progress is 2/36.
    page = client.get(f"/referentiel/repondre/{token}/partie-1/").content.decode()
    assert re.search(r'id="q-1\.1\.1-3"\s+value="3"\s+checked', page)
    assert "Diagnostic partagé en 2013" in page
    assert "2/36" in page

    # Change an answer; "Enregistrer et continuer" goes to part 2.
    response = client.post(
        f"/referentiel/repondre/{token}/partie-1/",
        {**page_post({"1.1.1": ("4", "")}), "next": ""},
    )
    assert response["Location"].endswith("/partie-2/#contenu")
    answer = Answer.objects.get(invitation=invitation, indicator__code="1.1.1")
    assert (answer.value, answer.comment) == (4, "")


def test_autosave_one_question(client, invitation):
    url = f"/referentiel/repondre/{invitation.token}/enregistrer/"
    response = client.post(url, {"code": "2.3.1", "choice": "1", "comment": "Aucune formation"})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "answered": 1, "total": 36}
    response = client.post(url, {"code": "2.3.1", "choice": "7"})
    assert response.status_code == 400
    assert "hors de l'échelle" in response.json()["error"]
    assert Answer.objects.get(invitation=invitation).value == 1


@pytest.mark.parametrize("bad", ["5", "-1", "2.5", "beaucoup"])
def test_answer_outside_the_scale_saves_nothing(client, invitation, bad):
    response = client.post(
        f"/referentiel/repondre/{invitation.token}/partie-1/",
        page_post({"1.1.1": ("2", ""), "1.1.2": (bad, "")}),
    )
    assert response.status_code == 400
    assert "Rien n" in response.content.decode() and "hors de l" in response.content.decode()
    assert not Answer.objects.filter(invitation=invitation).exists()


def test_unknown_question_code_saves_nothing(client, invitation):
    url = f"/referentiel/repondre/{invitation.token}/enregistrer/"
    response = client.post(url, {"code": "9.9.9", "choice": "2"})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_database_refuses_a_value_off_the_scale(invitation, version):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(invitation=invitation, indicator=version.indicators.first(), value=5)


def test_closed_assessment_refuses_answers(client, invitation, assessment):
    close(assessment)
    response = client.post(
        f"/referentiel/repondre/{invitation.token}/partie-1/", page_post({"1.1.1": ("2", "")})
    )
    assert response.status_code == 400
    assert "clôturée" in response.content.decode()
    assert not Answer.objects.exists()
    page = client.get(f"/referentiel/repondre/{invitation.token}/partie-1/").content.decode()
    assert "disabled" in page and "Enregistrer et continuer" not in page
    response = client.post(
        f"/referentiel/repondre/{invitation.token}/enregistrer/", {"code": "1.1.1", "choice": "2"}
    )
    assert response.status_code == 400


def test_expired_revoked_and_unknown_links(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(f"/referentiel/repondre/{invitation.token}/")
    assert response.status_code == 410 and "expiré" in response.content.decode()
    response = client.post(
        f"/referentiel/repondre/{invitation.token}/partie-1/", page_post({"1.1.1": ("2", "")})
    )
    assert response.status_code == 410
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timezone.timedelta(days=1), revoked_at=timezone.now()
    )
    response = client.get(f"/referentiel/repondre/{invitation.token}/partie-2/")
    assert response.status_code == 410 and "révoqué" in response.content.decode()
    assert client.get("/referentiel/repondre/pas-un-vrai-jeton/").status_code == 404
    assert not Answer.objects.exists()


def test_link_claimed_by_an_account_cannot_be_reused(client, invitation):
    owner = UserFactory(email=invitation.email)
    client.force_login(owner)
    client.get(f"/referentiel/repondre/{invitation.token}/")
    invitation.refresh_from_db()
    assert invitation.user == owner  # same address: attached automatically

    client.logout()
    response = client.get(f"/referentiel/repondre/{invitation.token}/partie-1/")
    assert response.status_code == 403
    assert "déjà rattaché à un compte" in response.content.decode()
    client.force_login(UserFactory())
    response = client.post(
        f"/referentiel/repondre/{invitation.token}/partie-1/", page_post({"1.1.1": ("2", "")})
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_resend_extends_and_revoke_blocks(
    coordinator_client, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(f"/referentiel/invitations/{invitation.pk}/renvoyer/")
    invitation.refresh_from_db()
    assert not invitation.is_expired and invitation.send_count == 2 and len(mailoutbox) == 1
    coordinator_client.post(f"/referentiel/invitations/{invitation.pk}/revoquer/")
    invitation.refresh_from_db()
    assert invitation.is_revoked


def test_invitation_services_check_the_manager_and_the_revocation(
    invitation, assessment, coordinator
):
    stranger = PoleCoordinatorFactory().user  # coordinates another pole
    for action in (services.invitation_resend, services.invitation_revoke):
        with pytest.raises(ReferentialError, match="Seuls les coordinateurs"):
            action(invitation=invitation, by=stranger)
    services.invitation_revoke(invitation=invitation, by=coordinator)
    with pytest.raises(ReferentialError, match="révoquée"):
        services.invitation_resend(invitation=invitation, by=coordinator)
    close(assessment)
    with pytest.raises(ReferentialError, match="clôturée"):
        services.invitation_revoke(invitation=invitation, by=coordinator)


def test_foreign_pole_assessment_is_out_of_reach(client, assessment, invitation, version):
    other = PoleCoordinatorFactory().user  # coordinates another pole
    client.force_login(other)
    pk = assessment.pk
    assert client.get(f"/referentiel/evaluations/{pk}/").status_code == 404
    assert client.get(f"/referentiel/evaluations/{pk}/resultats/").status_code == 404
    assert client.get(f"/referentiel/evaluations/{pk}/rapport.pdf").status_code == 404
    assert (
        client.post(
            f"/referentiel/evaluations/{pk}/inviter/", {"emails": "x@y.fr", "category": "ess"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/referentiel/evaluations/{pk}/cloturer/", {"confirm": "on"}).status_code
        == 404
    )
    assert client.post(f"/referentiel/invitations/{invitation.pk}/revoquer/").status_code == 404
    assessment.refresh_from_db()
    invitation.refresh_from_db()
    assert assessment.is_open and not invitation.is_revoked
    assert Invitation.objects.count() == 1


def test_close_needs_confirmation_then_freezes(coordinator_client, assessment):
    response = coordinator_client.post(f"/referentiel/evaluations/{assessment.pk}/cloturer/", {})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_open
    response = coordinator_client.post(
        f"/referentiel/evaluations/{assessment.pk}/cloturer/", {"confirm": "on"}
    )
    assert response["Location"] == f"/referentiel/evaluations/{assessment.pk}/resultats/"
    assessment.refresh_from_db()
    assert not assessment.is_open and assessment.closed_at
    response = coordinator_client.post(
        f"/referentiel/evaluations/{assessment.pk}/inviter/",
        {"emails": "tard@exemple.fr", "category": "ess"},
    )
    assert response.status_code == 200 and "clôturée" in response.content.decode()
    assert not Invitation.objects.filter(email="tard@exemple.fr").exists()


def test_results_visible_to_coordinators_and_respondents_only(client, assessment, invitation):
    url = f"/referentiel/evaluations/{assessment.pk}/resultats/"
    assert client.get(url).status_code == 302  # anonymous: login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    respondent = UserFactory(email=invitation.email)
    Invitation.objects.filter(pk=invitation.pk).update(user=respondent)
    client.force_login(respondent)
    assert client.get(url).status_code == 200
    # Through the personal link, once closed.
    client.logout()
    token_url = f"/referentiel/repondre/{invitation.token}/resultats/"
    client.force_login(respondent)
    assert client.get(token_url).status_code == 302  # still open: back to the summary
    close(assessment)
    response = client.get(token_url)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_dashboard_panel(client, assessment, invitation, coordinator):
    respondent = UserFactory(email=invitation.email)
    client.force_login(respondent)
    html = client.get("/mon-espace/").content.decode()
    assert "En attente de vos réponses" in html and assessment.pole.name in html
    client.force_login(coordinator)
    html = client.get("/mon-espace/").content.decode()
    assert "Auto-évaluations de mes pôles" in html


def test_pdf_report(coordinator_client, assessment, invitation, tmp_path):
    import subprocess

    Answer.objects.create(
        invitation=invitation,
        indicator=assessment.version.indicators.get(code="1.1.1"),
        value=3,
        comment="Un commentaire du pôle",
    )
    response = coordinator_client.get(f"/referentiel/evaluations/{assessment.pk}/rapport.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_tagged_pdf(response.content, title=assessment.pole.name)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert assessment.pole.name in text
    assert "Un commentaire du pôle" in text


def test_a_forwarded_link_is_claimed_only_by_the_account_of_the_invited_address(client, invitation):
    """claim=1 from any signed-in account used to attach the invitation to it: the invitee
    was locked out and the other account saw the results."""
    url = f"/referentiel/repondre/{invitation.token}/"
    other = UserFactory()
    client.force_login(other)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="claim"' not in page.text  # not offered
    assert "seul le compte de l'adresse invitée" in page.text
    response = client.post(url, {"claim": "1"}, follow=True)
    assert "envoyée à une autre adresse" in response.text
    invitation.refresh_from_db()
    assert invitation.user is None
    with pytest.raises(ReferentialError, match="autre adresse"):
        services.invitation_claim(invitation=invitation, user=other)

    # An unverified extra address of the account is not enough…
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=other, email=invitation.email.upper(), verified=False)
    with pytest.raises(ReferentialError):
        services.invitation_claim(invitation=invitation, user=other)
    # …once verified (any case), the account is the invitee's: the link is claimed.
    EmailAddress.objects.filter(user=other).update(verified=True)
    page = client.get(url)
    invitation.refresh_from_db()
    assert invitation.user == other
    assert "rattachée à votre compte" in page.text


def test_an_invited_name_holding_a_link_is_refused(coordinator_client, assessment, mailoutbox):
    """The name typed by the coordinator greets the invitee in the portal's e-mail."""
    response = coordinator_client.post(
        f"/referentiel/evaluations/{assessment.pk}/inviter/",
        {"emails": "Élu, voir arnaque.fr <elu@mairie.fr>", "category": "authority"},
    )
    assert "Un nom ne peut contenir ni adresse web ni adresse e-mail." in response.text
    assert not Invitation.objects.exists() and not mailoutbox
