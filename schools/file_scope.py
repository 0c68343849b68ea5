"""The one place where a school's photos and documents are kept to that school (security.md
cases 14 and 35).

Each school's files live in its own collection, and Wagtail's image and document listings and
choosers already honour collection permissions. Three paths did not: the admin API behind the
rich-text editor (it lists every collection with download links), the image chooser's format
step (it previews any image by id), and the page save itself (a crafted form could place
another school's photo on a school's page, public once approved). Here each of them asks the
same question: may this user choose this file? The admin side (API and chooser) is in
``wagtail_hooks.py``; the page side is :func:`check_own_files`, run by ``SchoolPage.full_clean``.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

DOCUMENT_LINK = re.compile(r"<a\b[^>]*\blinktype=\"document\"[^>]*>")
LINK_ID = re.compile(r"\bid=\"(\d+)\"")


def check_own_files(page):
    """Refuse a school page that shows photos or documents outside its school's collection.

    Editors included: a school's page shows that school's files, and a shared file would
    become the school's to change."""
    collection_id = page.organisation.collection_id
    errors = {}
    images = [block.value["image"] for block in page.gallery if block.value.get("image")]
    if any(image.collection_id != collection_id for image in images):
        errors["gallery"] = _("Можно размещать только фотографии из папки своей организации.")
    documents = [block.value["document"] for block in page.documents if block.value.get("document")]
    if any(document.collection_id != collection_id for document in documents):
        errors["documents"] = _("Можно размещать только документы из папки своей организации.")
    for field in ("about", "programmes", "accessibility"):
        linked = {
            int(match.group(1))
            for link in DOCUMENT_LINK.findall(getattr(page, field) or "")
            if (match := LINK_ID.search(link))
        }
        if linked and (
            get_document_model()
            .objects.filter(pk__in=linked)
            .exclude(collection_id=collection_id)
            .exists()
        ):
            errors[field] = _("Ссылаться можно только на документы своей организации.")
    if errors:
        raise ValidationError(errors)
