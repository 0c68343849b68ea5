"""Questionnaires (versioned data), campaigns, anonymous responses and organised sessions."""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.filenames import generated_name
from core.memo import Memo
from core.pages import BasePage
from registry.models import Municipality, Organisation

# Stable keys of the 675н questionnaire (methodology §3); storage columns use them.
YES_NO_KEYS = tuple(f"q{number}" for number in range(1, 15))
SUGGESTION_KEY = "q15"
SUGGESTION_MAX_LENGTH = 2000


class Audience(models.TextChoices):
    PARENTS = "parents", _("родители обучающихся 1–8 классов")
    STUDENTS = "students", _("обучающиеся 9–11 классов")


class Questionnaire(models.Model):
    """One wording of the questionnaire for one audience.

    ``questions`` is data, not code: a list of ``{"key", "text", "kind", "skip_if_no"}``
    where ``kind`` is ``yes_no`` or ``text`` and ``skip_if_no`` names the first question
    shown after a «Нет». Keys stay the same across versions, so later years may reword
    questions without touching code or old responses.
    """

    audience = models.CharField(_("аудитория"), max_length=20, choices=Audience.choices)
    version = models.CharField(_("версия"), max_length=20)
    title = models.CharField(_("заголовок"), max_length=200)
    intro = models.TextField(_("вступление"), blank=True)
    questions = models.JSONField(_("вопросы"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audience", "version"], name="questionnaire_version")
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


class CampaignQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Campaign(models.Model):
    year = models.PositiveIntegerField(
        _("год оценки"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    title = models.CharField(_("название"), max_length=200)
    opens_at = models.DateTimeField(_("анкетирование открывается"))
    closes_at = models.DateTimeField(_("анкетирование закрывается"))
    report_deadline = models.DateField(_("срок сдачи отчётов школ"), null=True, blank=True)
    parents_questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"audience": Audience.PARENTS},
        verbose_name=_("анкета для родителей"),
        help_text=_("Пусто — родители в этой кампании не опрашиваются."),
    )
    students_questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"audience": Audience.STUDENTS},
        verbose_name=_("анкета для обучающихся"),
        help_text=_("Пусто — обучающиеся в этой кампании не опрашиваются."),
    )
    methodology_version = models.CharField(_("версия методики"), max_length=50)
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

    def questionnaire_for(self, audience):
        return {
            Audience.PARENTS: self.parents_questionnaire,
            Audience.STUDENTS: self.students_questionnaire,
        }.get(audience)

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at


# The open campaign, remembered by the process (core/memo.py) for PROCESS_MEMO_SECONDS (30 s
# by default): the bound within which a change made through another process or server reaches
# this one (tests/cluster proves it); a save in this process forgets it at once
# (SurveysConfig.ready).
open_campaigns = Memo("open campaign")


def current_campaign():
    """The open campaign with its questionnaires.

    It changes a few times a year, and at a region-wide peak it would otherwise be fetched
    (and its questions parsed) on every submission. The window itself is checked on every
    call, so a campaign still closes on the second."""
    campaign = open_campaigns.get(
        None,
        lambda: (
            Campaign.objects.open_at(timezone.now())
            .select_related("parents_questionnaire", "students_questionnaire")
            .first()
        ),
        settings.PROCESS_MEMO_SECONDS,
    )
    return campaign if campaign is not None and campaign.is_open() else None


class Response(models.Model):
    """One anonymous questionnaire.

    It holds the organisation, audience, campaign, answers and the date only: no IP
    address, user agent, session or user (152-ФЗ; security.md case 9)."""

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
        context.update(
            {
                "municipalities": Municipality.objects.all(),
                "municipality": municipality,
                "organisations": (
                    Organisation.objects.filter(municipality=municipality, is_active=True).order_by(
                        "name"
                    )
                    if municipality
                    else []
                ),
                "campaign": current_campaign(),
            }
        )
        return context
