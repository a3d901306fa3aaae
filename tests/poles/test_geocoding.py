import pytest
from django.core.exceptions import ValidationError

from poles import geocoding, services
from poles.models import Pole, PoleCoordinator
from tests.factories import UserFactory
from tests.poles.factories import DepartmentFactory, FormerRegionFactory, PoleFactory, RegionFactory


@pytest.fixture
def lot(db):
    return DepartmentFactory(
        code="46",
        name="Lot",
        chef_lieu="Cahors",
        latitude=44.45,
        longitude=1.44,
        region=RegionFactory(code="occitanie", name="Occitanie"),
        former_region=FormerRegionFactory(code="ex-midi-pyrenees", name="Midi-Pyrénées"),
    )


pytestmark = pytest.mark.django_db


def test_street_address_is_exact(address_api):
    found = geocoding.locate(
        address="8 avenue des Thébaudières", postcode="44800", town="Saint-Herblain", departments=[]
    )
    assert found == (47.206478, -1.571943, False)
    assert "postcode" not in address_api.queries[0]


def test_town_only_is_approximate(address_api):
    assert geocoding.locate(address="", postcode="", town="Figeac", departments=[]) == (
        44.608611,
        2.031944,
        True,
    )


@pytest.mark.parametrize("town", ["zzzz introuvable", "panne", "illisible", "mauvaise", "ailleurs"])
def test_fallback_to_the_chef_lieu(lot, address_api, town):
    assert geocoding.locate(address="", postcode="", town=town, departments=[lot]) == (
        44.45,
        1.44,
        True,
    )


def test_slow_api_times_out_quickly(lot, address_api, monkeypatch):
    monkeypatch.setattr(geocoding, "TIMEOUT_SECONDS", 0.3)
    assert geocoding.locate(address="", postcode="", town="lent", departments=[lot])[2] is True


def test_unreachable_api(db, settings):
    settings.ADDRESS_API_URL = "http://127.0.0.1:9/search/"  # nothing listens on port 9
    assert geocoding.geocode("Figeac") is None


def test_disabled_api_uses_the_chef_lieu(lot):
    assert geocoding.locate(address="", postcode="", town="Figeac", departments=[lot]) == (
        44.45,
        1.44,
        True,
    )


def test_proposed_pole_is_geocoded(lot, address_api):
    user = UserFactory()
    pole = services.pole_propose(
        user=user,
        name="Pôle des fermes",
        town="Figeac",
        departments=[lot],
    )
    pole.refresh_from_db()
    assert (pole.latitude, pole.longitude, pole.coordinates_approximate) == (
        44.608611,
        2.031944,
        True,
    )
    assert pole.region.code == "occitanie" and pole.former_region.code == "ex-midi-pyrenees"
    assert not pole.is_published
    assert PoleCoordinator.objects.get(pole=pole).status == PoleCoordinator.Status.REQUESTED


def test_coordinates_outside_france_are_refused_with_a_clear_message(db):
    pole = PoleFactory.build(latitude=40.758, longitude=-73.985, slug="ny")
    with pytest.raises(ValidationError) as exc:
        pole.full_clean(exclude=["region", "former_region"])
    assert "hors de France" in str(exc.value)
    with pytest.raises(ValidationError, match="hors de France"):
        services.check_coordinates(51.5, -0.12)  # London
    services.check_coordinates(47.22, -1.55)  # Nantes is fine
    assert Pole.objects.filter(slug="ny").count() == 0
