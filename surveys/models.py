"""Questionnaires (versioned data), campaigns, anonymous responses and organised sessions."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.filenames import generated_name
from core.memo import Memo
from core.pages import BasePage
from registry.assessment import is_assessed
from registry.models import Municipality, Organisation

# Stable keys of the 675н questionnaire (methodology §3); storage columns use them.
YES_NO_KEYS = tuple(f"q{number}" for number in range(1, 15))
SUGGESTION_KEY = "q15"
SUGGESTION_MAX_LENGTH = 2000


class Audience(models.TextChoices):
    """The URL segment of a respondent group (``/survey/<code>/<audience>/``), a stable public
    contract. Who the segment means depends on the organisation's kind: that is the respondent
    group's business (``RespondentGroup``), so the labels here stay general."""

    PARENTS = "parents", _("родители (законные представители)")
    STUDENTS = "students", _("обучающиеся")


Kind = Organisation.Kind


class Questionnaire(models.Model):
    """One wording of the questionnaire for one audience of one kind of organisation.

    ``questions`` is data, not code: a list of ``{"key", "text", "kind", "skip_if_no"}``
    where ``kind`` is ``yes_no`` or ``text`` and ``skip_if_no`` names the first question
    shown after a «Нет». Keys stay the same across versions, so later years may reword
    questions without touching code or old responses.

    ``kind`` is a field rather than a part of the version code: the version names the edition
    of the text (675н as worded in a year), the kind says whose organisation it talks about,
    and editors filter and check by both (a kindergarten's group may not take a school's
    wording).
    """

    audience = models.CharField(_("аудитория"), max_length=20, choices=Audience.choices)
    kind = models.CharField(
        _("тип организации"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL
    )
    version = models.CharField(_("версия"), max_length=20)
    title = models.CharField(_("заголовок"), max_length=200)
    intro = models.TextField(_("вступление"), blank=True)
    questions = models.JSONField(_("вопросы"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "kind", "version"], name="questionnaire_kind_version"
            )
        ]
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")

    def __str__(self):
        return f"{self.title} ({self.version})"

    def skipped_by(self, answers):
        """Keys hidden by routing for the given ``{key: bool}`` answers."""
        order = [question["key"] for question in self.questions]
        skipped = set()
        for question in self.questions:
            target = question.get("skip_if_no")
            if target and answers.get(question["key"]) is False:
                start, end = order.index(question["key"]) + 1, order.index(target)
                skipped.update(order[start:end])
        return skipped


class PupilSplit(models.TextChoices):
    """How a campaign divides a school's pupils between its two respondent groups."""

    GRADES = "grades", _("по классам: родители 1–8 классов, обучающиеся 9–11 классов")
    AGE = "age", _("по возрасту: родители обучающихся до 14 лет, обучающиеся 14 лет и старше")


class RespondentGroup(models.Model):
    """Who answers for one kind of organisation under one methodology version, with which
    questionnaire, and what share of them should answer.

    Groups are data that editors keep per methodology version (seeded by migration
    0007 for the default version); the public URL segment is the ``audience``. A kind without
    a group for an audience (kindergartens have no ``students``) answers 404 there.
    """

    methodology_version = models.CharField(
        _("версия методики"),
        max_length=50,
        help_text=_("Код версии методики, как в кампании анкетирования (например, noko-2019)."),
    )
    kind = models.CharField(_("тип организации"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("адрес анкеты"),
        max_length=20,
        choices=Audience.choices,
        help_text=_("Последняя часть адреса анкеты: /survey/<код>/parents/ или …/students/."),
    )
    title = models.CharField(
        _("название группы"),
        max_length=200,
        help_text=_("Так группа названа на страницах: «Анкета для родителей воспитанников»."),
    )
    short_label = models.CharField(
        _("краткое название"),
        max_length=100,
        help_text=_("Для таблиц охвата: «Родители», «Обучающиеся 9–11 классов»."),
    )
    age_split_title = models.CharField(
        _("название при делении по возрасту"),
        max_length=200,
        blank=True,
        help_text=_(
            "Только для школ: название, когда кампания делит обучающихся по возрасту, "
            "а не по классам. Пусто — название не меняется."
        ),
    )
    age_split_label = models.CharField(
        _("краткое название при делении по возрасту"), max_length=100, blank=True
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="respondent_groups",
        verbose_name=_("анкета"),
    )
    coverage_target_percent = models.PositiveSmallIntegerField(
        _("цель охвата, %"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Доля контингента группы, которая должна ответить."),
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["methodology_version", "kind", "position", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology_version", "kind", "audience"],
                name="respondent_group_per_version_kind_audience",
            )
        ]
        verbose_name = _("группа респондентов")
        verbose_name_plural = _("группы респондентов")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.methodology_version})"

    def clean(self):
        super().clean()
        questionnaire = self.questionnaire if self.questionnaire_id else None
        if questionnaire is None:
            return
        if questionnaire.audience != self.audience or questionnaire.kind != self.kind:
            raise ValidationError(
                {
                    "questionnaire": _(
                        "Анкета «%(title)s» написана для другой группы (%(kind)s, %(audience)s): "
                        "выберите анкету для этого типа организации и этого адреса."
                    )
                    % {
                        "title": questionnaire.title,
                        "kind": questionnaire.get_kind_display(),
                        "audience": questionnaire.get_audience_display(),
                    }
                }
            )

    def title_for(self, campaign):
        """The group's title under ``campaign``'s pupil split."""
        if campaign is not None and campaign.pupil_split == PupilSplit.AGE:
            return self.age_split_title or self.title
        return self.title

    def label_for(self, campaign):
        if campaign is not None and campaign.pupil_split == PupilSplit.AGE:
            return self.age_split_label or self.short_label
        return self.short_label


# Every respondent group, remembered by the process: read on every questionnaire request and
# school page, changed a few times a year (a save here forgets it, SurveysConfig.ready).
respondent_groups_memo = Memo("respondent groups")


def all_respondent_groups():
    """{(methodology_version, kind, audience): group}, with the questionnaires."""
    return respondent_groups_memo.get(
        None,
        lambda: {
            (group.methodology_version, group.kind, group.audience): group
            for group in RespondentGroup.objects.select_related("questionnaire")
        },
        settings.PROCESS_MEMO_SECONDS,
    )


def groups_of(methodology_version, kind):
    """The groups of ``kind`` under ``methodology_version``, in their order."""
    groups = [
        group
        for (version, group_kind, _audience), group in all_respondent_groups().items()
        if version == methodology_version and group_kind == kind
    ]
    return sorted(groups, key=lambda group: (group.position, group.audience))


def kind_has_audience(kind, audience):
    """True when some methodology version gives ``kind`` a group at ``audience``: outside a
    campaign, a link that no version knows is unknown (404), one a version knows is closed."""
    return any(
        group_kind == kind and group_audience == audience
        for (_version, group_kind, group_audience) in all_respondent_groups()
    )


class KindsField(models.JSONField):
    """A non-empty list of organisation kinds, edited as checkboxes.

    A list in one column, because membership is decided in Python over the few open
    campaigns (``campaign_for``), never by a query on it."""

    def formfield(self, **kwargs):
        # Wagtail's form factory passes its own kwargs (a JSON widget): the checkboxes win.
        return forms.TypedMultipleChoiceField(
            choices=Kind.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        if not value:
            raise ValidationError(_("Выберите хотя бы один тип организации."), code="blank")
        unknown = [kind for kind in value if kind not in Kind.values]
        if not isinstance(value, list) or unknown:
            raise ValidationError(
                _("Неизвестный тип организации: %(kinds)s.")
                % {"kinds": ", ".join(map(str, unknown or [value]))},
                code="invalid_choice",
            )


class CampaignQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Campaign(models.Model):
    """A questionnaire window for some kinds of organisation, in the whole region or in some
    municipalities. Several may be open at once, but an organisation belongs to at most one
    open campaign (``overlapping``, checked by ``services.save_campaign``)."""

    year = models.PositiveIntegerField(
        _("год оценки"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    title = models.CharField(_("название"), max_length=200)
    opens_at = models.DateTimeField(_("анкетирование открывается"))
    closes_at = models.DateTimeField(_("анкетирование закрывается"))
    report_deadline = models.DateField(_("срок сдачи отчётов школ"), null=True, blank=True)
    kinds = KindsField(
        _("типы организаций"),
        default=list,
        help_text=_("Организации каких типов опрашиваются в этой кампании."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="survey_campaigns",
        verbose_name=_("муниципалитеты"),
        help_text=_("Пусто — весь регион."),
    )
    pupil_split = models.CharField(
        _("деление обучающихся школ"),
        max_length=20,
        choices=PupilSplit.choices,
        default=PupilSplit.GRADES,
        help_text=_("Как школьники делятся между анкетой родителей и анкетой обучающихся."),
    )
    methodology_version = models.CharField(
        _("версия методики"),
        max_length=50,
        help_text=_("Её группы респондентов и анкеты используются в этой кампании."),
    )
    min_respondents = models.PositiveIntegerField(_("минимум респондентов"), default=10)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="campaign_window_order"
            )
        ]
        verbose_name = _("кампания анкетирования")
        verbose_name_plural = _("кампании анкетирования")

    def __str__(self):
        return self.title

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def area_ids(self):
        """The ids of the municipalities the campaign covers; empty for the whole region.

        A form that is about to change them says so in ``planned_municipality_ids`` (the
        many-to-many rows are written only after the campaign itself), so that ``clean``
        checks the area being saved."""
        planned = getattr(self, "planned_municipality_ids", None)
        if planned is not None:
            return frozenset(planned)
        if self.pk is None:
            return frozenset()
        cached = getattr(self, "_prefetched_objects_cache", {}).get("municipalities")
        if cached is not None:
            return frozenset(item.pk for item in cached)
        return frozenset(self.municipalities.values_list("pk", flat=True))

    def covers(self, organisation, area_ids=None):
        """True when ``organisation`` is of a kind and in an area this campaign surveys, and
        on the year's assessment list (when the year has one)."""
        area_ids = self.area_ids() if area_ids is None else area_ids
        return (
            organisation.kind in self.kinds
            and (not area_ids or organisation.municipality_id in area_ids)
            and is_assessed(organisation.pk, self.year)
        )

    def groups_for(self, organisation):
        """The respondent groups of ``organisation``'s kind in this campaign."""
        return groups_of(self.methodology_version, organisation.kind)

    def group_for(self, organisation, audience):
        """The group at ``audience`` for ``organisation`` in this campaign, or None."""
        return all_respondent_groups().get((self.methodology_version, organisation.kind, audience))

    def overlapping(self):
        """The first other campaign that shares a moment, a kind and a municipality with this
        one, or None. The database cannot express the rule, so every save checks it here."""
        kinds, area = set(self.kinds or []), self.area_ids()
        others = (
            Campaign.objects.filter(opens_at__lt=self.closes_at, closes_at__gt=self.opens_at)
            .exclude(pk=self.pk)
            .prefetch_related("municipalities")
            .order_by("opens_at", "pk")
        )
        for other in others:
            other_area = other.area_ids()
            if not kinds & set(other.kinds or []):
                continue
            if area and other_area and not area & other_area:
                continue
            return other
        return None

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("Анкетирование должно закрываться позже, чем открывается.")}
            )
        if self.opens_at and self.closes_at and self.kinds:
            other = self.overlapping()
            if other is not None:
                raise ValidationError(overlap_message(self, other))


def overlap_message(campaign, other):
    kinds = [
        str(label)
        for value, label in Kind.choices
        if value in set(campaign.kinds) & set(other.kinds)
    ]
    return _(
        "Сроки, типы организаций и муниципалитеты пересекаются с кампанией «%(title)s» "
        "(%(opens)s — %(closes)s; общие типы: %(kinds)s). Организация может участвовать "
        "только в одной открытой кампании: измените сроки, типы организаций или муниципалитеты."
    ) % {
        "title": other.title,
        "opens": timezone.localtime(other.opens_at).strftime("%d.%m.%Y"),
        "closes": timezone.localtime(other.closes_at).strftime("%d.%m.%Y"),
        "kinds": ", ".join(kinds).lower(),
    }


# The open campaigns, remembered by the process (core/memo.py) for PROCESS_MEMO_SECONDS (30 s
# by default): the bound within which a change made through another process or server reaches
# this one (tests/cluster proves it); a save in this process forgets it at once
# (SurveysConfig.ready).
open_campaigns = Memo("open campaigns")


def _open_campaigns():
    campaigns = list(
        Campaign.objects.open_at(timezone.now())
        .prefetch_related("municipalities")
        .order_by("opens_at", "pk")
    )
    # Each campaign's area read once here, so that membership is plain Python per request.
    return [(campaign, campaign.area_ids()) for campaign in campaigns]


def campaign_for(organisation):
    """The open campaign ``organisation`` answers in, or None.

    Campaigns change a few times a year, and at a region-wide peak they would otherwise be
    fetched on every submission: the set of open campaigns is remembered, and membership
    (kind and municipality) is decided in Python. The window itself is checked on every
    call, so a campaign still closes on the second. Validation keeps an organisation in at
    most one open campaign; should old data break that, the earliest opened wins."""
    now = timezone.now()
    for campaign, area_ids in open_campaigns.get(
        None, _open_campaigns, settings.PROCESS_MEMO_SECONDS
    ):
        if campaign.is_open(now) and campaign.covers(organisation, area_ids):
            return campaign
    return None


def any_campaign_open():
    """True while some campaign is open (for pages that list many organisations)."""
    now = timezone.now()
    return any(
        campaign.is_open(now)
        for campaign, _area in open_campaigns.get(
            None, _open_campaigns, settings.PROCESS_MEMO_SECONDS
        )
    )


def offered_groups(organisation):
    """The campaign whose links ``organisation`` hands out (its open one, else its latest; None
    before its first) and its groups there. Before any campaign of its own, the kind's groups
    under the methodology version of the latest campaign (or, with none at all, the first
    version that has the kind): the links are the same, so a leaflet may be printed early."""
    campaign = latest_campaign_for(organisation)
    if campaign is not None:
        return campaign, campaign.groups_for(organisation)
    versions = sorted(
        {
            version
            for (version, kind, _audience) in all_respondent_groups()
            if kind == organisation.kind
        }
    )
    latest = (
        Campaign.objects.order_by("-opens_at", "-pk")
        .values_list("methodology_version", flat=True)
        .first()
    )
    version = latest if latest in versions else next(iter(versions), None)
    return None, groups_of(version, organisation.kind) if version else []


def latest_campaign_for(organisation):
    """The open campaign of ``organisation`` or else the latest one that covered it: what a
    school's screens show between campaigns (its links, QR codes and last coverage)."""
    campaign = campaign_for(organisation)
    if campaign is not None:
        return campaign
    for candidate in Campaign.objects.prefetch_related("municipalities").order_by(
        "-opens_at", "-pk"
    ):
        if candidate.covers(organisation):
            return candidate
    return None


class ResponseMode(models.TextChoices):
    """How a response reached the portal: answered online by the respondent, typed in from a
    paper sheet, or typed in by an interviewer during an interview (675н allows all three)."""

    ONLINE = "online", _("онлайн")
    PAPER = "paper", _("бумажная анкета")
    INTERVIEW = "interview", _("интервью")


PAPER_BATCH_CODE_LENGTH = 8
ENTER_PAPER_PERMISSION = "surveys.enter_paper_responses"


class PaperBatch(models.Model):
    """A pile of paper questionnaires (or a series of interviews) of one organisation's
    respondent group in one campaign, under a short code printed on every sheet.

    The batch records who created it; the responses typed into it record nothing about the
    typist (surveys/paper.py). No personal data of respondents is kept anywhere."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="paper_batches", verbose_name=_("кампания")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="paper_batches",
        verbose_name=_("организация"),
    )
    audience = models.CharField(_("группа респондентов"), max_length=20, choices=Audience.choices)
    mode = models.CharField(
        _("способ"),
        max_length=20,
        choices=[(mode.value, mode.label) for mode in (ResponseMode.PAPER, ResponseMode.INTERVIEW)],
        default=ResponseMode.PAPER,
    )
    code = models.CharField(_("код пачки"), max_length=PAPER_BATCH_CODE_LENGTH, unique=True)
    expected_count = models.PositiveIntegerField(
        _("ожидаемое число анкет"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text=_("Сколько анкет в пачке. Ввод сверх этого числа отправляется на проверку."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создана"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("enter_paper_responses", _("Может вводить ответы бумажных анкет и интервью")),
        ]
        verbose_name = _("пачка бумажных анкет")
        verbose_name_plural = _("пачки бумажных анкет")

    def __str__(self):
        return f"{self.code}: {self.organisation} ({self.get_audience_display()})"

    @property
    def display_code(self):
        """The code as printed: two groups of four, easy to read aloud and to type."""
        half = len(self.code) // 2
        return f"{self.code[:half]}-{self.code[half:]}"


class Response(models.Model):
    """One anonymous questionnaire.

    It holds the organisation, audience, campaign, answers and the date only: no IP
    address, user agent, session or user (152-ФЗ; security.md case 9). A paper or interview
    response also names its batch, whose code is printed on the sheet; not who typed it."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("принята")
        FLAGGED = "flagged", _("на проверке")
        REJECTED = "rejected", _("отклонена")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="survey_responses"
    )
    audience = models.CharField(_("аудитория"), max_length=20, choices=Audience.choices)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("дата"), default=timezone.localdate)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.ACCEPTED
    )
    flag_reason = models.CharField(_("причина проверки"), max_length=200, blank=True)
    # The approved organised session that admitted this response past the address limit.
    session = models.ForeignKey(
        "OrganisedSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="admitted_responses",
    )
    # Random value issued with the form: the unique constraint makes a double submission of
    # one form store exactly one response. It identifies a form, not a person.
    form_nonce = models.CharField(max_length=64, unique=True, editable=False)
    # One nullable boolean column per «Да/Нет» question: None means skipped by routing, and
    # rating counts come from one aggregate query over these columns.
    q1 = models.BooleanField(null=True)
    q2 = models.BooleanField(null=True)
    q3 = models.BooleanField(null=True)
    q4 = models.BooleanField(null=True)
    q5 = models.BooleanField(null=True)
    q6 = models.BooleanField(null=True)
    q7 = models.BooleanField(null=True)
    q8 = models.BooleanField(null=True)
    q9 = models.BooleanField(null=True)
    q10 = models.BooleanField(null=True)
    q11 = models.BooleanField(null=True)
    q12 = models.BooleanField(null=True)
    q13 = models.BooleanField(null=True)
    q14 = models.BooleanField(null=True)
    suggestion = models.TextField(_("предложения"), blank=True, max_length=SUGGESTION_MAX_LENGTH)
    mode = models.CharField(
        _("способ"), max_length=20, choices=ResponseMode.choices, default=ResponseMode.ONLINE
    )
    batch = models.ForeignKey(
        PaperBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="responses",
        verbose_name=_("пачка"),
    )

    class Meta:
        indexes = [models.Index(fields=["campaign", "organisation", "status", "audience"])]
        verbose_name = _("ответ на анкету")
        verbose_name_plural = _("ответы на анкету")

    def __str__(self):
        return f"{self.get_audience_display()}, {self.submitted_on:%d.%m.%Y}"


def session_order_upload_to(instance, filename):
    return generated_name("session_orders", filename)


class OrganisedSession(models.Model):
    """A survey run at school (e.g. in a computer class) under a director's order: inside its
    window, responses from that school are not flagged for coming from one address, up to the
    expected number — once the municipality's coordinator or an editor has approved it with
    its order. A school alone could otherwise lift its own limit (security.md case 37)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        APPROVED = "approved", _("одобрено")
        REJECTED = "rejected", _("отклонено")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_sessions"
    )
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    expected_participants = models.PositiveIntegerField(
        _("ожидаемое число участников"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    order_document = models.FileField(
        _("приказ директора (PDF)"),
        upload_to=session_order_upload_to,
        validators=[FileExtensionValidator(["pdf"])],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    status = models.CharField(
        _("решение"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("когда рассмотрено"), null=True, blank=True)
    review_comment = models.CharField(_("комментарий проверяющего"), max_length=500, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_window_order"
            )
        ]
        verbose_name = _("организованное анкетирование")
        verbose_name_plural = _("организованные анкетирования")

    def __str__(self):
        return f"{self.organisation}: {self.starts_at:%d.%m.%Y %H:%M}"


class SurveyPage(BasePage):
    """A page editors place anywhere: the respondent picks a municipality, then a school, and
    is taken to that school's questionnaire."""

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = []
    template = "surveys/survey_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("страница «Пройти анкету»")
        verbose_name_plural = _("страницы «Пройти анкету»")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        municipality = Municipality.objects.filter(
            slug=request.GET.get("municipality", "")[:100]
        ).first()
        organisations = (
            Organisation.objects.filter(municipality=municipality, is_active=True).order_by("name")
            if municipality
            else []
        )
        context.update(
            {
                "municipalities": Municipality.objects.all(),
                "municipality": municipality,
                "choices": [survey_choice(organisation) for organisation in organisations],
                "any_campaign_open": any_campaign_open(),
            }
        )
        return context


def survey_choice(organisation):
    """An organisation as the picker offers it: its open campaign and the questionnaires of
    its kind's groups there (none outside a campaign)."""
    campaign = campaign_for(organisation)
    groups = campaign.groups_for(organisation) if campaign is not None else []
    return {
        "organisation": organisation,
        "campaign": campaign,
        "links": [
            {"audience": group.audience, "title": group.title_for(campaign)} for group in groups
        ],
    }


def campaign_moments():
    """When a campaign opens or closes, from a little before now on (core/page_cache.py cuts
    kept pages at these moments, and for PROCESS_MEMO_SECONDS after each)."""
    since = timezone.now() - timedelta(seconds=settings.PROCESS_MEMO_SECONDS)
    moments = []
    for opens_at, closes_at in Campaign.objects.filter(closes_at__gt=since).values_list(
        "opens_at", "closes_at"
    ):
        moments += [opens_at, closes_at]
    return moments
