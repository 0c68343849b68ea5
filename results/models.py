"""Assessment inputs, methodology versions and the computed, published ratings.

The arithmetic lives in ``results.engine``; this module stores what goes in (inputs with an
audit trail) and what comes out (rating revisions: a draft that editors review, then frozen
published snapshots that stay readable after a correction is republished).
"""

from dataclasses import dataclass, fields, replace

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from core.search import NORMALISED_FIELD, SearchableQuerySet, normalised_text
from registry.models import Municipality, Organisation

from . import engine

# The key of RatingRevision.aggregates listing the kinds with results in the revision.
ASSESSED_KINDS = "assessed_kinds"

BAND_LABELS = {
    "high": _("высокий"),
    "above_average": _("выше среднего"),
    "average": _("средний"),
    "low": _("низкий"),
}


def default_bands():
    return [[lower, key] for lower, key in engine.DEFAULT_BANDS]


class MethodologyVersion(models.Model):
    """The operator's policies for the years it applies to (methodology §1, "Policies")."""

    class Denominator(models.TextChoices):
        ANSWERED = engine.ANSWERED, _("ответившие на вопрос (answered)")
        TOTAL = engine.TOTAL, _("все респонденты (total)")

    class MinRespondentsMode(models.TextChoices):
        EXCLUDE = engine.EXCLUDE, _("не оценивать: «недостаточно данных»")
        RATE_AND_FLAG = engine.RATE_AND_FLAG, _("оценивать с пометкой «мало ответов»")

    class ZeroDenominator(models.TextChoices):
        RESCALE = (
            engine.RESCALE,
            _("показатель не учитывается, веса критерия пересчитываются"),
        )
        COUNT_AS_ZERO = engine.COUNT_AS_ZERO, _("показатель засчитывается как 0 баллов")

    class Rounding(models.TextChoices):
        EXACT = engine.EXACT, _("точный расчёт, округление только при показе")
        PER_INDICATOR = (
            engine.PER_INDICATOR,
            _("округление каждого показателя и критерия до сотых (как в таблицах оператора)"),
        )

    code = models.CharField(
        _("код версии"),
        max_length=50,
        unique=True,
        help_text=_("Тот же код указывается в кампании анкетирования."),
    )
    title = models.CharField(_("название"), max_length=200)
    valid_from_year = models.PositiveIntegerField(
        _("применяется с года"),
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
        help_text=_("Для года без кампании анкетирования берётся последняя действующая версия."),
    )
    denominator_policy = models.CharField(
        _("знаменатель показателей 1.3 и 4.3"),
        max_length=20,
        choices=Denominator.choices,
        default=Denominator.ANSWERED,
    )
    min_respondents = models.PositiveIntegerField(
        _("минимум респондентов"),
        default=10,
        help_text=_(
            "Что происходит с организацией, у которой ответов меньше, решает правило ниже."
        ),
    )
    min_respondents_mode = models.CharField(
        _("если респондентов меньше минимума"),
        max_length=20,
        choices=MinRespondentsMode.choices,
        default=MinRespondentsMode.EXCLUDE,
        help_text=_(
            "«Не оценивать» — организация не получает балл и место за год. «Оценивать с "
            "пометкой» — балл и место присваиваются, а результат везде помечен как "
            "полученный по малому числу ответов."
        ),
    )
    zero_denominator_policy = models.CharField(
        _("показатель с нулевым знаменателем"),
        max_length=20,
        choices=ZeroDenominator.choices,
        default=ZeroDenominator.RESCALE,
        help_text=_(
            "Например, среди ответивших нет людей с инвалидностью (показатель 3.3) или никто "
            "не пользовался стендом и сайтом (1.3). По методике показатель не учитывается, "
            "а веса остальных показателей критерия пересчитываются до суммы 1."
        ),
    )
    rounding_policy = models.CharField(
        _("округление"),
        max_length=20,
        choices=Rounding.choices,
        default=Rounding.EXACT,
        help_text=_(
            "По методике расчёт ведётся точно и округляется до сотых только при показе. "
            "Округление каждого показателя перед критерием и каждого критерия перед итогом "
            "даёт те же цифры, что таблицы оператора; критерии и итог тогда могут "
            "отличаться от точного расчёта не больше чем на 0,01."
        ),
    )
    bands = models.JSONField(
        _("уровни (нижняя граница, ключ)"),
        default=default_bands,
        help_text=_("Соглашение оператора для цвета и подписи; официальных уровней нет."),
    )
    satisfaction_threshold_percent = models.PositiveIntegerField(
        _("порог удовлетворённости для недостатков, %"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Вопрос анкеты, по которому доля удовлетворённых ниже порога, попадает в "
            "недостатки организации."
        ),
    )
    objection_working_days = models.PositiveIntegerField(
        _("срок возражений на предварительные результаты, рабочих дней"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Сколько рабочих дней после открытия предварительных результатов организации "
            "могут подать возражение; праздники и переносы выходных учитываются."
        ),
    )
    description = models.TextField(_("описание и нормативные основания"), blank=True)

    class Meta:
        ordering = ["-valid_from_year"]
        verbose_name = _("версия методики")
        verbose_name_plural = _("версии методики")

    def __str__(self):
        return f"{self.title} ({self.code})"

    def policies(self, min_respondents=None):
        return engine.Policies(
            denominator=self.denominator_policy,
            min_respondents=self.min_respondents if min_respondents is None else min_respondents,
            bands=tuple((int(lower), str(key)) for lower, key in self.bands),
            min_respondents_mode=self.min_respondents_mode,
            zero_denominator=self.zero_denominator_policy,
            rounding=self.rounding_policy,
        )


# Today's behaviour: what a revision stored before a policy existed was computed with.
_DEFAULTS = engine.Policies()


@dataclass(frozen=True)
class AppliedPolicies:
    """The policies a rating revision was computed with, read from ``RatingRevision.policies``.

    The one reader of that stored dict: pages, exports and the result card read policies
    through it, never by key. Revisions stored before a policy existed lack its key and were
    computed the way its default computes, so a missing key reads as the default.
    """

    methodology_code: str = ""
    denominator: str = _DEFAULTS.denominator
    min_respondents: int = _DEFAULTS.min_respondents
    min_respondents_mode: str = _DEFAULTS.min_respondents_mode
    zero_denominator: str = _DEFAULTS.zero_denominator
    rounding: str = _DEFAULTS.rounding
    bands: tuple[tuple[int, str], ...] = _DEFAULTS.bands

    @classmethod
    def from_engine(cls, policies, methodology_code):
        return cls(
            methodology_code=methodology_code,
            **{name: getattr(policies, name) for name in _ENGINE_POLICY_NAMES},
        )

    @classmethod
    def from_stored(cls, stored):
        stored = stored or {}
        values = {f.name: stored[f.name] for f in fields(cls) if stored.get(f.name) is not None}
        if "bands" in values:
            values["bands"] = tuple((int(lower), str(key)) for lower, key in values["bands"])
        return cls(**values)

    def to_stored(self):
        stored = {f.name: getattr(self, f.name) for f in fields(self)}
        stored["bands"] = [list(pair) for pair in self.bands]
        return stored

    def engine_policies(self):
        """The engine's policies, to recompute or explain a result exactly as it was."""
        return engine.Policies(**{name: getattr(self, name) for name in _ENGINE_POLICY_NAMES})

    def get_denominator_display(self):
        return _label(MethodologyVersion.Denominator, self.denominator)

    def get_min_respondents_mode_display(self):
        return _label(MethodologyVersion.MinRespondentsMode, self.min_respondents_mode)

    def get_zero_denominator_display(self):
        return _label(MethodologyVersion.ZeroDenominator, self.zero_denominator)

    def get_rounding_display(self):
        return _label(MethodologyVersion.Rounding, self.rounding)


_ENGINE_POLICY_NAMES = tuple(f.name for f in fields(engine.Policies))


def _label(choices, value):
    # A value no choice knows (a policy of a later version read by older code) shows as is.
    return dict(choices.choices).get(value, value)


def _count_field(verbose_name):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True)


class AssessmentInput(models.Model):
    """The counts one organisation is rated on in one year (methodology §5 columns).

    Checklist counts come from an import, the monitoring checklists or an editor; survey
    counts from an import or from accepted questionnaire responses. Empty means "not yet
    provided", which leaves the organisation unrated rather than rated on a guess.
    """

    class Source(models.TextChoices):
        IMPORT = "import", _("импорт файла")
        SURVEY = "survey", _("ответы на анкеты")
        CHECKLISTS = "checklists", _("чек-листы")
        EDITOR = "editor", _("редактор")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessment_inputs",
        verbose_name=_("организация"),
    )
    year = models.PositiveIntegerField(
        _("год"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    stand_items = _count_field(_("стенд: пунктов есть"))
    stand_norm = _count_field(_("стенд: пунктов по норме"))
    site_items = _count_field(_("сайт: пунктов есть"))
    site_norm = _count_field(_("сайт: пунктов по норме"))
    distance_channels = _count_field(_("дистанционные способы"))
    comfort_conditions = _count_field(_("условия комфортности"))
    territory_conditions = _count_field(_("оборудование территории для инвалидов"))
    service_conditions = _count_field(_("условия получения услуг инвалидами"))
    respondents = _count_field(_("респондентов"))
    stand_used = _count_field(_("пользовались стендом"))
    stand_satisfied = _count_field(_("удовлетворены стендом"))
    site_used = _count_field(_("пользовались сайтом"))
    site_satisfied = _count_field(_("удовлетворены сайтом"))
    comfort_satisfied = _count_field(_("удовлетворены комфортностью"))
    disabled = _count_field(_("респондентов с инвалидностью"))
    disabled_satisfied = _count_field(_("удовлетворены доступностью"))
    first_contact_satisfied = _count_field(_("вежливость при первичном контакте"))
    direct_service_satisfied = _count_field(_("вежливость педагогов"))
    distance_used = _count_field(_("пользовались дистанционными способами"))
    distance_satisfied = _count_field(_("вежливость при дистанционном взаимодействии"))
    recommend = _count_field(_("готовы рекомендовать"))
    schedule_satisfied = _count_field(_("удовлетворены графиком"))
    overall_satisfied = _count_field(_("удовлетворены в целом"))
    checklist_source = models.CharField(
        _("источник чек-листов"), max_length=20, choices=Source.choices, blank=True
    )
    survey_source = models.CharField(
        _("источник анкетных данных"), max_length=20, choices=Source.choices, blank=True
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        ordering = ["year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_input_per_year")
        ]
        indexes = [models.Index(fields=["year"])]
        verbose_name = _("входные данные оценки")
        verbose_name_plural = _("входные данные оценки")

    def __str__(self):
        return f"{self.organisation} — {self.year}"


class InputChange(models.Model):
    """Audit trail of assessment inputs: who changed what, from which source, when."""

    year = models.PositiveIntegerField(_("год"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("организация"),
    )
    source = models.CharField(_("источник"), max_length=20, choices=AssessmentInput.Source.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    changed_at = models.DateTimeField(_("когда"), auto_now_add=True)
    # {field: [old, new]} for one organisation; empty for a summary row of a bulk operation.
    changes = models.JSONField(_("изменения"), default=dict)
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["year", "organisation"])]
        verbose_name = _("изменение входных данных")
        verbose_name_plural = _("журнал входных данных")

    def __str__(self):
        return f"{self.year}: {self.get_source_display()} ({self.changed_at:%d.%m.%Y %H:%M})"


class RatingRevisionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            status__in=[RatingRevision.Status.PUBLISHED, RatingRevision.Status.SUPERSEDED]
        )

    def current(self):
        return self.filter(status=RatingRevision.Status.PUBLISHED)

    def current_of(self, year):
        """The year's current published revision, or None (never a draft)."""
        return self.current().filter(year=year).first()

    def published_years(self):
        """Years with a published revision, latest first."""
        return sorted(set(self.current().values_list("year", flat=True)), reverse=True)


class RatingRevision(models.Model):
    """One computation of a year's ratings.

    A draft is recomputed freely. Publishing freezes it; a later correction is computed into
    a new draft and published as the next revision with a public change note, and the
    previous revision stays readable as "superseded".
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        PUBLISHED = "published", _("опубликован")
        SUPERSEDED = "superseded", _("заменён новой редакцией")

    year = models.PositiveIntegerField(_("год"))
    number = models.PositiveIntegerField(_("редакция"))
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    methodology = models.ForeignKey(
        MethodologyVersion,
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("версия методики"),
    )
    # The policies exactly as applied, so a later edit of the methodology cannot rewrite
    # what a published year says about itself.
    policies = models.JSONField(_("применённые правила"), default=dict)
    computed_at = models.DateTimeField(_("рассчитан"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("рассчитал"),
    )
    published_at = models.DateTimeField(_("опубликован"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("опубликовал"),
    )
    # Municipality and region means of every criterion and the total (display values),
    # computed with the results: {"region": {...}, "municipalities": {id: {...}}}.
    aggregates = models.JSONField(_("средние значения"), default=dict, editable=False)
    # What the steps before publication leave on the record, e.g. how many objections to
    # the preliminary results were filed, accepted and rejected ({"objections": {...}}).
    # Written at publication by the ``before_publish_ratings`` hooks.
    publication_summary = models.JSONField(
        _("итоги предварительного этапа"), default=dict, blank=True, editable=False
    )
    change_note = models.TextField(
        _("что изменилось"),
        blank=True,
        help_text=_("Публичное пояснение к новой редакции опубликованного рейтинга."),
    )

    objects = RatingRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="revision_number_per_year"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="draft"), name="one_draft_per_year"
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="published"), name="one_current_per_year"
            ),
        ]
        verbose_name = _("редакция рейтинга")
        verbose_name_plural = _("редакции рейтинга")
        permissions = [("publish_ratingrevision", _("Может рассчитывать и публиковать рейтинг"))]

    def __str__(self):
        return _("Рейтинг %(year)s, редакция %(number)s") % {
            "year": self.year,
            "number": self.number,
        }

    @property
    def applied_policies(self):
        """The stored policies, typed; what every page and export says about them."""
        applied = AppliedPolicies.from_stored(self.policies)
        if not applied.methodology_code and self.methodology_id is not None:
            # Every computation stores the code; this only reads rows written by hand.
            applied = replace(applied, methodology_code=self.methodology.code)
        return applied


def _figure_field(verbose_name):
    # Display values: exact arithmetic rounded half-up to 2 decimals by the engine.
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, null=True, blank=True)


class RatingResultQuerySet(SearchableQuerySet):
    def public(self):
        """Results of the current published revision of each year: what the public sees."""
        return self.filter(is_current=True)


class RatingResult(index.Indexed, models.Model):
    """One organisation's figures in one revision.

    Name, municipality and kind are copied at computation, so a year's archive keeps saying
    what it said when it was published even after the registry changes.
    """

    class Status(models.TextChoices):
        RATED = engine.RATED, _("рейтинг рассчитан")
        INSUFFICIENT_DATA = engine.INSUFFICIENT_DATA, _("недостаточно ответов")

    # No index of their own: the unique (revision, organisation) constraint and the
    # (organisation, is_current) index serve these lookups, and every index costs time when a
    # country's 50,000 results are written.
    #
    # The organisation and the municipality are checked by the database as well as by
    # Django's PROTECT, so no path that bypasses Django can leave a result pointing at
    # nothing; at country scale the checks cost little (bench/README.md, "Ratings"). The
    # revision is not: results are written only by the computation, in the transaction that
    # creates or resets their revision, and go with it (CASCADE), so a check at commit of
    # every row would only repeat what that transaction already knows.
    revision = models.ForeignKey(
        RatingRevision,
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveIntegerField(_("год"))
    # True only for results of a year's current published revision (kept in step by the
    # publication service). Drafts are never public and never indexed.
    is_current = models.BooleanField(default=False, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="rating_results",
        verbose_name=_("организация"),
        db_index=False,
    )
    code = models.CharField(_("код"), max_length=20)
    name = models.CharField(_("полное название"), max_length=500)
    short_name = models.CharField(_("краткое название"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    kind = models.CharField(_("тип"), max_length=20, choices=Organisation.Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="rating_results",
        verbose_name=_("муниципалитет"),
        # The public listing's indexes lead with (year, municipality); the rare check
        # before deleting a municipality may scan.
        db_index=False,
    )
    municipality_name = models.CharField(_("муниципалитет"), max_length=200)
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices)
    respondents = models.PositiveIntegerField(_("респондентов"), default=0)
    # Rated although below the minimum number of respondents (policy «оценивать с
    # пометкой»): every page and export that shows the result marks it.
    low_sample = models.BooleanField(_("мало ответов"), default=False, db_default=False)
    p1_1 = _figure_field("1.1")
    p1_2 = _figure_field("1.2")
    p1_3 = _figure_field("1.3")
    k1 = _figure_field(_("К1"))
    p2_1 = _figure_field("2.1")
    p2_3 = _figure_field("2.3")
    k2 = _figure_field(_("К2"))
    p3_1 = _figure_field("3.1")
    p3_2 = _figure_field("3.2")
    p3_3 = _figure_field("3.3")
    k3 = _figure_field(_("К3"))
    p4_1 = _figure_field("4.1")
    p4_2 = _figure_field("4.2")
    p4_3 = _figure_field("4.3")
    k4 = _figure_field(_("К4"))
    p5_1 = _figure_field("5.1")
    p5_2 = _figure_field("5.2")
    p5_3 = _figure_field("5.3")
    k5 = _figure_field(_("К5"))
    total = _figure_field(_("итоговый балл"))
    rank = models.PositiveIntegerField(_("место в регионе"), null=True, blank=True)
    municipality_rank = models.PositiveIntegerField(
        _("место в муниципалитете"), null=True, blank=True
    )
    band = models.CharField(_("уровень"), max_length=20, blank=True)
    # The inputs exactly as used, for «как посчитано» and for audit.
    inputs = models.JSONField(_("входные данные"), default=dict)
    # PostgreSQL full-text document (Russian configuration) of a published result, filled at
    # publication and indexed with GIN (migration 0005); see results.search.
    search_document = SearchVectorField(null=True, editable=False)

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("short_name", boost=3),
        index.SearchField("address"),
        index.SearchField("municipality_name"),
        # The fields above in the normal form the search reads Russian in (core/search.py).
        index.SearchField(NORMALISED_FIELD),
        index.AutocompleteField("name"),
        index.AutocompleteField("short_name"),
        index.FilterField("is_current"),
        index.FilterField("year"),
        index.FilterField("municipality_id"),
        index.FilterField("kind"),
        index.FilterField("band"),
        index.FilterField("status"),
        index.FilterField("total"),
        index.FilterField("rank"),
        index.FilterField("municipality_rank"),
        index.FilterField("name"),
        index.FilterField("municipality_name"),
        index.FilterField("code"),
    ]

    objects = RatingResultQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "organisation"], name="one_result_per_revision"
            )
        ]
        indexes = [
            # The public listing orders (results.queries.ORDERS) over current results only,
            # so a page of a country's 50,000 results is read from the index, not sorted.
            models.Index(
                fields=["year", "-status", "rank", "name"],
                condition=Q(is_current=True),
                name="result_public_by_rank",
            ),
            models.Index(
                fields=["year", "municipality", "-status", "municipality_rank", "name"],
                condition=Q(is_current=True),
                name="result_public_by_municipality",
            ),
            models.Index(
                fields=["year", "name"], condition=Q(is_current=True), name="result_public_by_name"
            ),
            models.Index(fields=["organisation", "is_current"]),
        ]
        verbose_name = _("результат организации")
        verbose_name_plural = _("результаты организаций")

    def __str__(self):
        return f"{self.short_name or self.name} — {self.year}"

    def normalised_text(self):
        return normalised_text(self)

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(is_current=True)

    def get_indexed_instance(self):
        # Only published results reach a search index (security.md case 17).
        return self if self.is_current else None

    @property
    def is_rated(self):
        return self.status == self.Status.RATED

    @property
    def band_label(self):
        return BAND_LABELS.get(self.band, self.band)

    def figures(self):
        return {code: getattr(self, code) for code in engine.FIGURES}
