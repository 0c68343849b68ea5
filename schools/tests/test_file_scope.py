"""School A never lists, previews or places school B's photos and documents (security.md
cases 14 and 35): the admin API, the image chooser and the page save itself."""

import json

from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Revision
from wagtail.test.utils.form_data import rich_text, streamfield

from schools.models import SchoolPage
from schools.tests.test_school_pages import SchoolFixtures


class FileScopeTests(SchoolFixtures):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Image, Document = get_image_model(), get_document_model()
        cls.image_a = Image.objects.create(
            title="Фото школы А", file=get_test_image_file(), collection=cls.school_a.collection
        )
        cls.image_b = Image.objects.create(
            title="Фото школы Б", file=get_test_image_file(), collection=cls.school_b.collection
        )
        cls.document_a = Document.objects.create(
            title="Приказ школы А",
            file=ContentFile(b"%PDF-1.4 a", name="a.pdf"),
            collection=cls.school_a.collection,
        )
        cls.document_b = Document.objects.create(
            title="Приказ школы Б",
            file=ContentFile(b"%PDF-1.4 b", name="b.pdf"),
            collection=cls.school_b.collection,
        )

    def api_titles(self, kind):
        response = self.client.get(f"/admin/api/main/{kind}/", {"fields": "title"})
        self.assertEqual(response.status_code, 200)
        return {item["title"] for item in response.json()["items"]}

    def test_the_admin_api_lists_only_the_schools_own_files(self):
        self.client.force_login(self.staff_a)
        self.assertEqual(self.api_titles("images"), {"Фото школы А"})
        self.assertEqual(self.api_titles("documents"), {"Приказ школы А"})
        for kind, other in (("images", self.image_b), ("documents", self.document_b)):
            with self.subTest(kind=kind):
                detail = self.client.get(f"/admin/api/main/{kind}/{other.pk}/")
                self.assertEqual(detail.status_code, 404)
        # Editors still see every school's files.
        self.client.force_login(self.editor)
        self.assertEqual(self.api_titles("images"), {"Фото школы А", "Фото школы Б"})

    def test_the_image_chooser_neither_finds_nor_previews_anothers_photo(self):
        self.client.force_login(self.staff_a)
        found = self.client.get(reverse("wagtailimages_chooser:choose_results"), {"q": "Фото"})
        self.assertContains(found, "Фото школы А")
        self.assertNotContains(found, "Фото школы Б")
        # Nor does B's collection appear among the chooser's collection filters, and asking
        # for it by id shows nothing of it.
        chooser = self.client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
        self.assertNotIn(self.school_b.collection.name, chooser)
        filtered = self.client.get(
            reverse("wagtailimages_chooser:choose_results"),
            {"collection_id": self.school_b.collection_id},
        )
        self.assertNotContains(filtered, "Фото школы Б")
        url = f"/admin/images/chooser/{self.image_b.pk}/select_format/"
        # The admin turns a refusal into a redirect with a message; never the preview.
        self.assertIn(self.client.get(url).status_code, (302, 403))
        posted = self.client.post(url, {"image-chooser-insertion-format": "fullwidth"})
        self.assertIn(posted.status_code, (302, 403))
        own = f"/admin/images/chooser/{self.image_a.pk}/select_format/"
        self.assertEqual(self.client.get(own).status_code, 200)

    def save(self, **fields):
        self.client.force_login(self.staff_a)
        before = Revision.page_revisions.filter(object_id=str(self.page_a.pk)).count()
        response = self.client.post(
            self.edit_url(self.page_a), self.edit_data(self.page_a, **fields)
        )
        after = Revision.page_revisions.filter(object_id=str(self.page_a.pk)).count()
        return response, after - before

    def test_a_crafted_save_cannot_place_anothers_photo_or_document(self):
        gallery_b = streamfield(
            [("image", {"image": self.image_b.pk, "alt_text": "", "caption": ""})]
        )
        documents_b = streamfield([("document", {"document": self.document_b.pk, "title": ""})])
        link_b = rich_text(f'<p><a linktype="document" id="{self.document_b.pk}">приказ</a></p>')
        for field, value, message in (
            ("gallery", gallery_b, "фотографии из папки своей организации"),
            ("documents", documents_b, "документы из папки своей организации"),
            ("about", link_b, "только на документы своей организации"),
        ):
            with self.subTest(field=field):
                response, revisions = self.save(**{field: value})
                self.assertEqual(response.status_code, 200)
                # StreamField errors reach the page inside JSON, with \u escapes.
                html = response.content.decode()
                self.assertTrue(message in html or json.dumps(message)[1:-1] in html)
                self.assertEqual(revisions, 0)
        self.assertEqual(list(SchoolPage.objects.get(pk=self.page_a.pk).gallery), [])

    def test_the_schools_own_files_are_placed(self):
        gallery = streamfield(
            [("image", {"image": self.image_a.pk, "alt_text": "", "caption": ""})]
        )
        documents = streamfield([("document", {"document": self.document_a.pk, "title": ""})])
        response, revisions = self.save(gallery=gallery, documents=documents)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(revisions, 1)


class CraftedSaveTests(SchoolFixtures):
    def test_rich_text_that_is_not_editor_content_is_a_bad_request(self):
        self.client.force_login(self.staff_a)
        for junk in ("not json", "[1, 2", '{"blocks": 5}'):
            with self.subTest(junk=junk):
                data = self.edit_data(self.page_a, about=junk)
                response = self.client.post(self.edit_url(self.page_a), data)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(
            Revision.page_revisions.filter(object_id=str(self.page_a.pk)).exclude(
                pk=self.page_a.latest_revision_id
            )
        )
