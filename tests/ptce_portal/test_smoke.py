import pytest


@pytest.mark.django_db
def test_home_is_french(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
