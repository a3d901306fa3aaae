import pytest


@pytest.fixture
def address_api(settings):
    """settings.ADDRESS_API_URL points at a local stand-in serving recorded responses."""
    from tests.poles import address_api as stand_in

    server = stand_in.start()
    settings.ADDRESS_API_URL = f"http://127.0.0.1:{server.server_port}/geocodage/search"
    yield server
    server.shutdown()
    server.server_close()
