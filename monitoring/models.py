"""Checklists and their evidence: templates editors maintain per year, checklists filled for
an organisation from three sources, website-monitoring rounds and independent experts.

An accepted checklist is what the ratings' checklist inputs come from (``services``); which
source wins when several exist is decided there, in one place.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from core.names import is_feminine
from registry.assessment import is_assessed
from registry.models import Municipality, Organisation

from .norm_text import (
    lines,
    parse_norm_items_leniently,
    validate_norm_items,
    validate_path_lines,
)


class Section(models.TextChoices):
    WEBSITE = "website", _("Сайт: раздел «Сведения об образовательной организации»")
    STAND = "stand", _("Информационный стенд")
    DISTANCE = "distance", _("Дистанционные способы взаимодействия")
    COMFORT = "comfort", _("Комфортность условий")
    TERRITORY = "territory", _("Территория и помещения для инвалидов")
    SERVICE = "service", _("Условия получения услуг инвалидами")
    APPEALS = "appeals", _("Обращения граждан")
    REGIONAL = "regional", _("Региональные требования")


class RatingInput(models.TextChoices):
    """The rating input an item counts toward (methodology §1, indicators 1.1–3.2)."""

    NONE = "", _("не входит в рейтинг")
    STAND = "stand_items", _("1.1: стенд")
    SITE = "site_items", _("1.1: сайт")
    DISTANCE = "distance_channels", _("1.2: дистанционные способы")
    COMFORT = "comfort_conditions", _("2.1: условия комфортности")
    TERRITORY = "territory_conditions", _("3.1: территория для инвалидов")
    SERVICE = "service_conditions", _("3.2: условия для инвалидов")


class AutoCheck(models.TextChoices):
    """What the website checker can find for an item by itself."""

    NONE = "", _("проверяется вручную")
    SVEDEN = "sveden", _("подраздел /sveden/ открывается и озаглавлен")
    ITEMPROP = "itemprop", _("микроразметка itemprop на странице подраздела")
    APPEALS = "appeals", _("раздел «Обращения граждан»")
    PHONE = "phone", _("телефон")
    EMAIL = "email", _("электронная почта")
    FEEDBACK_FORM = "feedback_form", _("форма обратной связи")
    FAQ = "faq", _("раздел «Часто задаваемые вопросы»")
    BUS_GOV = "bus_gov", _("ссылка на bus.gov.ru")
    VISUALLY_IMPAIRED = "visually_impaired", _("версия для слабовидящих")


class Verdict(models.TextChoices):
    """What the website checker concluded for an item (issue #20 design)."""

    PRESENT = "present", _("есть")
    OUTDATED = "outdated", _("есть, но разметка устаревшая")
    PLACEHOLDER = "placeholder", _("заглушка: страница без содержания")
    ABSENT = "absent", _("не найдено на сайте")
    UNREACHABLE = "unreachable", _("сайт или страница не открылись")


class HowFound(models.TextChoices):
    """Where the checker found it: a subsection's address or a contact's page."""

    STANDARD = "standard", _("по стандартному адресу")
    VARIANT = "variant", _("по другому адресу")
    LINK = "link", _("по ссылке в меню")
    SAME_PAGE = "same_page", _("на той же странице")
    HOME = "home", _("на главной странице")
    CONTACTS = "contacts", _("на странице контактов")
    COMMON = "common", _("в подразделе «Основные сведения»")
    NOKO = "noko", _("на странице независимой оценки качества")


class ItemState(models.TextChoices):
    """One norm item (itemprop) of a subsection, as the checker found it."""

    PRESENT = "present", _("есть")
    OUTDATED = "outdated", _("устаревшее название")
    EMPTY = "empty", _("пустое значение")
    MISSING = "missing", _("нет")


class ChecklistTemplate(ClusterableModel):
    year = models.PositiveIntegerField(
        _("год"), unique=True, validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    title = models.CharField(_("название"), max_length=200)

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        InlinePanel("items", heading=_("Пункты"), label=_("Пункт")),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("шаблон чек-листа")
        verbose_name_plural = _("шаблоны чек-листов")

    def __str__(self):
        return self.title

    def norms(self):
        """Required items per rating input: {input: count}."""
        counts = {}
        for item in self.items.all():
            if item.counts_toward:
                counts[item.counts_toward] = counts.get(item.counts_toward, 0) + 1
        return counts


class ChecklistItem(Orderable):
    template = ParentalKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("раздел"), max_length=20, choices=Section.choices)
    text = models.CharField(_("требование"), max_length=300)
    sveden_path = models.CharField(
        _("подраздел сайта"),
        max_length=100,
        blank=True,
        help_text=_("Например /sveden/common — где на сайте школы это должно быть."),
    )
    expected_heading = models.CharField(_("ожидаемый заголовок"), max_length=200, blank=True)
    itemprop = models.CharField(
        _("микроразметка itemprop"),
        max_length=100,
        blank=True,
        help_text=_("Значение itemprop, которое подтверждает пункт, например fullName."),
    )
    counts_toward = models.CharField(
        _("учитывается в показателе"), max_length=30, choices=RatingInput.choices, blank=True
    )
    photo_required = models.BooleanField(_("нужна фотография"), default=False)
    auto_check = models.CharField(
        _("автоматическая проверка"), max_length=20, choices=AutoCheck.choices, blank=True
    )
    # The norm of the subsection (monitoring.norm), kept in the template so that a year's
    # template can be edited and copied; blank on items made before it (the checker then
    # goes by expected_heading and itemprop alone).
    heading_variants = models.TextField(
        _("другие формулировки заголовка"),
        blank=True,
        help_text=_("По одной на строке: прежние и распространённые названия подраздела."),
    )
    path_variants = models.TextField(
        _("другие адреса подраздела"),
        blank=True,
        validators=[validate_path_lines],
        help_text=_("По одному на строке, например /sveden/ovz."),
    )
    norm_items = models.TextField(
        _("сведения подраздела (микроразметка)"),
        blank=True,
        validators=[validate_norm_items],
        help_text=_(
            "По одному на строке: itemprop — название. «*» в конце строки — «при наличии»; "
            "(было: addressPlace) — прежние названия. Например: "
            "«addressPlaceSet — Места осуществления деятельности (было: addressPlace)»."
        ),
    )
    requirement_text = models.TextField(
        _("текст требования"),
        blank=True,
        help_text=_(
            "Формулировка пункта приказа. Страница, которая в основном повторяет её, "
            "считается заглушкой."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("section"), FieldPanel("counts_toward")]),
        FieldPanel("text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sveden_path"), FieldPanel("itemprop")]),
                FieldRowPanel([FieldPanel("expected_heading"), FieldPanel("auto_check")]),
            ],
            heading=_("Проверка сайта"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("heading_variants"),
                FieldPanel("path_variants"),
                FieldPanel("norm_items"),
                FieldPanel("requirement_text"),
            ],
            heading=_("Норма подраздела"),
            classname="collapsed",
        ),
        FieldPanel("photo_required"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("пункт чек-листа")
        verbose_name_plural = _("пункты чек-листа")

    def __str__(self):
        return self.text

    def clean(self):
        if self.sveden_path and not self.sveden_path.startswith("/"):
            raise ValidationError({"sveden_path": _("Адрес подраздела начинается с «/».")})
        if self.auto_check in {AutoCheck.SVEDEN, AutoCheck.ITEMPROP} and not self.sveden_path:
            raise ValidationError({"sveden_path": _("Для этой проверки укажите подраздел.")})
        if self.auto_check == AutoCheck.ITEMPROP and not self.itemprop:
            raise ValidationError({"itemprop": _("Укажите значение itemprop.")})

    def heading_variant_list(self):
        return lines(self.heading_variants)

    def path_variant_list(self):
        return lines(self.path_variants)

    def norm_item_list(self):
        """The norm items (``norm.NormItem``); bad lines of an unvalidated template skipped."""
        return parse_norm_items_leniently(self.norm_items)

    def norm_item_labels(self):
        return {item.itemprop: item.label for item in self.norm_item_list()}


class MonitoringRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("открыт")
        CHECKING = "checking", _("идёт проверка сайтов")
        CLOSED = "closed", _("закрыт")

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("шаблон"),
    )
    title = models.CharField(_("название"), max_length=200, help_text=_("Например «IV квартал»."))
    organisations = models.ManyToManyField(
        Organisation, related_name="monitoring_rounds", verbose_name=_("организации")
    )
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    check_started_at = models.DateTimeField(_("проверка начата"), null=True, blank=True)
    check_finished_at = models.DateTimeField(_("проверка завершена"), null=True, blank=True)
    sites_checked = models.PositiveIntegerField(_("сайтов проверено"), default=0)

    panels = [FieldPanel("template"), FieldPanel("title"), FieldPanel("organisations")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("раунд мониторинга сайтов")
        verbose_name_plural = _("раунды мониторинга сайтов")

    def __str__(self):
        return f"{self.template.year}: {self.title}"

    def previous(self):
        return (
            MonitoringRound.objects.filter(created_at__lt=self.created_at)
            .order_by("-created_at")
            .first()
        )


class Checklist(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("самообследование школы")
        MONITORING = "monitoring", _("мониторинг сайта")
        EXPERT = "expert", _("наблюдение эксперта")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("отправлен на проверку")
        ACCEPTED = "accepted", _("принят")
        RETURNED = "returned", _("возвращён на доработку")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="checklists",
        verbose_name=_("организация"),
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        related_name="checklists",
        verbose_name=_("шаблон"),
    )
    source = models.CharField(_("источник"), max_length=20, choices=Source.choices)
    round = models.ForeignKey(
        MonitoringRound,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checklists",
        verbose_name=_("раунд мониторинга"),
    )
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    return_comment = models.TextField(_("комментарий при возврате"), blank=True)
    reopened = models.BooleanField(
        _("открыт после срока"),
        default=False,
        help_text=_("Редактор разрешил школе править отчёт после срока сдачи."),
    )
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("проверил"),
    )
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        ordering = ["organisation__name", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "template", "source"],
                condition=Q(round__isnull=True),
                name="one_checklist_per_source_and_year",
            ),
            models.UniqueConstraint(
                fields=["organisation", "round"],
                condition=Q(round__isnull=False),
                name="one_checklist_per_round",
            ),
            models.CheckConstraint(
                condition=Q(source="monitoring", round__isnull=False)
                | (~Q(source="monitoring") & Q(round__isnull=True)),
                name="monitoring_checklists_belong_to_a_round",
            ),
        ]
        indexes = [models.Index(fields=["status", "source"])]
        verbose_name = _("чек-лист")
        verbose_name_plural = _("чек-листы")

    def __str__(self):
        name = self.organisation.short_name or self.organisation.name
        return f"{name}: {self.get_source_display()}, {self.template.year}"


class ChecklistAnswer(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    present = models.BooleanField(_("есть"), null=True, blank=True)
    note = models.CharField(_("примечание"), max_length=500, blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("фотография"),
    )
    # Evidence found by the website checker; an editor confirms or overrides it.
    pre_filled = models.BooleanField(_("заполнено проверкой сайта"), default=False)
    confirmed = models.BooleanField(_("подтверждено редактором"), default=False)
    evidence_url = models.URLField(_("проверенный адрес"), max_length=500, blank=True)
    evidence_status = models.PositiveIntegerField(_("код ответа"), null=True, blank=True)
    evidence_checked_at = models.DateTimeField(_("проверено"), null=True, blank=True)
    evidence_hash = models.CharField(_("хеш содержимого"), max_length=64, blank=True)
    evidence_text = models.TextField(_("копия текста страницы"), blank=True)
    evidence_problem = models.CharField(_("проблема"), max_length=300, blank=True)
    evidence_verdict = models.CharField(
        _("вывод проверки"), max_length=20, choices=Verdict.choices, blank=True
    )
    evidence_how = models.CharField(
        _("как найдено"), max_length=20, choices=HowFound.choices, blank=True
    )
    evidence_matched = models.CharField(_("чем подтверждено"), max_length=300, blank=True)
    evidence_excerpt = models.CharField(_("выдержка"), max_length=300, blank=True)
    # itemprop -> ItemState, for subsections with a norm.
    evidence_items = models.JSONField(_("сведения подраздела"), default=dict, blank=True)

    class Meta:
        ordering = ["item__sort_order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="one_answer_per_item")
        ]
        verbose_name = _("ответ чек-листа")
        verbose_name_plural = _("ответы чек-листа")

    def __str__(self):
        return f"{self.item}: {self.present}"

    def evidence_item_groups(self):
        """The checker's per-item findings grouped for editors: [{"state", "label", "rows":
        [(itemprop, its label)]}] in the order missing, empty, outdated, present; the norm's
        order within a group."""
        found = self.evidence_items or {}
        if not found:
            return []
        labels = self.item.norm_item_labels()
        order = {name: n for n, name in enumerate(labels)}
        groups = []
        for state in (ItemState.MISSING, ItemState.EMPTY, ItemState.OUTDATED, ItemState.PRESENT):
            names = sorted(
                (name for name, value in found.items() if value == state),
                key=lambda name: (order.get(name, len(order)), name),
            )
            if names:
                rows = [(name, labels.get(name, "")) for name in names]
                groups.append({"state": state.value, "label": state.label, "rows": rows})
        return groups


# Expert.Status in the feminine, for a woman expert (Expert.status_label).
FEMININE_STATUS_LABELS = {
    "proposed": _("предложена"),
    "approved": _("утверждена"),
    "rejected": _("отклонена"),
}


class Expert(models.Model):
    """An independent expert. Editors register experts directly (approved at once); a
    municipality's coordinator may propose one (``experts.propose``), who stays «предложен»,
    without a login and not assignable, until an editor approves or rejects the proposal."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("предложен")
        APPROVED = "approved", _("утверждён")
        REJECTED = "rejected", _("отклонён")

    # Empty while a proposal waits: the login is made when an editor approves it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expert",
        verbose_name=_("учётная запись"),
    )
    full_name = models.CharField(_("ФИО"), max_length=200)
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employed_experts",
        verbose_name=_("место работы (организация реестра)"),
    )
    employer_name = models.CharField(_("место работы"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=100, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    # Existing and editor-registered experts are approved; only proposals start elsewhere.
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.APPROVED
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_experts",
        verbose_name=_("муниципалитет, предложивший эксперта"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("предложил"),
    )
    proposed_at = models.DateTimeField(_("предложен"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("решение принял"),
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    rejection_reason = models.TextField(_("причина отклонения"), blank=True)

    # The status changes only through the proposals screen (approve / reject with a reason).
    panels = [
        FieldPanel("user"),
        FieldPanel("full_name"),
        FieldPanel("employer"),
        FieldPanel("employer_name"),
        FieldPanel("phone"),
        FieldPanel("email"),
    ]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("эксперт")
        verbose_name_plural = _("эксперты")

    def __str__(self):
        return self.full_name

    @property
    def is_woman(self):
        """For the feminine forms around the expert's name (core/names.py)."""
        return is_feminine(self.full_name)

    @property
    def status_label(self):
        """The status agreeing with the expert: «утверждена» for a woman."""
        if self.is_woman:
            return FEMININE_STATUS_LABELS[self.status]
        return self.get_status_display()


class ExpertAssignment(models.Model):
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("эксперт")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="expert_assignments",
        verbose_name=_("организация"),
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("шаблон (год)"),
    )
    visit_date = models.DateField(_("дата посещения"), null=True, blank=True)
    # Set by the municipality's coordinator, who hands the printed package to the expert.
    materials_handed_over_on = models.DateField(_("материалы переданы"), null=True, blank=True)
    created_at = models.DateTimeField(_("назначено"), auto_now_add=True)

    panels = [
        FieldPanel("expert"),
        FieldPanel("organisation"),
        FieldPanel("template"),
        FieldPanel("visit_date"),
    ]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "organisation", "template"], name="one_assignment_per_year"
            )
        ]
        verbose_name = _("назначение эксперта")
        verbose_name_plural = _("назначения экспертов")

    def __str__(self):
        return f"{self.expert} → {self.organisation}"

    def clean(self):
        if self.expert_id and self.expert.status != Expert.Status.APPROVED:
            raise ValidationError({"expert": not_approved()})
        conflict = (
            conflict_of_interest(self.expert, self.organisation)
            if (self.expert_id and self.organisation_id)
            else None
        )
        if conflict:
            raise ValidationError({"expert": conflict})
        if (
            self.organisation_id
            and self.template_id
            and not is_assessed(self.organisation_id, self.template.year)
        ):
            raise ValidationError({"organisation": not_on_the_list(self.template.year)})


def not_on_the_list(year):
    return _(
        "Организации нет в перечне организаций для оценки на %(year)s год: сначала включите "
        "её в перечень."
    ) % {"year": year}


def not_approved():
    return _(
        "Эксперт ещё не утверждён редактором (предложение координатора): назначить его нельзя."
    )


def conflict_of_interest(expert, organisation):
    """Why ``expert`` may not observe ``organisation``, or None."""
    if expert.employer_id == organisation.pk:
        return _("Эксперт работает в этой организации: конфликт интересов.")
    if (
        organisation.staff_group_id
        and expert.user_id
        and expert.user.groups.filter(pk=organisation.staff_group_id).exists()
    ):
        return _("Эксперт — сотрудник этой организации на портале: конфликт интересов.")
    return None
