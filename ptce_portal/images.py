"""Pictures uploaded by people (a pole's logo and photo, a speaker's or a day's photo): the
type is read from the content with Pillow (never the name or the announced type), at most
5 MB, then re-encoded by Pillow, which keeps the pixels and drops everything else (EXIF with
its GPS position, XMP, comments, ICC profile, any payload appended to the file). What is
stored is that new file, through Django's storage API (settings.STORAGES["default"]: local
files, or S3-compatible storage with django-storages)."""

import io
import secrets
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Formats read from the content; anything else (SVG, PDF, HTML named .png…) is refused.
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/gif"
# Beyond this many pixels Pillow refuses to decode (decompression bombs).
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Kind:
    """How a kind of picture is stored: longest side in pixels; a logo keeps transparency."""

    name: str
    max_side: int
    keeps_transparency: bool


LOGO = Kind("logo", max_side=600, keeps_transparency=True)
PHOTO = Kind("photo", max_side=1600, keeps_transparency=False)


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"


def reencode(upload, *, kind: Kind, stem: str) -> ContentFile:
    """The upload re-encoded (PNG for a logo with transparency, else JPEG), resized to the
    kind's longest side, without metadata; ValidationError (French) for anything else."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s : 5 Mo au plus."),
            code="too_big",
            params={"size": _size_label(size)},
        )
    not_an_image = ValidationError(
        _(
            "Ce fichier n'est pas une image lisible : envoyez une photo ou un logo au format "
            "JPEG, PNG, WebP ou GIF."
        ),
        code="not_an_image",
    )
    try:
        upload.seek(0)
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Le fichier pèse plus de 5 Mo : 5 Mo au plus."), code="too_big")
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "L'image est trop grande (%(w)s × %(h)s pixels) : 40 millions de "
                        "pixels au plus."
                    ),
                    code="too_many_pixels",
                    params={"w": probe.width, "h": probe.height},
                )
            probe.verify()  # a truncated or forged file fails here
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)  # the first frame of an animation
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None

    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image.thumbnail((kind.max_side, kind.max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind.keeps_transparency and has_alpha:
        clean = Image.new("RGBA", image.size)
        clean.paste(image.convert("RGBA"))
        clean.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        rgb = image.convert("RGBA") if has_alpha else image.convert("RGB")
        if has_alpha:  # flattened on white
            background = Image.new("RGB", rgb.size, (255, 255, 255))
            background.paste(rgb, mask=rgb.getchannel("A"))
            rgb = background
        clean = Image.new("RGB", rgb.size)
        clean.paste(rgb)
        clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    name = f"{slugify(stem)[:60] or kind.name}-{kind.name}-{secrets.token_hex(4)}.{extension}"
    return ContentFile(out.getvalue(), name=name)


class PictureField(forms.FileField):
    """A file input for a picture; clean() returns the re-encoded ContentFile (see reencode).
    The stem of the stored name is given by the form (`field.stem = …`)."""

    def __init__(self, *, kind: Kind, **kwargs):
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault(
            "help_text",
            _(
                "JPEG, PNG, WebP ou GIF, 5 Mo au plus. L'image est ré-enregistrée sans ses "
                "métadonnées."
            ),
        )
        super().__init__(**kwargs)
        self.kind = kind
        self.stem = kind.name

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        return reencode(upload, kind=self.kind, stem=self.stem)
