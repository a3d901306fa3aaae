"""Attachments: the type read from the content, the size bound, nothing stored on bad
input (no row, no file), the download view."""

import html
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from resources import services
from resources.models import MAX_ATTACHMENT_BYTES, Attachment, Resource

from .conftest import pdf_upload, png_bytes, published_resource, resource_data

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    found = []
    for directory, _dirs, names in os.walk(root):
        found.extend(os.path.join(directory, name) for name in names)
    return found


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "format_", "content_type"),
    [
        ("guide.pdf", None, "pdf", "application/pdf"),
        ("compte-rendu.odt", odt_bytes(), "odt", "application/vnd.oasis.opendocument.text"),
        (
            "statuts.DOCX",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.png", png_bytes(), "png", "image/png"),
    ],
)
def test_accepted_formats_are_read_from_the_content(
    coordinator, name, content, format_, content_type
):
    file = pdf_upload(name) if content is None else upload(name, content, "text/plain")
    resource = services.resource_create(by=coordinator, data=resource_data(), uploads=[file])
    attachment = resource.attachments.get()
    # The browser said text/plain: what counts is the content.
    assert (attachment.format, attachment.content_type) == (format_, content_type)
    assert attachment.original_name == name
    assert attachment.file.storage.exists(attachment.file.name)
    assert attachment.file.name.startswith("resources/")


CASES = {
    "forged pdf": (
        "rapport.pdf",
        b"%PDF-1.4\n<script>alert(1)</script>",
        "n'est pas un fichier accepté ou il est abîmé",
    ),
    "html named pdf": (
        "rapport.pdf",
        b"<html><body>hello</body></html>",
        "n'est pas un fichier accepté",
    ),
    "zip that is no document": ("notes.docx", None, "n'est pas un fichier accepté"),
    "pdf named docx": ("statuts.docx", "pdf", "mais son contenu est un fichier PDF"),
    "odt named pdf": ("compte-rendu.pdf", odt_bytes(), "mais son contenu est un fichier ODT"),
    "png named jpg": ("photo.jpg", png_bytes(), "renommez-le en « .png »"),
    "no extension": ("document", "pdf", "porte l'extension « .— »"),
    "empty": ("vide.pdf", b"", "est vide"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_files_get_a_french_message_and_store_nothing(coordinator, settings, case):
    name, content, message = CASES[case]
    if content == "pdf":
        file = pdf_upload(name)
    elif content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        file = upload(name, buffer.getvalue())
    else:
        file = upload(name, content, "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            by=coordinator, data=resource_data(), uploads=[pdf_upload("bon.pdf"), file]
        )
    assert message in " ".join(error.value.message_dict["attachments"])
    assert not Resource.objects.exists() and not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_a_file_over_10_mb_is_refused_before_anything_is_stored(coordinator, settings):
    big = upload("gros.pdf", b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES + b"\n%%EOF\n")
    with pytest.raises(ValidationError) as error:
        services.resource_create(by=coordinator, data=resource_data(), uploads=[big])
    assert "10 Mo au plus par fichier" in error.value.message_dict["attachments"][0]
    assert not Resource.objects.exists()
    assert _stored_files(settings) == []


def test_a_failure_after_the_file_was_stored_leaves_no_orphan_file(
    coordinator, settings, monkeypatch
):
    resource = services.resource_create(by=coordinator, data=resource_data())

    def broken_save(self, *args, **kwargs):
        raise IntegrityError("simulated failure after the file was written")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(IntegrityError):
        services.attachment_add(resource=resource, by=coordinator, uploads=[pdf_upload()])
    monkeypatch.undo()
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_at_most_ten_files_per_resource(coordinator):
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            by=coordinator,
            data=resource_data(),
            uploads=[pdf_upload(f"f{n}.pdf") for n in range(11)],
        )
    assert "10 fichiers au plus" in error.value.message_dict["attachments"][0]


def test_pictures_lose_their_metadata(coordinator):
    exif = Image.Exif()
    exif[0x010F] = "Appareil de Camille"  # Make
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 60)).save(out, format="JPEG", exif=exif.tobytes())
    assert b"Appareil de Camille" in out.getvalue()
    resource = services.resource_create(
        by=coordinator, data=resource_data(), uploads=[upload("photo.jpeg", out.getvalue())]
    )
    attachment = resource.attachments.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert b"Appareil de Camille" not in stored
    assert Image.open(io.BytesIO(stored)).size == (20, 10)


def test_the_form_shows_the_message_and_the_page_stores_nothing(coordinator_client, settings):
    response = coordinator_client.post(
        reverse("resources:create"),
        {
            "title": "Guide",
            "kind": "document",
            "summary": "Résumé",
            "licence": "cc-by-4.0",
            "attachments": [upload("guide.docx", b"%PDF-1.4 fake")],
        },
    )
    assert response.status_code == 400
    assert "n'est pas un fichier accepté" in html.unescape(response.content.decode())
    assert not Resource.objects.exists()
    assert _stored_files(settings) == []


def test_download_serves_the_file_with_its_type_and_name(client, coordinator, staff):
    resource = published_resource(coordinator, staff)
    services.attachment_add(
        resource=resource, by=staff, uploads=[pdf_upload("Guide « coopération ».pdf")]
    )
    attachment = resource.attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Guide%20%C2%AB%20coop%C3%A9ration%20%C2%BB.pdf"
        in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == attachment.size


def test_attachments_of_a_draft_are_for_its_author_and_staff(client, coordinator, staff_client):
    resource = services.resource_create(
        by=coordinator, data=resource_data(), uploads=[pdf_upload()]
    )
    url = resource.attachments.get().get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert staff_client.get(url).status_code == 200
    # An attachment asked under another resource's address does not exist.
    other = services.resource_create(by=coordinator, data=resource_data(title="Autre"))
    wrong = reverse(
        "resources:attachment", kwargs={"slug": other.slug, "pk": resource.attachments.get().pk}
    )
    assert client.get(wrong).status_code == 404


def test_removing_an_attachment_deletes_its_file_on_commit(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    resource = services.resource_create(
        by=coordinator, data=resource_data(), uploads=[pdf_upload()]
    )
    attachment = resource.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse(
                "resources:attachment_delete", kwargs={"slug": resource.slug, "pk": attachment.pk}
            )
        )
    assert response.status_code == 302
    assert not Attachment.objects.exists() and not storage.exists(name)
