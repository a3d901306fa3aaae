"""Attachments: the type is read from the CONTENT (magic bytes; the zip structure of ODT and
DOCX; Pillow for pictures), never from the name or the type the browser announces; the
name's extension must say the same, or the file is refused with a French message that says
what it really is. At most 10 MB. Pictures are re-encoded without their metadata (EXIF with
a GPS position…), like the poles' pictures (ptce_portal.images)."""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import MAX_ATTACHMENT_BYTES, AttachmentFormat

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    AttachmentFormat.PDF: "application/pdf",
    AttachmentFormat.ODT: ODT_MIMETYPE,
    AttachmentFormat.DOCX: DOCX_MIMETYPE,
    AttachmentFormat.PNG: "image/png",
    AttachmentFormat.JPEG: "image/jpeg",
    AttachmentFormat.WEBP: "image/webp",
    AttachmentFormat.GIF: "image/gif",
}
EXTENSIONS = {
    AttachmentFormat.PDF: ("pdf",),
    AttachmentFormat.ODT: ("odt",),
    AttachmentFormat.DOCX: ("docx",),
    AttachmentFormat.PNG: ("png",),
    AttachmentFormat.JPEG: ("jpg", "jpeg"),
    AttachmentFormat.WEBP: ("webp",),
    AttachmentFormat.GIF: ("gif",),
}
ACCEPT_ATTRIBUTE = ",".join(
    sorted(
        {f".{ext}" for exts in EXTENSIONS.values() for ext in exts} | set(CONTENT_TYPES.values())
    )
)
# A zip (ODT, DOCX) whose members would unpack to more than this is not a text document.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_PIXELS = 40_000_000
PILLOW_FORMATS = {
    "PNG": AttachmentFormat.PNG,
    "JPEG": AttachmentFormat.JPEG,
    "WEBP": AttachmentFormat.WEBP,
    "GIF": AttachmentFormat.GIF,
}
ACCEPTED_LABEL = _("PDF, ODT, DOCX, ou une image JPEG, PNG, WebP ou GIF")


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content was read: what to store, under which name and type."""

    content: ContentFile
    original_name: str
    format: str
    content_type: str
    size: int


def size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"


def _original_name(upload) -> str:
    name = PurePath(str(getattr(upload, "name", "") or "")).name
    # Kept for display and Content-Disposition: no control characters, bounded.
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "fichier"


def _zip_format(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            return None
        names = {info.filename for info in infos}
        try:
            if "mimetype" in names and "content.xml" in names:
                if archive.read("mimetype").strip() == ODT_MIMETYPE.encode():
                    return AttachmentFormat.ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.read("[Content_Types].xml")
                if b"wordprocessingml.document.main+xml" in types:
                    return AttachmentFormat.DOCX
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
            return None
    return None


def _image_format(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            found = PILLOW_FORMATS.get(probe.format or "")
            if found is None or probe.width * probe.height > MAX_PIXELS:
                return None
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return found


def detect_format(data: bytes) -> str | None:
    """The attachment format the bytes are, or None (not one we accept, or broken)."""
    if data.startswith(b"%PDF-"):
        # A truncated or forged PDF (a header and anything after) lacks its end marker.
        return AttachmentFormat.PDF if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    return _image_format(data)


def _without_metadata(data: bytes, fmt: str) -> bytes:
    """A picture re-encoded in its own format, without EXIF, XMP or comments (a GIF, which
    carries none and may be animated, is kept as it is)."""
    if fmt == AttachmentFormat.GIF:
        return data
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        image = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if fmt == AttachmentFormat.JPEG:
            image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
        elif fmt == AttachmentFormat.PNG:
            image.save(out, format="PNG", optimize=True)
        else:
            image.save(out, format="WEBP", quality=90)
    return out.getvalue()


def check_upload(upload) -> CheckedFile:
    """Read the upload and return what to store; ValidationError (French) otherwise."""
    original_name = _original_name(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("« %(name)s » pèse %(size)s : 10 Mo au plus par fichier."),
            code="too_big",
            params={"name": original_name, "size": size_label(size)},
        )
    upload.seek(0)
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("« %(name)s » pèse plus de 10 Mo : 10 Mo au plus par fichier."),
            code="too_big",
            params={"name": original_name},
        )
    if not data:
        raise ValidationError(
            _("« %(name)s » est vide."), code="empty", params={"name": original_name}
        )
    fmt = detect_format(data)
    if fmt is None:
        raise ValidationError(
            _(
                "Le contenu de « %(name)s » n'est pas un fichier accepté ou il est abîmé : "
                "envoyez un %(accepted)s."
            ),
            code="unknown_type",
            params={"name": original_name, "accepted": ACCEPTED_LABEL},
        )
    extension = PurePath(original_name).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS[fmt]:
        raise ValidationError(
            _(
                "« %(name)s » porte l'extension « .%(extension)s », mais son contenu est un "
                "fichier %(format)s : renommez-le en « .%(expected)s » ou envoyez le bon "
                "fichier."
            ),
            code="extension_mismatch",
            params={
                "name": original_name,
                "extension": extension or "—",
                "format": AttachmentFormat(fmt).label,
                "expected": EXTENSIONS[fmt][0],
            },
        )
    if fmt in (AttachmentFormat.PNG, AttachmentFormat.JPEG, AttachmentFormat.WEBP):
        try:
            data = _without_metadata(data, fmt)
        except (OSError, ValueError, Image.DecompressionBombError):
            raise ValidationError(
                _("L'image « %(name)s » est illisible."),
                code="unknown_type",
                params={"name": original_name},
            ) from None
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("« %(name)s » pèse plus de 10 Mo : 10 Mo au plus par fichier."),
                code="too_big",
                params={"name": original_name},
            )
    stem = slugify(PurePath(original_name).stem)[:60] or "fichier"
    stored_name = f"{stem}-{secrets.token_hex(6)}.{EXTENSIONS[fmt][0]}"
    return CheckedFile(
        content=ContentFile(data, name=stored_name),
        original_name=original_name,
        format=fmt,
        content_type=CONTENT_TYPES[fmt],
        size=len(data),
    )
