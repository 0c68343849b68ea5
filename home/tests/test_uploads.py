"""Uploads by school staff (security.md cases 18–23): type by content, pixel and size limits,
generated names, no EXIF in published renditions, a full disk handled cleanly."""

import errno
import io
import os
import struct
import zlib
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from registry.tests.factories import OrganisationFactory
from schools.provisioning import add_staff_member


def png_bytes(width=40, height=30, colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def huge_png_header(width, height):
    """A tiny PNG that declares an enormous canvas (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_with_gps():
    image = PILImage.new("RGB", (64, 48), (10, 120, 200))
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def jpeg_with_xmp_gps():
    """A phone photo whose position is in XMP only, with no EXIF at all."""
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
        b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        b'exif:GPSLatitude="55,45.0N" exif:GPSLongitude="37,37.0E"/></rdf:RDF></x:xmpmeta>'
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (10, 120, 200)).save(buffer, format="JPEG", xmp=xmp)
    return buffer.getvalue()


def png_with_text(text, compressed):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text, zip=compressed)
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


class UploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organisation = OrganisationFactory()
        cls.user = get_user_model().objects.create_user("staff", "s@example.com", "pw")
        add_staff_member(cls.organisation, cls.user)

    def setUp(self):
        self.client.force_login(self.user)

    def upload_image(self, name, content, content_type="image/png"):
        return self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Фото",
                "collection": self.organisation.collection_id,
                "file": SimpleUploadedFile(name, content, content_type=content_type),
            },
        )

    def upload_document(self, name, content):
        return self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Документ",
                "collection": self.organisation.collection_id,
                "file": SimpleUploadedFile(name, content),
            },
        )

    def assertFormError(self, response, text):
        self.assertEqual(response.status_code, 200)
        errors = " ".join(str(e) for e in response.context["form"].errors.get("file", []))
        self.assertIn(text, errors)

    def test_valid_photo_is_accepted_under_a_generated_name(self):
        Image = get_image_model()
        for name in ("../../x.png", "a" * 300 + ".png", "фото школы.png", "evil\x00.png"):
            with self.subTest(name=name[:20]):
                response = self.upload_image(name, png_bytes())
                self.assertEqual(response.status_code, 302)
                image = Image.objects.latest("pk")
                self.assertRegex(image.file.name, r"^original_images/[0-9a-f]{32}\.png$")
                self.assertTrue(image.file.storage.exists(image.file.name))

    def test_html_disguised_as_image_is_rejected(self):
        response = self.upload_image("photo.jpg", b"<html><script>alert(1)</script></html>")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["file"])
        self.assertFalse(get_image_model().objects.exists())

    def test_svg_with_script_is_rejected(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
        response = self.upload_image("logo.svg", svg, "image/svg+xml")
        self.assertTrue(response.context["form"].errors["file"])
        self.assertFalse(get_image_model().objects.exists())

    def test_png_html_polyglot_is_rejected(self):
        response = self.upload_image("poly.png", png_bytes() + b"<html><script>x()</script>")
        self.assertFormError(response, "HTML")
        self.assertFalse(get_image_model().objects.exists())

    def test_pixel_bomb_is_refused_with_the_limit_named(self):
        response = self.upload_image("bomb.png", huge_png_header(30000, 30000))
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].errors["file"])
        self.assertIn("40000000", errors)
        self.assertIn("900000000", errors)
        self.assertFalse(get_image_model().objects.exists())

    def test_oversized_request_is_refused_before_reading(self):
        response = self.client.post(
            reverse("wagtailimages:add"),
            data=b"x" * 10,
            content_type="application/octet-stream",
            CONTENT_LENGTH=str(200 * 1024 * 1024),
        )
        self.assertEqual(response.status_code, 413)

    def test_too_many_file_parts_is_a_bad_request(self):
        files = {f"f{n}": SimpleUploadedFile(f"{n}.png", b"x") for n in range(30)}
        response = self.client.post(reverse("wagtailimages:add"), files)
        self.assertEqual(response.status_code, 400)

    def test_published_renditions_carry_no_exif(self):
        self.assertEqual(
            self.upload_image("gps.jpg", jpeg_with_gps(), "image/jpeg").status_code, 302
        )
        image = get_image_model().objects.get()
        with image.file.open() as original:
            self.assertFalse(dict(PILImage.open(original).getexif()))
        rendition = image.get_rendition("width-32")
        with rendition.file.open() as published:
            self.assertFalse(dict(PILImage.open(published).getexif()))

    def test_gps_in_xmp_is_stripped_from_the_stored_original(self):
        content = jpeg_with_xmp_gps()
        self.assertIn(b"GPSLatitude", content)
        self.assertEqual(self.upload_image("xmp.jpg", content, "image/jpeg").status_code, 302)
        image = get_image_model().objects.get()
        with image.file.open() as original:
            stored = original.read()
        self.assertNotIn(b"GPSLatitude", stored)
        self.assertIsNone(PILImage.open(io.BytesIO(stored)).info.get("xmp"))

    def test_markup_hidden_in_utf16_or_a_compressed_png_chunk_is_refused(self):
        script = "<script>alert(1)</script>"
        for name, content in (
            ("ztxt.png", png_with_text(script, compressed=True)),
            ("utf16.png", png_bytes() + script.encode("utf-16-le")),
            ("utf16be.png", png_bytes() + script.encode("utf-16-be")),
        ):
            with self.subTest(name=name):
                response = self.upload_image(name, content)
                self.assertContains(response, "HTML или скрипт")
        self.assertFalse(get_image_model().objects.exists())
        # An innocent comment in a PNG is fine, and goes with the other metadata.
        innocent = png_with_text("Снято на линейке 1 сентября", compressed=True)
        self.assertEqual(self.upload_image("ok.png", innocent).status_code, 302)
        with get_image_model().objects.get().file.open() as original:
            self.assertEqual(PILImage.open(original).text, {})

    def test_originals_are_not_served_publicly(self):
        self.upload_image("gps.jpg", jpeg_with_gps(), "image/jpeg")
        image = get_image_model().objects.get()
        with self.settings(SERVE_MEDIA=True):
            self.assertEqual(self.client.get(f"/media/{image.file.name}").status_code, 404)

    def test_full_disk_gives_a_clear_error_and_no_row(self):
        failure = OSError(errno.ENOSPC, "No space left on device")
        with mock.patch.object(FileSystemStorage, "_save", side_effect=failure):
            response = self.upload_image("photo.png", png_bytes())
        self.assertEqual(response.status_code, 507)
        self.assertContains(response, "Файл не сохранён", status_code=507)
        self.assertFalse(get_image_model().objects.exists())

    def test_a_disk_filling_up_mid_write_leaves_no_partial_file(self):
        real_fdopen = os.fdopen

        class FillingDisk:
            """The file being written: half of the first chunk fits, then the disk is full."""

            def __init__(self, file):
                self.file = file

            def write(self, data):
                self.file.write(data[: len(data) // 2])
                self.file.flush()
                raise OSError(errno.ENOSPC, "No space left on device")

            def close(self):
                self.file.close()

        def fdopen(fd, mode="r", *args, **kwargs):
            opened = real_fdopen(fd, mode, *args, **kwargs)
            return FillingDisk(opened) if "w" in mode else opened

        before = set(Path(settings.MEDIA_ROOT).rglob("*"))
        with mock.patch.object(os, "fdopen", fdopen):
            response = self.upload_image("photo.png", png_bytes())
        self.assertEqual(response.status_code, 507)
        self.assertFalse(get_image_model().objects.exists())
        self.assertEqual(
            {path for path in set(Path(settings.MEDIA_ROOT).rglob("*")) - before if path.is_file()},
            set(),
        )

    def test_documents_must_match_their_extension(self):
        Document = get_document_model()
        self.assertEqual(self.upload_document("plan.pdf", b"%PDF-1.4\n%%EOF\n").status_code, 302)
        self.assertRegex(Document.objects.get().file.name, r"^documents/[0-9a-f]{32}\.pdf$")
        for name, content in (
            ("plan.pdf", b"<html><script>alert(1)</script>"),
            ("plan.docx", b"%PDF-1.4"),
            ("plan.pdf", b"%PDF-1.4 <script>alert(1)</script>"),
            ("page.html", b"<html></html>"),
        ):
            with self.subTest(name=name, content=content[:12]):
                response = self.upload_document(name, content)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors["file"])
        self.assertEqual(Document.objects.count(), 1)
