"""The portal's image and document models.

Uploads come from untrusted school logins, so a stored file never keeps the name it was
uploaded with: every file gets a generated name inside MEDIA_ROOT (security.md case 21),
whatever path separators, length or control characters the original name had. The original
name survives only as the default title.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition

from core.filenames import generated_name


class PortalImage(AbstractImage):
    admin_form_fields = (
        "title",
        "file",
        "collection",
        "description",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("изображение")
        verbose_name_plural = _("изображения")

    def get_upload_to(self, filename):
        return generated_name("original_images", filename)


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def document_upload_to(instance, filename):
    return generated_name("documents", filename)


class PortalDocument(AbstractDocument):
    file = models.FileField(upload_to=document_upload_to, verbose_name=_("файл"))
    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
