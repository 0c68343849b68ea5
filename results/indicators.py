"""Words for the engine's codes: titles, formulas and «как посчитано» for result cards.

The engine knows codes and arithmetic; people read these. Formulas name inputs the way the
methodology does, then show them with the organisation's own numbers substituted.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.kinds import KIND_PLURALS
from surveys.counts import coverage_targets

from . import engine
from .models import MethodologyVersion

CRITERION_TITLES = {
    "k1": _("Открытость и доступность информации"),
    "k2": _("Комфортность условий"),
    "k3": _("Доступность для инвалидов"),
    "k4": _("Доброжелательность и вежливость работников"),
    "k5": _("Удовлетворённость условиями"),
}


def short_label(code):
    """«К1» … «К5» for criteria (Cyrillic К, as the methodology writes them), «Итог»."""
    if code == "total":
        return gettext("Итог")
    return gettext("К%(number)s") % {"number": code[1:]}


INDICATOR_TITLES = {
    "p1_1": _("Информация на стенде и сайте соответствует требованиям"),
    "p1_2": _("Работающие дистанционные способы взаимодействия"),
    "p1_3": _("Удовлетворены открытостью информации на стенде и сайте"),
    "p2_1": _("Комфортные условия"),
    "p2_3": _("Удовлетворены комфортностью"),
    "p3_1": _("Оборудование помещений и территории для инвалидов"),
    "p3_2": _("Условия получения услуг инвалидами"),
    "p3_3": _("Респонденты с инвалидностью удовлетворены доступностью"),
    "p4_1": _("Вежливость при первичном контакте"),
    "p4_2": _("Вежливость работников, оказывающих услугу"),
    "p4_3": _("Вежливость при дистанционном взаимодействии"),
    "p5_1": _("Готовы рекомендовать организацию"),
    "p5_2": _("Удовлетворены организационными условиями"),
    "p5_3": _("Удовлетворены условиями в целом"),
}
INPUT_LABELS = {
    "stand_items": _("пунктов на стенде"),
    "stand_norm": _("пунктов по норме стенда"),
    "site_items": _("пунктов на сайте"),
    "site_norm": _("пунктов по норме сайта"),
    "distance_channels": _("работающих способов"),
    "comfort_conditions": _("условий комфортности"),
    "territory_conditions": _("условий на территории"),
    "service_conditions": _("условий получения услуг"),
    "respondents": _("респондентов"),
    "stand_used": _("пользовались стендом"),
    "stand_satisfied": _("удовлетворены стендом"),
    "site_used": _("пользовались сайтом"),
    "site_satisfied": _("удовлетворены сайтом"),
    "comfort_satisfied": _("удовлетворены комфортностью"),
    "disabled": _("с инвалидностью"),
    "disabled_satisfied": _("из них удовлетворены"),
    "first_contact_satisfied": _("удовлетворены"),
    "direct_service_satisfied": _("удовлетворены"),
    "distance_used": _("пользовались"),
    "distance_satisfied": _("удовлетворены"),
    "recommend": _("готовы рекомендовать"),
    "schedule_satisfied": _("удовлетворены"),
    "overall_satisfied": _("удовлетворены"),
}


def _formula(code, policy):
    """(formula in words, the input fields it reads)."""
    answered = policy == engine.ANSWERED
    formulas = {
        "p1_1": (
            gettext("50 × (стенд / норма стенда + сайт / норма сайта)"),
            ("stand_items", "stand_norm", "site_items", "site_norm"),
        ),
        "p1_2": (gettext("min(100; 30 × число способов)"), ("distance_channels",)),
        "p1_3": (
            gettext(
                "100 × среднее(удовлетворены стендом / пользовались стендом; "
                "удовлетворены сайтом / пользовались сайтом)"
            )
            if answered
            else gettext(
                "100 × (удовлетворены стендом + удовлетворены сайтом) / (2 × респондентов)"
            ),
            ("stand_satisfied", "stand_used", "site_satisfied", "site_used", "respondents")
            if not answered
            else ("stand_satisfied", "stand_used", "site_satisfied", "site_used"),
        ),
        "p2_1": (gettext("min(100; 20 × число условий)"), ("comfort_conditions",)),
        "p2_3": (
            gettext("100 × удовлетворены / респондентов"),
            ("comfort_satisfied", "respondents"),
        ),
        "p3_1": (gettext("min(100; 20 × число условий)"), ("territory_conditions",)),
        "p3_2": (gettext("min(100; 20 × число условий)"), ("service_conditions",)),
        "p3_3": (
            gettext("100 × удовлетворены / респондентов с инвалидностью"),
            ("disabled_satisfied", "disabled"),
        ),
        "p4_1": (
            gettext("100 × удовлетворены / респондентов"),
            ("first_contact_satisfied", "respondents"),
        ),
        "p4_2": (
            gettext("100 × удовлетворены / респондентов"),
            ("direct_service_satisfied", "respondents"),
        ),
        "p4_3": (
            gettext("100 × удовлетворены / пользовались")
            if answered
            else gettext("100 × удовлетворены / респондентов"),
            ("distance_satisfied", "distance_used" if answered else "respondents"),
        ),
        "p5_1": (
            gettext("100 × готовы рекомендовать / респондентов"),
            ("recommend", "respondents"),
        ),
        "p5_2": (
            gettext("100 × удовлетворены / респондентов"),
            ("schedule_satisfied", "respondents"),
        ),
        "p5_3": (
            gettext("100 × удовлетворены / респондентов"),
            ("overall_satisfied", "respondents"),
        ),
    }
    return formulas[code]


@dataclass
class IndicatorLine:
    code: str
    number: str  # "1.1"
    title: str
    value: object  # Decimal or None (no data)
    weight: str  # "0,3"
    formula: str
    inputs: list  # [(label, value)]
    # Zero denominator: no value under ``rescale``, 0 points under ``count_as_zero``.
    no_data: bool = False


@dataclass
class CriterionBlock:
    code: str
    number: str
    title: str
    value: object
    indicators: list


def weight_text(weight):
    """An indicator's weight (a Fraction of the engine) as the page's language writes a
    number: «0,3» in Russian, never «0.3»."""
    return number_format(Decimal(weight.numerator) / Decimal(weight.denominator))


def breakdown(result, policies):
    """Criteria with their indicators, weights, formulas and inputs for «как посчитано».

    ``policies``: the revision's ``AppliedPolicies``, so the formulas and the indicators
    without data are those of the computation that produced ``result``."""
    no_data = _indicators_without_data(result, policies)
    blocks = []
    for criterion, weights in engine.CRITERIA.items():
        lines = []
        for code, weight in weights.items():
            formula, fields = _formula(code, policies.denominator)
            lines.append(
                IndicatorLine(
                    code=code,
                    number=code[1:].replace("_", "."),
                    title=INDICATOR_TITLES[code],
                    value=getattr(result, code),
                    weight=weight_text(weight),
                    formula=formula,
                    inputs=[(INPUT_LABELS[name], result.inputs.get(name)) for name in fields],
                    no_data=code in no_data,
                )
            )
        blocks.append(
            CriterionBlock(
                code=criterion,
                number=criterion[1:],
                title=CRITERION_TITLES[criterion],
                value=getattr(result, criterion),
                indicators=lines,
            )
        )
    return blocks


def _indicators_without_data(result, policies):
    """The indicators whose denominator was 0, by the engine on the stored inputs; where
    those are incomplete or refused (a result never rated), the indicators with no value."""
    try:
        return set(engine.compute(result.inputs, policies.engine_policies()).no_data)
    except ValueError:  # engine.InvalidInputs, or a policy value this code does not know
        return {code for code in engine.INDICATORS if getattr(result, code) is None}


@dataclass
class PolicyLine:
    label: str
    value: str


def policy_lines(policies, kind=None):
    """Every policy a revision was computed with, as label and value: «как посчитано» on the
    result card and the «Методика» sheet of an XLSX export. ``policies``: AppliedPolicies.
    The labels are those of the methodology version's form, so editors and the public read
    the same words. The satisfaction threshold for shortcomings is the version's as it
    stands. Then the survey coverage target of each respondent group of the version (of
    ``kind`` only, when given): a policy the surveys app keeps per group."""

    def line(field_name, value):
        label = MethodologyVersion._meta.get_field(field_name).verbose_name
        return PolicyLine(str(capfirst(label)), str(value))

    return [
        line("code", policies.methodology_code),
        line("denominator_policy", policies.get_denominator_display()),
        line("min_respondents", policies.min_respondents),
        line("min_respondents_mode", policies.get_min_respondents_mode_display()),
        line("zero_denominator_policy", policies.get_zero_denominator_display()),
        line("rounding_policy", policies.get_rounding_display()),
        *(
            line("satisfaction_threshold_percent", threshold)
            for threshold in _satisfaction_threshold(policies.methodology_code)
        ),
        *(
            PolicyLine(
                gettext("Цель охвата анкетирования: %(kind)s, %(group)s")
                % {"kind": KIND_PLURALS[target.kind], "group": target.title},
                f"{target.percent} %",
            )
            for target in coverage_targets(policies.methodology_code)
            if kind is None or target.kind == kind
        ),
    ]


def _satisfaction_threshold(methodology_code):
    """The version's threshold for shortcomings, as a list of none or one value: revisions
    do not store it (it decides no figure), so it is read from the version they name."""
    return MethodologyVersion.objects.filter(code=methodology_code).values_list(
        "satisfaction_threshold_percent", flat=True
    )[:1]


def policy_notes(policies):
    """The applied policies in sentences, under the breakdown of «как посчитано»."""
    notes = []
    if policies.min_respondents_mode == engine.RATE_AND_FLAG:
        notes.append(
            gettext(
                "Организация, у которой ответов меньше минимума (%(min)s), получает балл и "
                "место, но её результат помечен: «мало ответов»."
            )
            % {"min": policies.min_respondents}
        )
    else:
        notes.append(
            gettext(
                "Организация, у которой ответов меньше минимума (%(min)s), не получает "
                "итоговый балл и место."
            )
            % {"min": policies.min_respondents}
        )
    if policies.zero_denominator == engine.COUNT_AS_ZERO:
        notes.append(
            gettext(
                "Показатель без данных (например, среди ответивших нет людей с инвалидностью) "
                "засчитывается как 0 баллов с полным весом."
            )
        )
    else:
        notes.append(
            gettext(
                "Показатель без данных (например, среди ответивших нет людей с инвалидностью) "
                "не учитывается, а веса остальных показателей критерия пересчитываются так, "
                "чтобы в сумме давать 1."
            )
        )
    if policies.rounding == engine.PER_INDICATOR:
        notes.append(
            gettext(
                "Итоговый балл — среднее пяти критериев. Каждый показатель округляется до "
                "сотых перед расчётом критерия, каждый критерий — перед расчётом итога."
            )
        )
    else:
        notes.append(
            gettext(
                "Итоговый балл — среднее пяти критериев. Расчёт ведётся точно, округление до "
                "сотых — только при показе."
            )
        )
    return notes
