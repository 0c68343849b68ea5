"""The year's official outputs that are stored: the operator's analytical report per year
and kind (issue #17, item 3).

One current report per (year, kind). Its status flow (``outputs.report_service``):
new (recommendations saved, nothing generated yet) → queued → running → done | failed;
«Сформировать» again from done or failed queues it anew, and a new document replaces the
previous one only once it is stored.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from registry.models import Organisation


class OperatorReport(models.Model):
    """The operator's analytical report of one kind's results in one published year."""

    class Status(models.TextChoices):
        NEW = "new", _("не формировался")
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")

    year = models.PositiveIntegerField(
        _("год"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("тип организаций"), max_length=20, choices=Organisation.Kind.choices)
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    progress = models.PositiveSmallIntegerField(
        _("готовность, %"), default=0, validators=[MaxValueValidator(100)]
    )
    step = models.CharField(_("этап"), max_length=200, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    # Plain text: paragraphs apart by an empty line, a line starting with «- » is a list
    # item. Plain so that the DOCX and the printable page render it the same way, and so
    # that nothing an editor types reaches either as markup.
    recommendations = models.TextField(_("рекомендации"), blank=True, max_length=20000)
    document = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("документ DOCX"),
    )
    # The published revision the stored document was built from: a later correction of the
    # year makes the screen say that the report is behind.
    revision_number = models.PositiveIntegerField(_("редакция рейтинга"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("запросил"),
    )
    requested_at = models.DateTimeField(_("запрошен"), null=True, blank=True)
    finished_at = models.DateTimeField(_("сформирован"), null=True, blank=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_operator_report_per_kind")
        ]
        verbose_name = _("аналитический отчёт оператора")
        verbose_name_plural = _("аналитические отчёты оператора")

    def __str__(self):
        return _("Аналитический отчёт %(year)s: %(kind)s") % {
            "year": self.year,
            "kind": self.get_kind_display(),
        }

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
