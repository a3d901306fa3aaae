"""The pages of the foundation: home, errors, maintenance, language, dashboard."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from portal import views
from tests.factories import UserFactory


@pytest.mark.django_db
def test_home_is_french_with_landmarks_and_entry_points(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'class="skip-link" href="#contenu"' in html
    for landmark in ('<header class="site-header"', '<main id="contenu"', "<footer"):
        assert landmark in html
    assert "Qu'est-ce qu'un PTCE ?" in html or "Qu&#x27;est-ce qu&#x27;un PTCE ?" in html
    assert "article 9" in html
    for href in ("/poles/", "/carte/", "/charte/", "/referentiel/", "/journees/"):
        assert f'href="{href}"' in html
    assert "Se connecter" in html
    assert "https://" not in "".join(
        line for line in html.splitlines() if "<script" in line or "stylesheet" in line
    ), "every asset must come from static/, no CDN"


@pytest.mark.django_db
def test_unknown_page_is_a_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html
    assert "Traceback" not in html


def test_server_error_page_is_french_and_standalone():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Une erreur est survenue" in html


@pytest.mark.django_db
def test_maintenance_mode_answers_503_in_french(client, settings):
    settings.MAINTENANCE_MODE = True
    response = client.get("/poles/")
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Maintenance en cours" in html
    settings.MAINTENANCE_MODE = False
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_language_switch_serves_the_page_in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Territorial Economic Cooperation Hubs" in html
    assert "Sign in" in html
    # And back to French.
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_ignores_an_unknown_language_and_foreign_next(client):
    response = client.post(
        "/i18n/setlang/", {"language": "xx", "next": "https://ailleurs.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Content-Language"] == "fr"


@pytest.mark.django_db
def test_dashboard_requires_login(client):
    response = client.get("/mon-espace/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/login/?next=/mon-espace/"
    user = UserFactory()
    client.force_login(user)
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    assert user.email in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/mentions-legales/", "/donnees-personnelles/"])
def test_footer_pages_exist(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    # Exits with status 1 (SystemExit) when a model lacks its migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_demo_staff_account_is_idempotent(capsys, demo_instance):
    from django.contrib.auth import get_user_model

    call_command("ensure_demo_staff")
    call_command("ensure_demo_staff")
    out = capsys.readouterr().out
    assert "equipe@labo-ess.example" in out and "demo-ptce-2014" in out
    user = get_user_model().objects.get(email="equipe@labo-ess.example")
    assert user.is_staff and user.check_password("demo-ptce-2014")
    assert user.emailaddress_set.get().verified


@pytest.mark.django_db
def test_demo_banner_only_when_the_setting_is_on(client, settings):
    banner = "Portail de démonstration"
    assert banner not in client.get("/").content.decode()
    settings.DEMO_BANNER = True
    page = client.get("/").content.decode()
    assert banner in page
    assert 'class="demo-banner" role="note"' in page
