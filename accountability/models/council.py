"""The public council (общественный совет) and the authority's management decisions.

Everything here is public: members' names, positions and organisations, meetings with their
agenda, protocol and decisions, and what the authority decided on a year's results.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.documents import get_document_model_string

from registry.models import Organisation


def _year_field():
    return models.PositiveIntegerField(
        _("год оценки"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("председатель")
        DEPUTY = "deputy", _("заместитель председателя")
        SECRETARY = "secretary", _("секретарь")
        MEMBER = "member", _("член совета")

    full_name = models.CharField(_("ФИО"), max_length=200)
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("должность"), max_length=300, blank=True)
    organisation_name = models.CharField(_("организация"), max_length=300, blank=True)
    since = models.DateField(_("в составе с"), null=True, blank=True)
    until = models.DateField(_("в составе по"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["sort_order", "full_name"]
        verbose_name = _("член общественного совета")
        verbose_name_plural = _("общественный совет: состав")

    def __str__(self):
        return self.full_name


class CouncilMeeting(ClusterableModel):
    """A meeting with its decisions, edited together in one admin form (decisions inline)."""

    date = models.DateField(_("дата заседания"))
    number = models.CharField(_("номер протокола"), max_length=50, blank=True)
    agenda = models.TextField(_("повестка"))
    protocol = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("протокол"),
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("заседание общественного совета")
        verbose_name_plural = _("общественный совет: заседания")

    def __str__(self):
        return _("Заседание %(date)s") % {"date": f"{self.date:%d.%m.%Y}"}


class CouncilDecision(models.Model):
    class Topic(models.TextChoices):
        APPROVE_LIST = "approve_list", _("утверждение перечня организаций для оценки")
        CONSIDER_RESULTS = "consider_results", _("рассмотрение результатов оценки")
        CONSIDER_PLANS = "consider_plans", _("рассмотрение планов устранения недостатков")
        PROPOSALS = "proposals", _("предложения органу власти")
        OTHER = "other", _("иное")

    meeting = ParentalKey(CouncilMeeting, on_delete=models.CASCADE, related_name="decisions")
    year = _year_field()
    topic = models.CharField(_("вопрос"), max_length=30, choices=Topic.choices)
    text = models.TextField(_("решение"))
    sort_order = models.PositiveIntegerField(_("порядок"), default=0)
    # The inline panel keeps the order the editor arranged the decisions in.
    sort_order_field = "sort_order"

    class Meta:
        ordering = ["sort_order", "pk"]
        indexes = [models.Index(fields=["year"])]
        verbose_name = _("решение общественного совета")
        verbose_name_plural = _("решения общественного совета")

    def __str__(self):
        return f"{self.year}: {self.get_topic_display()}"


class ManagementDecision(models.Model):
    """A decision of the authority on a year's results (the municipal plan's «управленческие
    решения»): a document, its date and the organisations it concerns."""

    year = _year_field()
    date = models.DateField(_("дата"))
    number = models.CharField(_("номер документа"), max_length=50, blank=True)
    authority = models.CharField(_("кто принял"), max_length=300)
    title = models.CharField(_("название"), max_length=500)
    text = models.TextField(_("содержание"), blank=True)
    document = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("документ"),
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("организации")
    )

    class Meta:
        ordering = ["-year", "-date", "-pk"]
        verbose_name = _("управленческое решение")
        verbose_name_plural = _("управленческие решения")

    def __str__(self):
        return self.title
