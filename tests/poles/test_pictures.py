"""A coordinator adds the pole's logo and photo (re-encoded, alt text required); they show on
the pole page, the directory card and the map's points; a bad file is refused in French and
nothing is stored."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from poles import services
from poles.models import Pole
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

pytestmark = pytest.mark.django_db


def png(size=(400, 300), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 90, 200) if mode == "RGBA" else (10, 120, 90)).save(
        out, format="PNG"
    )
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 12.0, 30.0), 3: "W", 4: (1.0, 33.0, 12.0)}
    exif[0x0131] = "Logiciel secret"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 90, 200)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def pole(db):
    return PoleFactory(name="Pôle aux images", slug="pole-aux-images")


@pytest.fixture
def coordinator_client(client, pole):
    user = UserFactory()
    PoleCoordinatorFactory(pole=pole, user=user)
    client.force_login(user)
    return client


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post(client, pole, kind, data, **extra):
    return client.post(
        f"/poles/{pole.slug}/images/", {"kind": kind, "action": "save", **data}, **extra
    )


def test_a_coordinator_adds_a_logo_and_a_photo_shown_everywhere(
    coordinator_client, pole, settings, client
):
    assert coordinator_client.get(f"/poles/{pole.slug}/images/").status_code == 200
    response = post(
        coordinator_client,
        pole,
        "logo",
        {
            "logo-image": SimpleUploadedFile("logo.png", png(), "image/png"),
            "logo-alt": "Logo du pôle aux images",
        },
    )
    assert response.status_code == 302
    response = post(
        coordinator_client,
        pole,
        "photo",
        {
            "photo-image": SimpleUploadedFile("vacances.jpg", jpeg_with_gps(), "image/jpeg"),
            "photo-alt": "L'équipe du pôle devant ses locaux",
        },
    )
    assert response.status_code == 302
    pole.refresh_from_db()
    assert pole.logo.name.startswith("poles/pole-aux-images-logo-")
    assert pole.logo.name.endswith(".png") and pole.photo.name.endswith(".jpg")
    stored_photo = pole.photo.read()
    assert b"Logiciel secret" not in stored_photo
    with Image.open(io.BytesIO(stored_photo)) as image:
        assert not image.getexif()
    assert len(media_files(settings)) == 2

    page = client.get(f"/poles/{pole.slug}/").content.decode()
    assert f'src="{pole.logo.url}" alt="Logo du pôle aux images"' in page
    assert f'src="{pole.photo.url}" alt="L&#x27;équipe du pôle devant ses locaux"' in page
    card = client.get("/poles/").content.decode()
    assert f'src="{pole.logo.url}"' in card
    feature = json.loads(client.get("/carte/points.geojson").content)["features"][0]
    assert feature["properties"]["l"] == pole.logo.url
    assert feature["properties"]["la"] == "Logo du pôle aux images"


def test_replacing_and_removing_a_picture_removes_the_old_file(
    coordinator_client, pole, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(
            coordinator_client,
            pole,
            "logo",
            {"logo-image": SimpleUploadedFile("a.png", png(), "image/png"), "logo-alt": "Logo"},
        )
    first = media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        post(
            coordinator_client,
            pole,
            "logo",
            {"logo-image": SimpleUploadedFile("b.png", png(), "image/png"), "logo-alt": "Logo"},
        )
    second = media_files(settings)
    assert len(first) == len(second) == 1 and first != second
    # The text alone can change without a new file.
    response = post(coordinator_client, pole, "logo", {"logo-alt": "Logo de l'association"})
    assert response.status_code == 302
    pole.refresh_from_db()
    assert pole.logo_alt == "Logo de l'association" and media_files(settings) == second
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/poles/{pole.slug}/images/", {"kind": "logo", "action": "remove"}
        )
    assert response.status_code == 302
    pole.refresh_from_db()
    assert not pole.logo and pole.logo_alt == "" and media_files(settings) == []


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "logo.png", "n&#x27;est pas une image"),
        (b"%PDF-1.4 not an image", "logo.jpg", "n&#x27;est pas une image"),
        (png() + b"\0" * (5 * 1024 * 1024), "lourd.png", "5 Mo au plus"),
    ],
)
def test_a_bad_file_gets_a_french_message_and_nothing_is_stored(
    coordinator_client, pole, settings, data, name, message
):
    response = post(
        coordinator_client,
        pole,
        "logo",
        {"logo-image": SimpleUploadedFile(name, data, "image/png"), "logo-alt": "Logo"},
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    pole.refresh_from_db()
    assert not pole.logo and media_files(settings) == []


def test_the_text_alternative_is_required(coordinator_client, pole, settings):
    response = post(
        coordinator_client,
        pole,
        "photo",
        {"photo-image": SimpleUploadedFile("p.png", png(), "image/png"), "photo-alt": "  "},
    )
    assert response.status_code == 422
    pole.refresh_from_db()
    assert not pole.photo and media_files(settings) == []
    # And the database refuses a picture without one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Pole.objects.filter(pk=pole.pk).update(photo="poles/x.jpg", photo_alt="")


def test_only_the_pole_coordinators_and_staff_set_pictures(client, pole):
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/poles/{pole.slug}/images/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.pole_set_picture(pole=pole, by=other, kind="logo", image=None, alt="x")


# --- Poles whose edits are reviewed: a picture waits for staff like any other edit ----------


def test_a_picture_of_a_reviewed_pole_waits_for_staff(
    coordinator_client, pole, settings, staff, mailoutbox, django_capture_on_commit_callbacks
):
    from poles.models import PoleRevision

    Pole.objects.filter(pk=pole.pk).update(edits_need_review=True)
    pole.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            coordinator_client,
            pole,
            "logo",
            {"logo-image": SimpleUploadedFile("a.png", png(), "image/png"), "logo-alt": "Logo"},
            follow=True,
        )
    page = response.content.decode()
    assert "attend la relecture de l" in page  # the message, and the card's note
    pole.refresh_from_db()
    assert not pole.logo and pole.logo_alt == ""  # nothing published
    revision = PoleRevision.objects.get(pole=pole, status="pending")
    stored = revision.data["picture"]["file"]
    assert revision.data["picture"]["kind"] == "logo" and media_files(settings) == [
        stored.rsplit("/", 1)[-1]
    ]
    assert any("attend votre relecture" in m.body for m in mailoutbox)  # staff are told
    # Nowhere public yet.
    assert stored not in coordinator_client.get(pole.get_absolute_url()).content.decode()

    # Staff see the proposed picture in the admin, then publish it.
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(staff)
    admin_page = staff_client.get(f"/admin/poles/polerevision/{revision.pk}/change/")
    assert admin_page.status_code == 200
    assert revision.proposed_picture["url"] in admin_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_apply(revision=revision, by=staff)
    pole.refresh_from_db()
    assert pole.logo.name == stored and pole.logo_alt == "Logo"
    assert pole.logo.url in coordinator_client.get(pole.get_absolute_url()).content.decode()

    # A second picture, refused: its file is removed, the published one stays.
    with django_capture_on_commit_callbacks(execute=True):
        post(
            coordinator_client,
            pole,
            "logo",
            {"logo-image": SimpleUploadedFile("b.png", png(), "image/png"), "logo-alt": "Autre"},
        )
    second = PoleRevision.objects.get(pole=pole, status="pending")
    assert len(media_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_reject(revision=second, by=staff, reason="Image floue.")
    pole.refresh_from_db()
    assert pole.logo.name == stored and pole.logo_alt == "Logo"
    assert media_files(settings) == [stored.rsplit("/", 1)[-1]]


def test_staff_pictures_on_a_reviewed_pole_are_published_at_once(pole, staff):
    Pole.objects.filter(pk=pole.pk).update(edits_need_review=True)
    pole.refresh_from_db()
    result = services.pole_set_picture(
        pole=pole,
        by=staff,
        kind="photo",
        image=SimpleUploadedFile("p.png", png(), "image/png"),
        alt="La façade",
    )
    assert isinstance(result, Pole) and result.photo and result.photo_alt == "La façade"


def test_the_regional_queue_shows_a_proposed_picture(client, pole, settings):
    from poles.models import PoleRevision, RegionalCoordination
    from tests.factories import activate_totp

    coordinator = UserFactory()
    PoleCoordinatorFactory(pole=pole, user=coordinator)
    Pole.objects.filter(pk=pole.pk).update(edits_need_review=True)
    pole.refresh_from_db()
    revision = services.pole_set_picture(
        pole=pole,
        by=coordinator,
        kind="photo",
        image=SimpleUploadedFile("p.png", png(), "image/png"),
        alt="Les membres réunis",
    )
    assert isinstance(revision, PoleRevision)
    moderator = UserFactory()
    RegionalCoordination.objects.create(user=moderator, region=pole.region)
    activate_totp(moderator)
    client.force_login(moderator)
    page = client.get("/moderation-regionale/").content.decode()
    assert f'src="{revision.proposed_picture["url"]}"' in page
    assert 'alt="Les membres réunis"' in page and "nouvelle image" in page
