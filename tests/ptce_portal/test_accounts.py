"""allauth journeys: signup, e-mail verification, logout, login, password reset (French)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.factories import DEFAULT_PASSWORD, UserFactory

PASSWORD = "Coop-Territoire-2014"


def link_in(body: str, path_prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s]+)", body)
    assert match, f"no {path_prefix} link in:\n{body}"
    return match.group(1)


def is_logged_in(client) -> bool:
    return client.get("/mon-espace/").status_code == 200


@pytest.mark.django_db
def test_signup_verify_logout_login(client, mailoutbox, django_capture_on_commit_callbacks):
    page = client.get("/compte/signup/").content.decode()
    assert "Pourquoi un compte ?" in page
    assert 'name="email"' in page and 'name="password1"' in page

    with django_capture_on_commit_callbacks(execute=True):  # account e-mails: on commit
        response = client.post(
            "/compte/signup/",
            {"email": "Claire.Martin@Exemple.fr", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    assert not is_logged_in(client), "verification is mandatory before any login"

    user = get_user_model().objects.get()
    assert user.email == "claire.martin@exemple.fr"  # allauth stores addresses in lower case
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["claire.martin@exemple.fr"]
    assert mail.subject == "[Portail PTCE] Confirmez votre adresse e-mail pour activer votre compte"
    assert "Pour confirmer cette adresse, ouvrez ce lien" in mail.body
    assert mail.from_email == "Portail PTCE <ne-pas-repondre@ptce.example>"

    # Following the link confirms the address and signs in: no page with a button between.
    confirm_path = link_in(mail.body, "/compte/confirm-email/")
    response = client.get(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == "/mon-espace/"
    assert EmailAddress.objects.get(user=user).verified
    assert is_logged_in(client)

    response = client.post("/compte/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert not is_logged_in(client)

    response = client.post(
        "/compte/login/", {"login": "claire.martin@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    assert is_logged_in(client)


@pytest.mark.django_db
def test_signup_errors_are_french_and_create_nothing(client, mailoutbox):
    response = client.post(
        "/compte/signup/",
        {"email": "nouveau@exemple.fr", "password1": "court", "password2": "court"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce mot de passe est trop court." in html
    assert 'aria-invalid="true" aria-describedby="id_password1_helptext id_password1_error"' in html
    assert get_user_model().objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_signup_with_a_taken_address_does_not_reveal_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="deja@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compte/signup/",
            {"email": "deja@exemple.fr", "password1": PASSWORD, "password2": PASSWORD},
        )
    # Same answer as a real signup; the owner of the address is told by e-mail.
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    assert get_user_model().objects.count() == 1
    assert [m.to for m in mailoutbox] == [["deja@exemple.fr"]]


@pytest.mark.django_db
def test_wrong_password_is_refused_in_french(client):
    UserFactory(email="coordination@exemple.fr")
    response = client.post(
        "/compte/login/", {"login": "coordination@exemple.fr", "password": "pas-le-bon"}
    )
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_password_reset_by_email(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="coordination@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/password/reset/", {"email": "coordination@exemple.fr"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[Portail PTCE] Réinitialisation de votre mot de passe"
    assert "Pour choisir un nouveau mot de passe, ouvrez ce lien" in mail.body

    key_path = link_in(mail.body, "/compte/password/reset/key/")
    response = client.get(key_path)  # allauth moves the key into the session
    assert response.status_code == 302
    form_path = response["Location"]
    new = "Nouveau-Pole-2026"
    response = client.post(form_path, {"password1": new, "password2": new})
    assert response.status_code == 302

    assert client.login(email="coordination@exemple.fr", password=new)
    assert not client.login(email="coordination@exemple.fr", password=DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/password/reset/", {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert all("/compte/password/reset/key/" not in m.body for m in mailoutbox)
