import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from poles.models import Theme
from referential.seed import load_working_version
from resources import services
from resources.demo import tiny_pdf
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory


@pytest.fixture
def version(db):
    """The working version of the referential, loaded and published as by the seed."""
    return load_working_version()


@pytest.fixture
def objective(version):
    return version.principal_objectives.order_by("general__position", "position").first()


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


@pytest.fixture
def theme(db):
    return Theme.objects.create(name="Circuits courts", slug="circuits-courts", position=1)


def pdf_upload(name="guide.pdf", title="Guide de la coopération"):
    return SimpleUploadedFile(name, tiny_pdf(title), content_type="application/pdf")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def resource_data(**overrides) -> services.ResourceData:
    values = {
        "title": "Guide de la coopération économique",
        "kind": "document",
        "summary": "Comment des structures d'un territoire coopèrent.",
        "body": "Les étapes d'une coopération entre entreprises de l'ESS.",
        "licence": "cc-by-4.0",
    }
    values.update(overrides)
    return services.ResourceData(**values)


def published_resource(author, staff, **overrides):
    resource = services.resource_create(by=author, data=resource_data(**overrides))
    services.resource_submit(resource=resource, by=author)
    return services.resource_publish(resource=resource, by=staff)
