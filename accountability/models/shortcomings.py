"""Shortcomings of an organisation in a year, derived from the evidence and edited by the
operator before publication.

Each derived shortcoming remembers its source (a checklist item left unmet, a questionnaire
question below the satisfaction threshold, an indicator short of 100 with no finer evidence)
so that re-deriving after a correction updates the same row instead of adding a twin, and so
that a reader can follow it back to the photo, the checked page or the question.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Organisation


class Criterion(models.IntegerChoices):
    """The five criteria of the assessment: the sections of a shortcoming list and a plan."""

    OPENNESS = 1, _("I. Открытость и доступность информации об организации")
    COMFORT = 2, _("II. Комфортность условий предоставления услуг")
    ACCESSIBILITY = 3, _("III. Доступность услуг для инвалидов")
    COURTESY = 4, _("IV. Доброжелательность, вежливость работников организации")
    SATISFACTION = 5, _("V. Удовлетворённость условиями оказания услуг")


class Shortcoming(models.Model):
    class Source(models.TextChoices):
        CHECKLIST = "checklist", _("пункт чек-листа не выполнен")
        SURVEY = "survey", _("удовлетворённость по вопросу анкеты ниже порога")
        INDICATOR = "indicator", _("показатель ниже 100 баллов")
        OPERATOR = "operator", _("добавлен оператором")

    class Status(models.TextChoices):
        ACTIVE = "active", _("включён")
        DISMISSED = "dismissed", _("снят оператором")
        MERGED = "merged", _("объединён с другим")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="shortcomings",
        verbose_name=_("организация"),
    )
    year = models.PositiveIntegerField(_("год"))
    criterion = models.PositiveSmallIntegerField(_("критерий"), choices=Criterion.choices)
    indicator = models.CharField(_("показатель"), max_length=5, help_text=_("Например «1.1»."))
    source = models.CharField(_("источник"), max_length=20, choices=Source.choices)
    # What in the source it comes from, stable across re-derivation: "item:<id>" for a
    # checklist item, "q:<key>" for a question, "indicator:<code>" for an indicator.
    source_key = models.CharField(_("ключ источника"), max_length=50)
    derived_text = models.TextField(_("формулировка по данным"), blank=True, editable=False)
    text = models.TextField(_("формулировка"))
    # The figure behind it, for the reader: "нет", "72 % удовлетворены (порог 90 %)", …
    evidence = models.CharField(_("основание"), max_length=300, blank=True)
    evidence_url = models.CharField(_("ссылка на подтверждение"), max_length=500, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    dismiss_reason = models.CharField(_("причина снятия"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("объединён с"),
    )
    # Edited by the operator: a later re-derivation keeps the wording and the decision.
    edited = models.BooleanField(_("изменён оператором"), default=False)
    # The evidence no longer shows it (e.g. a corrected checklist); kept for the trail.
    stale = models.BooleanField(_("больше не подтверждается данными"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "organisation", "criterion", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "source_key"],
                name="one_shortcoming_per_source",
            )
        ]
        indexes = [models.Index(fields=["year", "organisation", "status"])]
        verbose_name = _("недостаток")
        verbose_name_plural = _("недостатки")

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.text[:60]}"


class ShortcomingChange(models.Model):
    """Audit trail of the operator's edits: who changed what, when, and why."""

    class Action(models.TextChoices):
        DERIVED = "derived", _("выявлен по данным")
        EDITED = "edited", _("изменена формулировка")
        DISMISSED = "dismissed", _("снят")
        RESTORED = "restored", _("возвращён")
        MERGED = "merged", _("объединён")
        ADDED = "added", _("добавлен вручную")

    shortcoming = models.ForeignKey(Shortcoming, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("действие"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    changed_at = models.DateTimeField(_("когда"), auto_now_add=True)
    # {field: [old, new]}
    changes = models.JSONField(_("изменения"), default=dict)
    reason = models.CharField(_("причина"), max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("изменение недостатка")
        verbose_name_plural = _("журнал недостатков")

    def __str__(self):
        return f"{self.shortcoming_id}: {self.get_action_display()}"
