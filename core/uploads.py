"""Upload validation for images and documents sent by untrusted school logins.

Wagtail already checks an image's format by its content and its pixel count before decoding;
these forms add what an attacker could still slip through: markup hidden inside an otherwise
valid file (a PNG/HTML polyglot), and documents whose content does not match their extension.
"""

import io
import re
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Markup that makes a file dangerous if a browser ever sniffs it as HTML or SVG.
MARKUP_SIGNATURES = (
    b"<script",
    b"<html",
    b"<svg",
    b"<iframe",
    b"<?php",
    b"<!doctype html",
    b"javascript:",
    b"<body",
    b"onload=",
    b"onerror=",
)
# The same markup in UTF-16, which browsers also sniff and a byte scan for ASCII misses.
MARKUP_SIGNATURES += tuple(
    signature.decode().encode(encoding)
    for signature in MARKUP_SIGNATURES
    for encoding in ("utf-16-le", "utf-16-be")
)
SCAN_CHUNK = 1024 * 1024

ZIP_FORMATS = {"docx", "xlsx", "odt", "ods"}
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "rtf": (b"{\\rtf",),
}
TEXT_FORMATS = {"csv", "txt"}


def contains_markup(uploaded):
    """True when the file carries HTML/SVG/script markup anywhere (case-insensitive).

    Reads in chunks with an overlap, so memory stays bounded for large files."""
    uploaded.seek(0)
    overlap = b""
    longest = max(len(signature) for signature in MARKUP_SIGNATURES)
    while chunk := uploaded.read(SCAN_CHUNK):
        window = (overlap + chunk).lower()
        if any(signature in window for signature in MARKUP_SIGNATURES):
            uploaded.seek(0)
            return True
        overlap = window[-longest:]
    uploaded.seek(0)
    return False


def png_text_contains_markup(uploaded):
    """True when a PNG's text chunks carry markup once decompressed (zTXt, compressed iTXt):
    the byte scan above sees only their compressed form. Pillow caps the decompressed size."""
    uploaded.seek(0)
    try:
        with PILImage.open(uploaded) as image:
            texts = list(getattr(image, "text", {}).items()) if image.format == "PNG" else []
    except (OSError, ValueError):
        texts = []
    uploaded.seek(0)
    found = " ".join(f"{key} {value}" for key, value in texts).lower().encode()
    return any(signature in found for signature in MARKUP_SIGNATURES)


class PortalImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        # Pillow refuses to even read the header of a decompression bomb and raises its own
        # exception, which Wagtail lets through as a server error; answer with the form error
        # that names the limit instead (security.md case 19).
        try:
            return super().check_image_pixel_size(f)
        except PILImage.DecompressionBombError as exc:
            declared = re.search(r"\((\d+) pixels\)", str(exc))
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {
                    "num_pixels": declared.group(1) if declared else "?",
                    "max_pixels_count": self.max_image_pixels,
                },
                code="file_too_many_pixels",
            ) from exc


def carries_metadata(image):
    """EXIF, XMP (which also records GPS, and which phones write without EXIF) or PNG text."""
    return bool(image.getexif() or image.info.get("xmp") or getattr(image, "text", None))


def without_metadata(uploaded):
    """The photo re-encoded without EXIF, XMP or text chunks (GPS position, camera, owner),
    turned upright first so that dropping the orientation tag changes nothing visible
    (security.md case 22). Files without such metadata are returned untouched."""
    uploaded.seek(0)
    with PILImage.open(uploaded) as image:
        if not carries_metadata(image) or image.format not in {"JPEG", "WEBP", "PNG"}:
            uploaded.seek(0)
            return uploaded
        image_format = image.format
        upright = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        options = {"quality": 92} if image_format in {"JPEG", "WEBP"} else {}
        upright.save(buffer, format=image_format, **options)
    cleaned = SimpleUploadedFile(uploaded.name, buffer.getvalue(), uploaded.content_type)
    cleaned.image = getattr(uploaded, "image", None)
    cleaned.content_type = getattr(uploaded, "content_type", None)
    return cleaned


class PortalImageForm(BaseImageForm):
    file = PortalImageField(label=_("Файл"))

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or uploaded is self.original_file:
            return uploaded
        if contains_markup(uploaded) or png_text_contains_markup(uploaded):
            raise forms.ValidationError(
                _("Файл содержит HTML или скрипт и не может быть загружен как изображение.")
            )
        return without_metadata(uploaded)


def document_content_matches(uploaded, extension):
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if extension in DOCUMENT_SIGNATURES:
        return head.startswith(DOCUMENT_SIGNATURES[extension])
    if extension in ZIP_FORMATS:
        return head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(uploaded)
    if extension in TEXT_FORMATS:
        return b"\x00" not in uploaded.read(SCAN_CHUNK)
    return False


class PortalDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or uploaded is self.original_file:
            return uploaded
        extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
        try:
            matches = document_content_matches(uploaded, extension)
        finally:
            uploaded.seek(0)
        if not matches:
            raise forms.ValidationError(
                _("Содержимое файла не соответствует расширению .%(ext)s.") % {"ext": extension}
            )
        if extension not in ZIP_FORMATS and contains_markup(uploaded):
            raise forms.ValidationError(
                _("Файл содержит HTML или скрипт и не может быть загружен.")
            )
        return uploaded
