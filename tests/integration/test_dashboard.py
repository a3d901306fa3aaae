""" "Mon espace" for people with nothing yet, on an empty database (no charter, referential
or event published): every panel copes, and so does the page. The seeded case is crawled by
test_robustness.py for a plain user, a coordinator and staff."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ptce_portal.contributions import contributions
from tests.factories import StaffFactory, UserFactory
from tests.poles.factories import PoleCoordinatorFactory

pytestmark = pytest.mark.django_db


def _panels() -> dict:
    """App label -> its Mon espace panel, in the page's order (ptce_portal.contributions)."""
    return {c.app_label: c.dashboard_panel for c in contributions() if c.dashboard_panel}


def panels_for(rf, user) -> dict:
    request = rf.get("/mon-espace/")
    request.user = user
    return {label: panel(request) for label, panel in _panels().items()}


def test_every_panel_is_configured():
    assert list(_panels()) == [
        "poles",
        "charter",
        "referential",
        "events",
        "observatory",
        "resources",
    ]
    for panel in _panels().values():
        assert callable(panel)


def test_anonymous_request_gets_no_panel(rf):
    assert panels_for(rf, AnonymousUser()) == dict.fromkeys(_panels())


def test_user_with_nothing(client, rf):
    user = UserFactory()
    panels = panels_for(rf, user)
    assert panels["referential"] is None
    assert panels["events"] is None
    poles = panels["poles"]
    assert poles["approved"] == poles["requested"] == poles["refused"] == []
    charter = panels["charter"]
    assert charter["signatures"] == [] and charter["version"] is None
    assert charter["pending_count"] is None
    client.force_login(user)
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_user_with_an_unverified_email(client):
    user = UserFactory(verified=False)
    client.force_login(user)
    assert client.get("/mon-espace/").status_code == 200


def test_user_without_names(client):
    user = UserFactory(first_name="", last_name="")
    client.force_login(user)
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    assert "Vous êtes connecté·e" in response.content.decode()


def test_staff_with_nothing(client, rf):
    staff = StaffFactory()
    panels = panels_for(rf, staff)
    assert panels["poles"]["staff_pending_requests"] == 0
    assert panels["poles"]["staff_pending_revisions"] == 0
    assert panels["charter"]["pending_count"] == 0
    client.force_login(staff)
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    assert "Ouvrir l'administration" in response.content.decode()


def test_coordinator_with_nothing_else(client, rf):
    """A pole, but no charter version, no referential version, no event."""
    coordination = PoleCoordinatorFactory(pole__name="Pôle sans rien")
    panels = panels_for(rf, coordination.user)
    assert [c.pole for c in panels["poles"]["approved"]] == [coordination.pole]
    client.force_login(coordination.user)
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    assert "Pôle sans rien" in response.content.decode()


def test_coordinator_whose_request_is_pending_or_refused(client):
    for status, name in (("requested", "Pôle demandé"), ("refused", "Pôle refusé")):
        coordination = PoleCoordinatorFactory(status=status, pole__name=name)
        client.force_login(coordination.user)
        response = client.get("/mon-espace/")
        assert response.status_code == 200
        assert name in response.content.decode()
