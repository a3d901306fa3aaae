"""The PDF of a validated signature is rendered once (when the validation commits, or by the
first download), then served from the cache."""

import pytest
from django.test import RequestFactory

from charter import services
from charter.models import Signature
from charter.pdf import signature_cache_key
from ptce_portal import pdf as house_pdf
from ptce_portal.cached_documents import document_cache

from .conftest import signature_data
from .factories import UserFactory

pytestmark = pytest.mark.django_db

SENTINEL = b"%PDF-1.7 served from the cache, not rendered"


def key_of(signature) -> str:
    signature = Signature.objects.get(pk=signature.pk)
    return signature_cache_key(signature, request=RequestFactory().get("/"))


def test_signed_pdf_is_cached_and_only_served_to_who_may_see_it(
    client, charter_version, coordinator, staff
):
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=coordinator.coordinated_pole
    )
    url = signature.get_pdf_url()
    client.force_login(coordinator)
    assert client.get(url).status_code == 404  # submitted, not validated: nothing cached
    services.signature_validate(signature=signature, by=staff)
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    key = key_of(signature)
    assert document_cache().get(key) == first.content
    document_cache().set(key, SENTINEL)
    assert client.get(url).content == SENTINEL  # a cache hit, no second rendering
    assert client.get(url)["Cache-Control"] == "private, no-store"

    # Permissions come first: the cached PDF never goes to someone else.
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(staff)
    assert client.get(url).content == SENTINEL

    # Withdrawn: no PDF any more, and its state is another key.
    services.signature_withdraw(signature=Signature.objects.get(pk=signature.pk), by=staff)
    assert client.get(url).status_code == 404
    assert key_of(signature) != key


def test_key_holds_status_and_validation_date(charter_version, coordinator, staff):
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=coordinator.coordinated_pole
    )
    services.signature_validate(signature=signature, by=staff)
    signature = Signature.objects.get(pk=signature.pk)
    key = key_of(signature)
    Signature.objects.filter(pk=signature.pk).update(
        validated_at=signature.validated_at.replace(year=signature.validated_at.year - 1)
    )
    assert key_of(signature) != key


@pytest.mark.django_db(transaction=True)
def test_a_validation_renders_the_signed_pdf_once_committed(
    client, charter_version, coordinator, staff, documents_in_postgresql, monkeypatch
):
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=coordinator.coordinated_pole
    )
    assert documents_in_postgresql.get(key_of(signature)) is None
    services.signature_validate(signature=signature, by=staff)  # its own transaction
    pdf = documents_in_postgresql.get(key_of(signature))
    assert pdf is not None and pdf.startswith(b"%PDF")

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(house_pdf, "_html_to_pdf", no_rendering)
    client.force_login(coordinator)
    response = client.get(signature.get_pdf_url())
    assert response.status_code == 200 and response.content == pdf
