"""Staff add a photo of a day or of a speaker in the admin: re-encoded without metadata
(ptce_portal.images), alt text required; shown on the day's page, its card and the speaker's
page; a bad file gets a French message and nothing is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.admin import EventAdminForm, PersonAdminForm
from events.models import Person

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0131] = "Logiciel secret"
    out = io.BytesIO()
    Image.new("RGB", (2400, 1200), (200, 120, 40)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def admin_data(instance, form_class) -> dict:
    form = form_class(instance=instance)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "") or name == "photo":
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_photo_of_the_day_and_of_a_speaker_shown_on_their_pages(client, day_2014, settings):
    event = day_2014
    form = EventAdminForm(
        {**admin_data(event, EventAdminForm), "photo_alt": "La salle de Bercy pendant la journée"},
        {"photo": SimpleUploadedFile("salle.jpg", jpeg(), "image/jpeg")},
        instance=event,
    )
    assert form.is_valid(), form.errors
    form.save()
    event.refresh_from_db()
    assert event.photo.name.startswith("journees/") and event.photo.name.endswith(".jpg")
    stored = event.photo.read()
    assert b"Logiciel secret" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1600, 800)
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'src="{event.photo.url}" alt="La salle de Bercy pendant la journée"' in html
    assert f'src="{event.photo.url}"' in client.get(reverse("events:list")).content.decode()

    person = Person.objects.filter(speaker_links__session__event=event).first()
    form = PersonAdminForm(
        {**admin_data(person, PersonAdminForm), "photo_alt": f"Portrait de {person.name}"},
        {"photo": SimpleUploadedFile("portrait.png", jpeg(), "image/png")},
        instance=person,
    )
    assert form.is_valid(), form.errors
    form.save()
    person.refresh_from_db()
    page = client.get(reverse("events:person", args=[event.slug, person.slug])).content.decode()
    assert f'src="{person.photo.url}" alt="Portrait de {person.name}"' in page
    assert f'src="{person.photo.url}"' in client.get(event.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a<script>alert(1)</script>", "n'est pas une image lisible"),
        (b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10), "5 Mo au plus"),
    ],
)
def test_a_bad_photo_is_refused_in_french_and_nothing_is_stored(day_2014, settings, data, message):
    event = day_2014
    form = EventAdminForm(
        {**admin_data(event, EventAdminForm), "photo_alt": "Photo"},
        {"photo": SimpleUploadedFile("photo.jpg", data, "image/jpeg")},
        instance=event,
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors["photo"])
    event.refresh_from_db()
    assert not event.photo and media_files(settings) == []


def test_a_photo_needs_its_text_alternative(day_2014, settings):
    event = day_2014
    form = EventAdminForm(
        {**admin_data(event, EventAdminForm), "photo_alt": ""},
        {"photo": SimpleUploadedFile("photo.jpg", jpeg(), "image/jpeg")},
        instance=event,
    )
    assert not form.is_valid()
    assert "texte alternatif" in " ".join(form.errors["photo_alt"])
