import io

import pytest

from poles import seed


@pytest.fixture
def seeded(db):
    """The shipped reference data and the 40 signatories of 19 September 2014."""
    seed.run(stdout=io.StringIO())


@pytest.fixture
def address_api(settings):
    """settings.ADDRESS_API_URL points at a local stand-in serving recorded responses."""
    from tests.poles import address_api as stand_in

    server = stand_in.start()
    settings.ADDRESS_API_URL = f"http://127.0.0.1:{server.server_port}/search/"
    yield server
    server.shutdown()
    server.server_close()
