"""The public discussion of a year's results.

Anyone may leave a proposal or a comment while the editors keep the discussion open: no
account, the name optional, no address stored (the questionnaire's anonymity rules). Every
entry waits for moderation; a suspicious one is held with its reason. Published entries show
with the operator's or the organisation's answer.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from registry.models import Organisation


class Discussion(models.Model):
    year = models.PositiveIntegerField(
        _("год оценки"),
        unique=True,
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
    )
    is_open = models.BooleanField(_("открыто для предложений"), default=False)
    opens_on = models.DateField(_("открыто с"), null=True, blank=True)
    closes_on = models.DateField(_("открыто по"), null=True, blank=True)
    intro = models.TextField(_("вступление"), blank=True)
    summary = models.TextField(_("итоги обсуждения"), blank=True)
    summary_document = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("документ с итогами"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("общественное обсуждение")
        verbose_name_plural = _("общественные обсуждения")

    def __str__(self):
        return _("Обсуждение результатов %(year)s") % {"year": self.year}


class DiscussionEntry(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("ждёт модерации")
        HELD = "held", _("задержано: подозрение на спам")
        PUBLISHED = "published", _("опубликовано")
        REJECTED = "rejected", _("отклонено")

    class AnsweredBy(models.TextChoices):
        OPERATOR = "operator", _("оператор")
        ORGANISATION = "organisation", _("организация")

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="entries")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("об организации"),
    )
    author_name = models.CharField(_("имя (по желанию)"), max_length=100, blank=True)
    text = models.TextField(_("предложение или комментарий"))
    # Only the date, as for questionnaire responses: a time would help tie an entry to a
    # person's visit.
    submitted_on = models.DateField(_("дата"))
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    held_reason = models.CharField(_("почему задержано"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("модератор"),
    )
    moderated_at = models.DateTimeField(_("проверено"), null=True, blank=True)
    answer = models.TextField(_("ответ"), blank=True)
    answered_by = models.CharField(
        _("кто ответил"), max_length=20, choices=AnsweredBy.choices, blank=True
    )
    answered_at = models.DateTimeField(_("когда ответили"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["discussion", "status"])]
        verbose_name = _("предложение в обсуждении")
        verbose_name_plural = _("предложения в обсуждении")

    def __str__(self):
        return self.text[:60]
