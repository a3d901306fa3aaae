"""ptce_portal.images: the type is read from the content, at most 5 MB, re-encoded by Pillow
without metadata; anything else is refused with a French message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ptce_portal import images


def picture(fmt="JPEG", size=(800, 600), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 80, 40) if mode == "RGB" else (200, 80, 40, 120)).save(
        out, format=fmt, **save
    )
    return out.getvalue()


def upload(data: bytes, name="image.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def with_gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Appareil de test"  # Make
    exif[0x0131] = "Logiciel secret"  # Software
    gps = {1: "N", 2: (47.0, 12.0, 30.0), 3: "W", 4: (1.0, 33.0, 12.0)}
    exif[0x8825] = gps  # GPSInfo
    return picture(exif=exif.tobytes(), comment=b"commentaire")


def test_a_photo_is_reencoded_smaller_and_without_metadata():
    original = with_gps_exif()
    assert b"Logiciel secret" in original
    stored = images.reencode(upload(original), kind=images.PHOTO, stem="Pôle test")
    data = stored.read()
    assert stored.name.startswith("pole-test-photo-") and stored.name.endswith(".jpg")
    assert b"Logiciel secret" not in data and b"Appareil de test" not in data
    with Image.open(io.BytesIO(data)) as result:
        assert result.format == "JPEG"
        assert not result.getexif()
        assert "comment" not in result.info and "icc_profile" not in result.info
        assert result.size == (800, 600)


def test_a_large_photo_is_resized_and_a_logo_keeps_its_transparency():
    big = images.reencode(
        upload(picture("PNG", size=(4000, 1000)), "x.png", "image/png"),
        kind=images.PHOTO,
        stem="x",
    )
    with Image.open(big) as result:
        assert result.size == (1600, 400) and result.format == "JPEG"
    logo = images.reencode(
        upload(picture("PNG", size=(300, 300), mode="RGBA"), "logo.png", "image/png"),
        kind=images.LOGO,
        stem="x",
    )
    with Image.open(logo) as result:
        assert result.format == "PNG" and result.mode == "RGBA"
    webp = images.reencode(upload(picture("WEBP"), "p.webp"), kind=images.LOGO, stem="x")
    assert webp.name.endswith(".jpg")  # no transparency: JPEG


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "logo.png"),  # forged type
        (b"%PDF-1.7\n...", "photo.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "logo.svg"),
        (b"", "vide.jpg"),
        (picture()[:200], "tronquee.jpg"),  # truncated
        (picture("BMP"), "image.bmp"),  # an image, but not an accepted format
    ],
)
def test_what_is_not_an_accepted_image_is_refused_in_french(data, name):
    with pytest.raises(ValidationError) as exc:
        images.reencode(upload(data, name, "image/png"), kind=images.PHOTO, stem="x")
    assert "n'est pas une image lisible" in exc.value.messages[0]


def test_more_than_5_mb_is_refused():
    data = picture("PNG") + b"\0" * (images.MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as exc:
        images.reencode(upload(data, "lourde.png"), kind=images.PHOTO, stem="x")
    assert "5 Mo au plus" in exc.value.messages[0]
    assert exc.value.error_list[0].code == "too_big"


def test_a_decompression_bomb_is_refused():
    # 48 million pixels in a file of a few kilobytes (1 bit per pixel, all black).
    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ValidationError) as exc:
        images.reencode(upload(bomb.getvalue(), "bombe.png"), kind=images.PHOTO, stem="x")
    assert exc.value.error_list[0].code == "too_many_pixels"
