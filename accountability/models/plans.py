"""Improvement plans in the government's form (ПП РФ 17.04.2018 № 457, columns as believed in
docs/regulations.md §1) and their execution.

Status flow: draft → submitted → approved, or submitted → returned (with a comment) → draft
again → submitted. The founder approves: the municipality's coordinator for a municipal
organisation, the operator's editors for a regional one; nobody approves a plan they
submitted. An approved plan is public; its execution (what was done, when, with evidence) is
recorded afterwards and is public too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.filenames import generated_name
from registry.models import Organisation

from .shortcomings import Criterion, Shortcoming


class ImprovementPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("на утверждении")
        RETURNED = "returned", _("возвращён на доработку")
        APPROVED = "approved", _("утверждён")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="improvement_plans",
        verbose_name=_("организация"),
    )
    year = models.PositiveIntegerField(_("год оценки"))
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    return_comment = models.TextField(_("комментарий при возврате"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("отправил"),
    )
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("утвердил"),
    )
    approved_at = models.DateTimeField(_("утверждён"), null=True, blank=True)
    # «УТВЕРЖДАЮ»: who approved it for the founder, as printed on the plan.
    approver_title = models.CharField(_("утвердил (должность, ФИО)"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_plan_per_year")
        ]
        indexes = [models.Index(fields=["year", "status"])]
        verbose_name = _("план устранения недостатков")
        verbose_name_plural = _("планы устранения недостатков")

    def __str__(self):
        return _("План %(organisation)s на %(year)s") % {
            "organisation": self.organisation,
            "year": self.year,
        }


def measure_evidence_upload_to(instance, filename):
    return generated_name("plan_evidence", filename)


class PlanMeasure(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="measures")
    criterion = models.PositiveSmallIntegerField(_("критерий"), choices=Criterion.choices)
    shortcoming = models.ForeignKey(
        Shortcoming,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("недостаток из перечня"),
    )
    # Column 1, kept as text: the published wording at the time, even if the list changes.
    shortcoming_text = models.TextField(_("недостаток, выявленный в ходе оценки"))
    # Column 2.
    measure = models.TextField(_("мероприятие по устранению недостатка"), blank=True)
    # Column 3.
    planned_date = models.DateField(_("плановый срок реализации"), null=True, blank=True)
    # Column 4.
    responsible_name = models.CharField(_("ответственный: ФИО"), max_length=200, blank=True)
    responsible_position = models.CharField(
        _("ответственный: должность"), max_length=200, blank=True
    )
    # Column 5.1 and 5.2: the execution report.
    done_text = models.TextField(_("реализованные меры"), blank=True)
    done_date = models.DateField(_("фактический срок реализации"), null=True, blank=True)
    evidence_url = models.URLField(_("ссылка на подтверждение"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("файл-подтверждение"), upload_to=measure_evidence_upload_to, blank=True
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["criterion", "position", "pk"]
        verbose_name = _("мероприятие плана")
        verbose_name_plural = _("мероприятия плана")

    def __str__(self):
        return self.measure[:80] or self.shortcoming_text[:80]

    @property
    def is_done(self):
        return self.done_date is not None and bool(self.done_text.strip())


class PlanEvent(models.Model):
    """The plan's history: submissions, returns with comments, approval, execution reports."""

    class Action(models.TextChoices):
        CREATED = "created", _("создан")
        SUBMITTED = "submitted", _("отправлен на утверждение")
        RETURNED = "returned", _("возвращён на доработку")
        APPROVED = "approved", _("утверждён")
        REPORTED = "reported", _("отчёт об исполнении")

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("действие"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("событие плана")
        verbose_name_plural = _("история плана")

    def __str__(self):
        return f"{self.plan_id}: {self.get_action_display()}"
