"""Shortcomings of an organisation in a year: derived from the evidence, then the operator's.

Derivation (``derive``, ``derive_year``) reads the year's result of the organisation — the
draft rating revision of the year when there is one (the figures under review), else the
current published one — and turns every indicator below 100 into shortcomings:

- checklist indicators (1.1 stand and site, 1.2, 2.1, 3.1, 3.2): every item answered «нет» in
  the accepted checklist that ``monitoring.services.derived_inputs`` took the input from, with
  the checked address or the photo as evidence. An input no accepted checklist covers (an
  import, an editor's figure), or whose checklist shows no «нет» although the count is short,
  gives one shortcoming for the indicator worded from the counts and the methodology's list;
- questionnaire indicators: every satisfaction question whose share satisfied is below the
  methodology version's ``satisfaction_threshold_percent`` (exactly at the threshold is not a
  shortcoming), with the denominators of methodology §1 under the revision's denominator
  policy; a question nobody was asked (denominator 0) is skipped. Only a rated result gives
  them: a share the methodology does not rate on (too few respondents) is no evidence.

Only organisations on the year's assessment list are derived; one with no result in the
revision is left as it is. Each derived row is keyed by its source (``item:<pk>``,
``q:<key>``, ``indicator:<code>``), so deriving again updates the same rows: the derived
wording and the evidence follow the data, the wording itself only while the operator has not
edited it (``edited``); a row the evidence no longer shows becomes ``stale`` (and stops being
stale when it shows again); the operator's status decisions and rows the operator added are
never touched. One transaction per organisation; every change is in the trail.

Operator's status flow (each step one ``ShortcomingChange`` with the user and
``{field: [old, new]}``): active → dismissed (a reason is required) → active again
(``restore``); active → merged into another active shortcoming of the same organisation and
year (``merge``; the target's wording may be rewritten in the same step) → active again
(``restore``). ``edit`` rewrites the wording of an active or dismissed shortcoming and marks
it edited; ``add`` records one the evidence does not show (source «оператор»).

After publication: the operator may still correct wording and decisions once the year is final
(``accountability.publication.year_is_final``) — a typo or a wrongly kept item should not stay
on the public page for a year — and deriving again after a corrected revision is allowed too.
Nothing is refused for being late; every change stays in the trail with who and when, so what
the public read before a correction can always be told.
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from core.validators import reject_control_characters
from monitoring.models import RatingInput
from monitoring.services import derived_inputs
from registry.assessment import listed_ids
from registry.models import Organisation
from results import engine
from results.models import RatingResult, RatingRevision
from surveys.counts import SURVEY_COUNT_KEYS

from .models import Criterion, Shortcoming, ShortcomingChange

__all__ = [
    "DeriveReport",
    "add",
    "derive",
    "derive_year",
    "dismiss",
    "edit",
    "indicator_choices",
    "merge",
    "restore",
    "year_revision",
]

Source = Shortcoming.Source
Status = Shortcoming.Status
Action = ShortcomingChange.Action

# Operator-added rows come after every derived one of their criterion.
OPERATOR_POSITION_BASE = 100_000
MAX_TEXT_LENGTH = 2000
MAX_REASON_LENGTH = Shortcoming._meta.get_field("dismiss_reason").max_length
MAX_EVIDENCE_LENGTH = Shortcoming._meta.get_field("evidence").max_length
MAX_URL_LENGTH = Shortcoming._meta.get_field("evidence_url").max_length


def _number(code):
    """ "p1_1" → "1.1"."""
    return code[1:].replace("_", ".")


def indicator_choices():
    """(number, number) of every indicator, for the operator's «add» form."""
    return [(_number(code), _number(code)) for code in engine.INDICATORS]


def criterion_of(number):
    """The criterion of indicator "1.1" … "5.3"."""
    return Criterion(int(number.split(".")[0]))


# --- What the evidence shows ----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One shortcoming as the evidence words it, before it meets the stored rows."""

    indicator: str  # "1.1"
    source: str
    source_key: str
    text: str
    evidence: str
    evidence_url: str = ""


# Checklist indicators: the inputs they count and the points one item of a list is worth
# (methodology §1: min(100, 30 × channels), min(100, 20 × conditions)); 1.1 is a share of
# the norm instead.
CHECKLIST_INDICATORS = {
    "p1_1": (RatingInput.STAND, RatingInput.SITE),
    "p1_2": (RatingInput.DISTANCE,),
    "p2_1": (RatingInput.COMFORT,),
    "p3_1": (RatingInput.TERRITORY,),
    "p3_2": (RatingInput.SERVICE,),
}
POINTS_PER_ITEM = {"p1_2": 30, "p2_1": 20, "p3_1": 20, "p3_2": 20}
NORM_OF = {RatingInput.STAND: "stand_norm", RatingInput.SITE: "site_norm"}


def _item_wording(field_name, item):
    """A checklist requirement worded as what is missing."""
    wordings = {
        RatingInput.STAND: _("На информационном стенде нет сведений: %(item)s"),
        RatingInput.SITE: _("На официальном сайте нет сведений: %(item)s"),
        RatingInput.DISTANCE: _("Не обеспечен дистанционный способ взаимодействия: %(item)s"),
        RatingInput.COMFORT: _("Не обеспечено условие комфортности: %(item)s"),
        RatingInput.TERRITORY: _("Помещения и территория не оборудованы для инвалидов: %(item)s"),
        RatingInput.SERVICE: _("Не обеспечено условие доступности услуг для инвалидов: %(item)s"),
    }
    requirement = _lower_first(item.text)
    if item.sveden_path:
        requirement = f"{requirement} ({item.sveden_path})"
    return wordings[field_name] % {"item": requirement}


def _lower_first(text):
    # «Пандус» → «пандус», but «ИНН» and «Wi-Fi» stay as written.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# Methodology §2: the lists an organisation is counted against, for the generic wording.
METHODOLOGY_LISTS = {
    "p1_2": (
        "телефон; электронная почта; электронные сервисы (форма обращения, консультации); "
        "раздел «Часто задаваемые вопросы»; возможность оставить мнение о качестве условий; "
        "иной дистанционный способ"
    ),
    "p2_1": (
        "зона отдыха (ожидания) с мебелью; понятная навигация; питьевая вода; "
        "санитарно-гигиенические помещения; санитарное состояние помещений; транспортная "
        "доступность; доступность записи на получение услуги"
    ),
    "p3_1": (
        "входные группы с пандусами (подъёмными платформами); выделенные стоянки для "
        "автотранспорта инвалидов; адаптированные лифты, поручни, расширенные дверные проёмы; "
        "сменные кресла-коляски; специально оборудованные санитарно-гигиенические помещения"
    ),
    "p3_2": (
        "дублирование звуковой и зрительной информации; дублирование надписей шрифтом Брайля; "
        "услуги сурдопереводчика (тифлосурдопереводчика); альтернативная версия сайта для "
        "инвалидов по зрению; помощь обученных работников; обучение в дистанционном режиме "
        "или на дому"
    ),
}


def _points(value):
    """86.86 → «86,86», 90.00 → «90»."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _generic_wording(code, value, inputs, parts):
    """The one shortcoming of an indicator whose inputs no checklist explains."""
    figure = {"number": _number(code), "points": _points(value)}
    if code == "p1_1":
        pieces = []
        if RatingInput.STAND in parts:
            pieces.append(
                _("на информационном стенде размещено %(items)s из %(norm)s обязательных сведений")
                % {"items": inputs.get("stand_items"), "norm": inputs.get("stand_norm")}
            )
        if RatingInput.SITE in parts:
            pieces.append(
                _("на официальном сайте размещено %(items)s из %(norm)s обязательных сведений")
                % {"items": inputs.get("site_items"), "norm": inputs.get("site_norm")}
            )
        text = _("Информация неполная: %(parts)s (показатель %(number)s — %(points)s из 100).") % {
            "parts": "; ".join(pieces),
            **figure,
        }
        evidence = "; ".join(f"{inputs.get(part)} / {inputs.get(NORM_OF[part])}" for part in parts)
        return text, evidence
    count = inputs.get(parts[0])
    needed = -(-100 // POINTS_PER_ITEM[code])  # items that give 100 points
    subjects = {
        "p1_2": _("Дистанционных способов взаимодействия обеспечено"),
        "p2_1": _("Условий комфортности обеспечено"),
        "p3_1": _("Условий доступности помещений и территории для инвалидов обеспечено"),
        "p3_2": _("Условий получения услуг инвалидами обеспечено"),
    }
    text = _(
        "%(subject)s %(count)s из %(needed)s необходимых (показатель %(number)s — "
        "%(points)s из 100). Перечень по методике: %(list)s."
    ) % {
        "subject": subjects[code],
        "count": count,
        "needed": needed,
        "list": METHODOLOGY_LISTS[code],
        **figure,
    }
    return text, _("%(count)s из %(needed)s") % {"count": count, "needed": needed}


def _answer_evidence(answer, checklist):
    evidence = _("нет (%(source)s)") % {"source": checklist.get_source_display()}
    if answer.note:
        evidence = f"{evidence}: {answer.note}"
    if answer.evidence_url:
        url = answer.evidence_url
    elif answer.photo_id:
        url = reverse("wagtailimages:edit", args=[answer.photo_id])
    else:
        url = ""
    return evidence[:MAX_EVIDENCE_LENGTH], url[:MAX_URL_LENGTH]


def _checklist_findings(result, evidence):
    """Findings of the checklist indicators below 100. ``evidence()`` gives the accepted
    checklists' (values, sources), asked only when an indicator needs it."""
    found = []
    for code, parts in CHECKLIST_INDICATORS.items():
        value = getattr(result, code)
        if value is None or value >= 100:
            continue
        number = _number(code)
        short = [
            part
            for part in parts
            if part not in NORM_OF
            or (result.inputs.get(part) or 0) < (result.inputs.get(NORM_OF[part]) or 0)
        ]
        unexplained = []
        for part in short:
            _values, sources = evidence()
            checklist = sources.get(part)
            items = []
            if checklist is not None:
                answers = sorted(
                    (
                        answer
                        for answer in checklist.answers.all()
                        if answer.item.counts_toward == part and answer.present is False
                    ),
                    key=lambda answer: (answer.item.sort_order or 0, answer.item_id),
                )
                for answer in answers:
                    text, url = _answer_evidence(answer, checklist)
                    items.append(
                        Finding(
                            indicator=number,
                            source=Source.CHECKLIST,
                            source_key=f"item:{answer.item_id}",
                            text=_item_wording(part, answer.item),
                            evidence=text,
                            evidence_url=url,
                        )
                    )
            if items:
                found.extend(items)
            else:
                unexplained.append(part)
        if unexplained:
            text, figures = _generic_wording(code, value, result.inputs, unexplained)
            found.append(
                Finding(
                    indicator=number,
                    source=Source.INDICATOR,
                    source_key=f"indicator:{number}",
                    text=text,
                    evidence=figures[:MAX_EVIDENCE_LENGTH],
                )
            )
    return found


# Satisfaction questions: (indicator, the «Да» count, its denominator under the policy
# «answered», whether the policy «total» counts all respondents instead). The question key
# comes from surveys.counts, the one list of which question feeds which input.
SURVEY_QUESTIONS = (
    ("p1_3", "stand_satisfied", "stand_used", True),
    ("p1_3", "site_satisfied", "site_used", True),
    ("p2_3", "comfort_satisfied", "respondents", False),
    ("p3_3", "disabled_satisfied", "disabled", False),
    ("p4_1", "first_contact_satisfied", "respondents", False),
    ("p4_2", "direct_service_satisfied", "respondents", False),
    ("p4_3", "distance_satisfied", "distance_used", True),
    ("p5_1", "recommend", "respondents", False),
    ("p5_2", "schedule_satisfied", "respondents", False),
    ("p5_3", "overall_satisfied", "respondents", False),
)


def _survey_wording(count_field):
    subjects = {
        "stand_satisfied": _(
            "открытостью, полнотой и доступностью информации об организации на "
            "информационных стендах"
        ),
        "site_satisfied": _(
            "открытостью, полнотой и доступностью информации об организации на официальном сайте"
        ),
        "comfort_satisfied": _(
            "комфортностью условий (зона отдыха, навигация, питьевая вода, санитарные помещения)"
        ),
        "disabled_satisfied": _("доступностью услуг для инвалидов"),
        "first_contact_satisfied": _(
            "доброжелательностью и вежливостью работников при первичном контакте "
            "(приёмная, секретарь)"
        ),
        "direct_service_satisfied": _(
            "доброжелательностью и вежливостью работников, непосредственно оказывающих услугу"
        ),
        "distance_satisfied": _(
            "доброжелательностью и вежливостью работников при дистанционном взаимодействии"
        ),
        "schedule_satisfied": _("организационными условиями (график работы, расписание занятий)"),
        "overall_satisfied": _("условиями оказания образовательных услуг в целом"),
    }
    if count_field == "recommend":
        return _("Получатели услуг недостаточно готовы рекомендовать организацию")
    if count_field == "disabled_satisfied":
        return _(
            "Получатели услуг с инвалидностью недостаточно удовлетворены доступностью услуг "
            "для инвалидов"
        )
    return _("Получатели услуг недостаточно удовлетворены %(subject)s") % {
        "subject": subjects[count_field]
    }


def _percent(count, denominator):
    """The share in per cent, cut (not rounded) to one decimal: a share below the threshold
    never reads as the threshold itself."""
    tenths = count * 1000 // denominator
    whole, tenth = divmod(tenths, 10)
    return f"{whole},{tenth}" if tenth else str(whole)


def _survey_findings(result, threshold, denominator_policy):
    if result.status != RatingResult.Status.RATED:
        return []
    found = []
    for code, count_field, denominator_field, policy_dependent in SURVEY_QUESTIONS:
        if policy_dependent and denominator_policy == engine.TOTAL:
            denominator_field = "respondents"
        count = result.inputs.get(count_field)
        denominator = result.inputs.get(denominator_field)
        if count is None or not denominator:
            continue
        if count * 100 >= threshold * denominator:
            continue
        key = SURVEY_COUNT_KEYS[count_field]
        label = _("готовы рекомендовать") if count_field == "recommend" else _("удовлетворены")
        found.append(
            Finding(
                indicator=_number(code),
                source=Source.SURVEY,
                source_key=f"q:{key}",
                text=_survey_wording(count_field),
                evidence=(
                    _("%(label)s %(percent)s %% (%(count)s из %(total)s; порог %(threshold)s %%)")
                    % {
                        "label": label,
                        "percent": _percent(count, denominator),
                        "count": count,
                        "total": denominator,
                        "threshold": threshold,
                    }
                ),
            )
        )
    return found


def findings_for(organisation, year, result, revision):
    """Every shortcoming the evidence shows for ``organisation``'s ``result``, in order."""
    cache = {}

    def evidence():
        if "checklists" not in cache:
            cache["checklists"] = derived_inputs(organisation, year)
        return cache["checklists"]

    found = _checklist_findings(result, evidence) + _survey_findings(
        result,
        revision.methodology.satisfaction_threshold_percent,
        revision.applied_policies.denominator,
    )
    # Indicator order of the methodology, each source's own order within an indicator.
    order = {_number(code): index for index, code in enumerate(engine.INDICATORS)}
    return sorted(found, key=lambda finding: order[finding.indicator])


# --- Derivation -----------------------------------------------------------------------------


@dataclass
class DeriveReport:
    """What a derivation did: counts of rows and the organisations left out."""

    organisations: int = 0
    created: int = 0
    updated: int = 0
    stale: int = 0
    # Codes of organisations not derived: not on the year's list, or without a result.
    skipped: list = field(default_factory=list)

    def add(self, other):
        self.organisations += other.organisations
        self.created += other.created
        self.updated += other.updated
        self.stale += other.stale
        self.skipped += other.skipped

    def as_dict(self):
        return {
            "organisations": self.organisations,
            "created": self.created,
            "updated": self.updated,
            "stale": self.stale,
            "skipped": len(self.skipped),
        }


def year_revision(year):
    """The revision shortcomings of ``year`` are derived from: the draft when there is one,
    else the current published revision; None before the year is computed."""
    return (
        RatingRevision.objects.filter(
            year=year, status__in=[RatingRevision.Status.DRAFT, RatingRevision.Status.PUBLISHED]
        )
        .select_related("methodology")
        .order_by("-number")
        .first()
    )


def _no_revision(year):
    return ValidationError(
        _("Рейтинг %(year)s года ещё не рассчитан: недостатки выявляются по его результатам.")
        % {"year": year}
    )


def derive(organisation, year, user=None):
    """Derive ``organisation``'s shortcomings of ``year`` (see the module docstring).
    Raises ValidationError when the year has no revision yet."""
    revision = year_revision(year)
    if revision is None:
        raise _no_revision(year)
    listed = listed_ids(year)
    result = None
    if listed is None or organisation.pk in listed:
        result = revision.results.filter(organisation=organisation).first()
    if result is None:
        return DeriveReport(skipped=[organisation.code])
    return _derive_one(organisation, year, result, revision, user)


def derive_year(year, user=None):
    """Derive the shortcomings of every listed organisation with a result in ``year``."""
    revision = year_revision(year)
    if revision is None:
        raise _no_revision(year)
    listed = listed_ids(year)
    report = DeriveReport()
    results = revision.results.select_related("organisation").order_by("organisation_id")
    for result in results.iterator(chunk_size=200):
        if listed is not None and result.organisation_id not in listed:
            report.skipped.append(result.organisation.code)
            continue
        report.add(_derive_one(result.organisation, year, result, revision, user))
    return report


@transaction.atomic
def _derive_one(organisation, year, result, revision, user):
    # Two derivations of one organisation (a double click, the command beside the screen)
    # take turns here, so the second reads the first's rows instead of adding twins.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    found = findings_for(organisation, year, result, revision)
    stored = {
        row.source_key: row
        for row in Shortcoming.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .exclude(source=Source.OPERATOR)
    }
    report = DeriveReport(organisations=1)
    changes, new_rows = [], []
    for position, finding in enumerate(found):
        row = stored.pop(finding.source_key, None)
        if row is None:
            new_rows.append(
                Shortcoming(
                    organisation=organisation,
                    year=year,
                    criterion=criterion_of(finding.indicator),
                    indicator=finding.indicator,
                    source=finding.source,
                    source_key=finding.source_key,
                    derived_text=finding.text,
                    text=finding.text,
                    evidence=finding.evidence,
                    evidence_url=finding.evidence_url,
                    position=position,
                )
            )
            continue
        wanted = {
            "derived_text": finding.text,
            "evidence": finding.evidence,
            "evidence_url": finding.evidence_url,
            "indicator": finding.indicator,
            "criterion": criterion_of(finding.indicator).value,
            "source": finding.source,
            "stale": False,
        }
        if not row.edited:
            wanted["text"] = finding.text
        diff = {
            name: [getattr(row, name), value]
            for name, value in wanted.items()
            if getattr(row, name) != value
        }
        if diff or row.position != position:
            for name, (_old, new) in diff.items():
                setattr(row, name, new)
            row.position = position
            row.save()
        if diff:
            report.updated += 1
            changes.append(
                ShortcomingChange(shortcoming=row, action=Action.DERIVED, user=user, changes=diff)
            )
    for row in stored.values():
        if row.stale:
            continue
        row.stale = True
        row.save(update_fields=["stale", "updated_at"])
        report.stale += 1
        changes.append(
            ShortcomingChange(
                shortcoming=row, action=Action.DERIVED, user=user, changes={"stale": [False, True]}
            )
        )
    # One INSERT for the new rows (a first derivation of a region writes thousands); both
    # databases return their keys, which the trail needs.
    for row in Shortcoming.objects.bulk_create(new_rows):
        report.created += 1
        changes.append(
            ShortcomingChange(
                shortcoming=row,
                action=Action.DERIVED,
                user=user,
                changes={"text": ["", row.text], "evidence": ["", row.evidence]},
            )
        )
    ShortcomingChange.objects.bulk_create(changes)
    return report


# --- The operator's decisions ---------------------------------------------------------------


def _clean_text(value, field_name, *, required_message, limit):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field_name: required_message})
    if len(value) > limit:
        raise ValidationError({field_name: _("Не больше %(limit)s символов.") % {"limit": limit}})
    try:
        reject_control_characters(value)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None
    return value


def _locked(shortcoming):
    return Shortcoming.objects.select_for_update().get(pk=shortcoming.pk)


def _record(shortcoming, action, user, changes, reason=""):
    return ShortcomingChange.objects.create(
        shortcoming=shortcoming, action=action, user=user, changes=changes, reason=reason
    )


@transaction.atomic
def edit(shortcoming, text, user):
    """Rewrite the wording; a later derivation keeps it. Returns the stored row."""
    text = _clean_text(
        text,
        "text",
        required_message=_("Напишите формулировку недостатка."),
        limit=MAX_TEXT_LENGTH,
    )
    row = _locked(shortcoming)
    if row.status == Status.MERGED:
        raise ValidationError(
            {"text": _("Недостаток объединён с другим: измените формулировку того недостатка.")}
        )
    if row.text == text:
        return row
    old = row.text
    row.text = text
    row.edited = True
    row.save(update_fields=["text", "edited", "updated_at"])
    _record(row, Action.EDITED, user, {"text": [old, text]})
    return row


@transaction.atomic
def dismiss(shortcoming, reason, user):
    """Leave the shortcoming out of the list, with the reason on the record."""
    reason = _clean_text(
        reason,
        "reason",
        required_message=_("Укажите причину, по которой недостаток снимается."),
        limit=MAX_REASON_LENGTH,
    )
    row = _locked(shortcoming)
    if row.status != Status.ACTIVE:
        raise ValidationError({"reason": _("Снять можно только включённый недостаток.")})
    changes = {"status": [row.status, Status.DISMISSED.value], "dismiss_reason": ["", reason]}
    row.status = Status.DISMISSED
    row.dismiss_reason = reason
    row.save(update_fields=["status", "dismiss_reason", "updated_at"])
    _record(row, Action.DISMISSED, user, changes, reason=reason)
    return row


@transaction.atomic
def restore(shortcoming, user):
    """Bring a dismissed or merged shortcoming back into the list."""
    row = _locked(shortcoming)
    if row.status == Status.ACTIVE:
        raise ValidationError(_("Недостаток уже включён в список."))
    changes = {"status": [row.status, Status.ACTIVE.value]}
    if row.dismiss_reason:
        changes["dismiss_reason"] = [row.dismiss_reason, ""]
    if row.merged_into_id:
        changes["merged_into"] = [row.merged_into_id, None]
    row.status = Status.ACTIVE
    row.dismiss_reason = ""
    row.merged_into = None
    row.save(update_fields=["status", "dismiss_reason", "merged_into", "updated_at"])
    _record(row, Action.RESTORED, user, changes)
    return row


@transaction.atomic
def merge(target, others, user, text=""):
    """Merge ``others`` into ``target`` (all active, of one organisation and year); the
    target's wording becomes ``text`` when given. Returns the target."""
    target = _locked(target)
    if target.status != Status.ACTIVE:
        raise ValidationError({"target": _("Объединять можно только во включённый недостаток.")})
    rows = list(
        Shortcoming.objects.select_for_update()
        .filter(pk__in=[other.pk for other in others])
        .exclude(pk=target.pk)
        .order_by("pk")
    )
    if not rows:
        raise ValidationError(
            {"shortcomings": _("Отметьте хотя бы один недостаток, кроме основного.")}
        )
    if any(
        (row.organisation_id, row.year) != (target.organisation_id, target.year) for row in rows
    ):
        raise ValidationError(
            {"shortcomings": _("Объединять можно только недостатки одной организации и года.")}
        )
    if any(row.status != Status.ACTIVE for row in rows):
        raise ValidationError(
            {"shortcomings": _("Снятые и уже объединённые недостатки не объединяются.")}
        )
    target_changes = {"merged": [[], [row.pk for row in rows]]}
    if text:
        text = _clean_text(
            text, "text", required_message=_("Напишите формулировку."), limit=MAX_TEXT_LENGTH
        )
        if text != target.text:
            target_changes["text"] = [target.text, text]
            target.text = text
            target.edited = True
            target.save(update_fields=["text", "edited", "updated_at"])
    for row in rows:
        row.status = Status.MERGED
        row.merged_into = target
        row.save(update_fields=["status", "merged_into", "updated_at"])
        _record(
            row,
            Action.MERGED,
            user,
            {
                "status": [Status.ACTIVE.value, Status.MERGED.value],
                "merged_into": [None, target.pk],
            },
        )
    _record(target, Action.MERGED, user, target_changes)
    return target


@transaction.atomic
def add(organisation, year, indicator, text, user, evidence=""):
    """Record a shortcoming the evidence does not show (source «оператор»)."""
    if indicator not in dict(indicator_choices()):
        raise ValidationError({"indicator": _("Выберите показатель из списка.")})
    text = _clean_text(
        text,
        "text",
        required_message=_("Напишите формулировку недостатка."),
        limit=MAX_TEXT_LENGTH,
    )
    evidence = (evidence or "").strip()
    if evidence:
        evidence = _clean_text(evidence, "evidence", required_message="", limit=MAX_EVIDENCE_LENGTH)
    last = Shortcoming.objects.filter(
        organisation=organisation, year=year, source=Source.OPERATOR
    ).aggregate(last=Max("position"))["last"]
    row = Shortcoming.objects.create(
        organisation=organisation,
        year=year,
        criterion=criterion_of(indicator),
        indicator=indicator,
        source=Source.OPERATOR,
        source_key=f"operator:{uuid.uuid4().hex}",
        text=text,
        evidence=evidence,
        position=OPERATOR_POSITION_BASE if last is None else last + 1,
    )
    _record(row, Action.ADDED, user, {"text": ["", text]})
    return row
