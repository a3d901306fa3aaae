import pytest

from charter.seed import seed_version_1
from charter.services import SignatureData
from tests.poles.conftest import address_api  # noqa: F401 (the address API stand-in)

from .factories import PoleCoordinatorFactory, UserFactory


@pytest.fixture
def charter_version(db):
    """Version 1 of the charter: the 2014 text, current."""
    return seed_version_1()


@pytest.fixture
def coordinator(db):
    """A user with a verified e-mail who coordinates one published pole."""
    coordination = PoleCoordinatorFactory(
        user=UserFactory(first_name="Camille", last_name="Durand"),
        pole__name="Pôle Coopération Rhône",
        pole__status="engaged",
    )
    user = coordination.user
    user.coordinated_pole = coordination.pole
    return user


def _typed_details(user) -> dict:
    """What the signatory types about the pole and themself (service data and form alike)."""
    return {
        "pole_address": "12 rue de la Coopération",
        "pole_postcode": "69001",
        "pole_town": "Lyon",
        "pole_website": "https://pole-cooperation-rhone.exemple.org",
        "representative_last_name": user.last_name or "Durand",
        "representative_first_name": user.first_name or "Camille",
        "representative_email": user.email,
        "representative_phone": "04 72 00 00 00",
        "stage": "constituted",
    }


def signature_data(user, **overrides) -> SignatureData:
    values = {
        **_typed_details(user),
        "commitment_build": True,
        "commitment_community": True,
        "place": "Lyon",
        "signature_name": "Camille Durand",
        "consent_publication": True,
    }
    values.update(overrides)
    return SignatureData(**values)


def form_data(user, pole="nouveau", **overrides) -> dict:
    data = {
        "pole": str(pole),
        "new_pole_name": "",
        **_typed_details(user),
        "commitment_build": "on",
        "commitment_community": "on",
        "place": "",  # « Fait à » defaults to the pole's town
        "consent_publication": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
