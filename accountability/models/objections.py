"""The preliminary stage of a year and the organisations' objections to their figures.

While the stage is open each organisation sees its own preliminary card and shortcomings in
the cabinet and may object until the deadline (a number of working days, a policy of the
methodology version). The operator accepts an objection with the corrected input, which is
saved through the ratings' audited door and recomputed, or rejects it with an answer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.filenames import generated_name
from registry.models import Organisation


class PreliminaryStage(models.Model):
    year = models.PositiveIntegerField(
        _("год"),
        unique=True,
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
    )
    opens_on = models.DateField(_("открыт с"))
    working_days = models.PositiveIntegerField(_("рабочих дней на возражения"))
    # Computed from opens_on and working_days with the production calendar when opened, and
    # stored so that a later change of the calendar never moves a deadline already announced.
    objections_until = models.DateField(_("возражения принимаются по"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("открыл"),
    )
    opened_at = models.DateTimeField(_("когда открыт"), auto_now_add=True)
    # Set when the year's final results are published: the cabinet stops showing figures
    # as preliminary and objections close.
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("предварительные результаты")
        verbose_name_plural = _("предварительные результаты")

    def __str__(self):
        return _("Предварительные результаты %(year)s") % {"year": self.year}


class Objection(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", _("на рассмотрении")
        ACCEPTED = "accepted", _("принято")
        REJECTED = "rejected", _("отклонено")

    stage = models.ForeignKey(
        PreliminaryStage,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("предварительный этап"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("организация"),
    )
    # What the objection is about: an indicator code ("1.1"), a shortcoming, or empty for
    # the card as a whole.
    indicator = models.CharField(_("показатель"), max_length=5, blank=True)
    shortcoming = models.ForeignKey(
        "accountability.Shortcoming",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("недостаток"),
    )
    reason = models.TextField(_("суть возражения"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("подал"),
    )
    filed_at = models.DateTimeField(_("подано"), auto_now_add=True)
    status = models.CharField(
        _("решение"), max_length=20, choices=Status.choices, default=Status.FILED
    )
    answer = models.TextField(_("ответ оператора"), blank=True)
    # The inputs changed on acceptance, {field: [old, new]}, as written to the input trail.
    correction = models.JSONField(_("исправленные данные"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("рассмотрел"),
    )
    decided_at = models.DateTimeField(_("рассмотрено"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["stage", "status"])]
        verbose_name = _("возражение")
        verbose_name_plural = _("возражения")

    def __str__(self):
        return f"{self.organisation}: {self.filed_at:%d.%m.%Y}"


def objection_upload_to(instance, filename):
    # Outside images/: only renditions are public media, so an attachment is reachable only
    # through the views that check who asks.
    return generated_name("objections", filename)


class ObjectionAttachment(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("файл"), upload_to=objection_upload_to)
    original_name = models.CharField(_("имя файла"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("приложение к возражению")
        verbose_name_plural = _("приложения к возражениям")

    def __str__(self):
        return self.original_name
