"""The « Code source » link of every page (AGPL-3.0-or-later, section 13) and its page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_footer_links_to_the_source_code_page_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert f'<a href="{reverse("source_code")}">Code source</a>' in response.text

    page = client.get(reverse("source_code"))
    assert page.status_code == 200
    assert "GNU Affero" in page.text and "AGPL-3.0-or-later" in page.text
    assert "<dd>0.1.0</dd>" in page.text or "<dt>Version</dt>" in page.text
    assert "non renseigné" in page.text  # no repository declared yet
    # The full licence text, as the LICENSE file holds it.
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in page.text
    assert 'lang="en"' in page.text


def test_footer_links_to_the_repository_once_declared(client, settings):
    settings.SOURCE_CODE_URL = "https://forge.exemple.org/labo-ess/portail-ptce"
    response = client.get("/poles/")
    assert '<a href="https://forge.exemple.org/labo-ess/portail-ptce">Code source</a>' in (
        response.text
    )
    page = client.get(reverse("source_code"))
    assert 'href="https://forge.exemple.org/labo-ess/portail-ptce"' in page.text
    assert "non renseigné" not in page.text
