"""The maintenance switch staff flip in the admin: every visitor gets the French 503 page,
staff keep the portal and the admin to switch it off (make scale-check proves it across two
instances)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from ptce_portal.models import MaintenanceSwitch
from ptce_portal.selectors import MAINTENANCE_CACHE_KEY, maintenance_enabled
from ptce_portal.services import set_maintenance
from tests.factories import UserFactory

SWITCH = "/admin/ptce_portal/maintenanceswitch/1/change/"

pytestmark = pytest.mark.django_db


def test_the_switch_exists_after_migrate_and_is_off():
    assert MaintenanceSwitch.objects.get().enabled is False
    assert maintenance_enabled() is False


def test_staff_switch_it_on_and_off_in_the_admin(
    client, staff_client, staff, django_capture_on_commit_callbacks
):
    assert staff_client.get(SWITCH).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(SWITCH, {"enabled": "on", "_save": "Enregistrer"})
    assert response.status_code == 302
    switch = MaintenanceSwitch.objects.get()
    assert switch.enabled and switch.changed_by == staff
    assert cache.get(MAINTENANCE_CACHE_KEY) is True  # every instance reads it from there

    for path in ("/", "/poles/", "/mon-espace/"):
        page = client.get(path)
        assert page.status_code == 503, path
        assert page["Retry-After"] == "600"
        html = page.content.decode()
        assert '<html lang="fr">' in html and "Maintenance en cours" in html
    assert client.get("/sante/").status_code == 200
    assert client.get("/compte/login/").status_code == 200  # staff can sign in
    # Staff keep the portal and the admin.
    assert staff_client.get("/").status_code == 200
    assert staff_client.get("/admin/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(SWITCH, {"_save": "Enregistrer"}).status_code == 302
    assert MaintenanceSwitch.objects.get().enabled is False
    assert client.get("/poles/").status_code == 200


def test_a_signed_in_non_staff_account_gets_the_503_and_cannot_flip_it(client):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        set_maintenance(by=user, enabled=True)
    assert MaintenanceSwitch.objects.get().enabled is False
    client.force_login(user)
    assert client.post(SWITCH, {"enabled": "on"}).status_code in (302, 403)
    assert MaintenanceSwitch.objects.get().enabled is False


def test_a_change_made_elsewhere_is_read_from_the_database_once_the_cache_expires(client):
    assert maintenance_enabled() is False  # now in the cache
    MaintenanceSwitch.objects.filter(pk=1).update(enabled=True)  # as another instance's write
    assert maintenance_enabled() is False  # the cached value, for at most a few seconds
    cache.delete(MAINTENANCE_CACHE_KEY)  # expired
    assert maintenance_enabled() is True
    assert client.get("/").status_code == 503
