import pytest

from referential.seed import load_working_version
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory


@pytest.fixture
def version(db):
    """The working version of the referential, loaded and published as by the seed."""
    return load_working_version()


@pytest.fixture
def pole(db):
    return PoleFactory(name="Pôle Coopération des Lacs")


@pytest.fixture
def coordinator(pole):
    return PoleCoordinatorFactory(pole=pole).user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client
