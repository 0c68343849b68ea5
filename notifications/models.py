"""What was sent to whom, and who left which category of e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The kinds of e-mail the portal sends on its own; each may be left separately."""

    DEADLINE = "deadline", _("Срок сдачи справки самообследования")
    COVERAGE = "coverage", _("Охват анкетирования ниже цели")
    CHECKLIST_RETURNED = "checklist_returned", _("Справка возвращена на доработку")
    OBJECTION_ANSWERED = "objection_answered", _("Ответ на возражение")
    PLAN_MEASURES = "plan_measures", _("Сроки мероприятий плана")
    SESSION_ORDER = "session_order", _("Приказ об организованном анкетировании")


class SentNotification(models.Model):
    """One message to one address, written before it is sent (status «sending») so that a
    second run, the same day or concurrently, finds the row and sends nothing: the unique
    pair (key, email) is the idempotence. A key names its own period where a message may
    repeat (the week of an overdue digest, the threshold of a deadline), so a key is sent
    to an address once. A failed row is retried by later runs up to
    ``NOTIFICATIONS_MAX_ATTEMPTS``. The log keeps the subject, never the body."""

    class Status(models.TextChoices):
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("ошибка")

    category = models.CharField(_("категория"), max_length=30, choices=Category.choices)
    key = models.CharField(_("ключ сообщения"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    email = models.EmailField(_("адрес"))
    day = models.DateField(_("дата"))
    subject = models.CharField(_("тема"), max_length=300)
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.SENDING
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=1)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "email"], name="one_notification_per_address")
        ]
        indexes = [models.Index(fields=["category", "status", "day"])]
        verbose_name = _("отправленное уведомление")
        verbose_name_plural = _("журнал уведомлений")

    def __str__(self):
        return f"{self.get_category_display()}: {self.email}, {self.day:%d.%m.%Y}"


class Unsubscription(models.Model):
    """A category an address (and the user behind it, if any) asked not to receive."""

    category = models.CharField(_("категория"), max_length=30, choices=Category.choices)
    email = models.EmailField(_("адрес"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        constraints = [
            # Addresses are stored lower-cased (services.normalise).
            models.UniqueConstraint(
                fields=["email", "category"], name="one_unsubscription_per_address"
            )
        ]
        verbose_name = _("отписка")
        verbose_name_plural = _("отписки")

    def __str__(self):
        return f"{self.email}: {self.get_category_display()}"
