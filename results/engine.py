"""The NOKO methodology engine: inputs of one organisation → indicators, criteria, total.

This module is the arithmetic of ``docs/methodology.md`` and nothing else: it has no
Django import, so it can be read, reviewed and tested as plain arithmetic. Everything the
operator may choose arrives as ``Policies``, stored per methodology version; nothing about a
year is a constant here. The choices, each defaulting to what the methodology fixes:

- ``denominator`` of 1.3 and 4.3: ``answered`` (default) or ``total`` (methodology policy 1).
- ``zero_denominator``, an indicator whose denominator is 0 (no disabled respondents, nobody
  used the stand or the site, nobody used distance channels):
  ``rescale`` (default, methodology policy 2): the indicator has no data, is left out of its
  criterion and the criterion's remaining weights are rescaled to sum to 1;
  ``count_as_zero``: the indicator scores 0 points and keeps its full weight, as some
  operators' spreadsheets do (nobody satisfied out of nobody is entered as 0; 344н itself
  does not say what a zero denominator gives). It lowers an organisation for a question
  none of its respondents could answer, which is why it is not the default. For 1.3 under
  ``answered`` the rule applies to the indicator as a whole: its mean is over the parts
  (stand, site) somebody used, as the formula says, and only when nobody used either does
  the rule decide.
- ``min_respondents`` (default 10) and its ``min_respondents_mode``:
  ``exclude`` (default, methodology policy 3): fewer respondents → ``insufficient_data``, no
  total and no rank; ``rate_and_flag``: rated and ranked like any other, with
  ``Result.low_sample`` set so every place that shows the result can mark it.
  Either way an organisation without a single respondent is never rated: there is no survey
  to rate it on.
- ``rounding``: ``exact`` (default, methodology policy 4): exact arithmetic throughout, values
  rounded half-up to 2 decimals only for display, export and ranking (``display``);
  ``per_indicator``: each indicator is rounded half-up to 2 decimals before it enters its
  criterion, and each criterion before it enters the total, the way operators' spreadsheets
  do, so published figures reconcile with theirs to the cent. The rounded values are then
  the figures (``Result.ratios``); the total is rounded for display as always. Published
  figures of the two modes differ by at most 0.01 each (``results/tests/test_policies.py``
  says why).
- ``bands``: the operator's display convention (methodology policy 5).

Arithmetic is exact (``fractions.Fraction`` or unreduced ``Ratio``s); rounding, where a
policy asks for it, is half-up in integers (``display_units``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

# Inputs in the column order of the exchange format (methodology §5).
CHECKLIST_FIELDS = (
    "stand_items",
    "stand_norm",
    "site_items",
    "site_norm",
    "distance_channels",
    "comfort_conditions",
    "territory_conditions",
    "service_conditions",
)
SURVEY_FIELDS = (
    "respondents",
    "stand_used",
    "stand_satisfied",
    "site_used",
    "site_satisfied",
    "comfort_satisfied",
    "disabled",
    "disabled_satisfied",
    "first_contact_satisfied",
    "direct_service_satisfied",
    "distance_used",
    "distance_satisfied",
    "recommend",
    "schedule_satisfied",
    "overall_satisfied",
)
INPUT_FIELDS = CHECKLIST_FIELDS + SURVEY_FIELDS

# Enumerated lists of methodology §2: a count above the list's length is bad input.
LIST_LENGTHS = {
    "distance_channels": 6,
    "comfort_conditions": 7,
    "territory_conditions": 5,
    "service_conditions": 6,
}

# Each count and the count it may not exceed ("satisfied" never above "used", and so on).
UPPER_BOUNDS = {
    "stand_items": "stand_norm",
    "site_items": "site_norm",
    "stand_used": "respondents",
    "stand_satisfied": "stand_used",
    "site_used": "respondents",
    "site_satisfied": "site_used",
    "comfort_satisfied": "respondents",
    "disabled": "respondents",
    "disabled_satisfied": "disabled",
    "first_contact_satisfied": "respondents",
    "direct_service_satisfied": "respondents",
    "distance_used": "respondents",
    "distance_satisfied": "distance_used",
    "recommend": "respondents",
    "schedule_satisfied": "respondents",
    "overall_satisfied": "respondents",
}

# Criteria and their indicator weights (methodology §1; 2.2 does not apply to education).
CRITERIA = {
    "k1": {"p1_1": Fraction(3, 10), "p1_2": Fraction(3, 10), "p1_3": Fraction(4, 10)},
    "k2": {"p2_1": Fraction(5, 10), "p2_3": Fraction(5, 10)},
    "k3": {"p3_1": Fraction(3, 10), "p3_2": Fraction(4, 10), "p3_3": Fraction(3, 10)},
    "k4": {"p4_1": Fraction(4, 10), "p4_2": Fraction(4, 10), "p4_3": Fraction(2, 10)},
    "k5": {"p5_1": Fraction(3, 10), "p5_2": Fraction(2, 10), "p5_3": Fraction(5, 10)},
}
_CRITERIA_TENTHS = {
    criterion: tuple((code, int(weight * 10)) for code, weight in weights.items())
    for criterion, weights in CRITERIA.items()
}
INDICATORS = tuple(code for weights in CRITERIA.values() for code in weights)
# Every figure of one organisation, in the column order of the ratings export.
FIGURES = (
    *(code for criterion, weights in CRITERIA.items() for code in (*weights, criterion)),
    "total",
)

ANSWERED = "answered"
TOTAL = "total"
DENOMINATOR_POLICIES = (ANSWERED, TOTAL)

# Below the minimum number of respondents: not rated, or rated with a low-sample mark.
EXCLUDE = "exclude"
RATE_AND_FLAG = "rate_and_flag"
MIN_RESPONDENTS_MODES = (EXCLUDE, RATE_AND_FLAG)

# An indicator with a zero denominator: left out with its criterion's weights rescaled, or 0.
RESCALE = "rescale"
COUNT_AS_ZERO = "count_as_zero"
ZERO_DENOMINATOR_RULES = (RESCALE, COUNT_AS_ZERO)

# Exact arithmetic rounded only for display, or rounded per indicator and per criterion.
EXACT = "exact"
PER_INDICATOR = "per_indicator"
ROUNDING_MODES = (EXACT, PER_INDICATOR)


RATED = "rated"
INSUFFICIENT_DATA = "insufficient_data"

DEFAULT_BANDS = ((90, "high"), (70, "above_average"), (50, "average"), (0, "low"))


@dataclass(frozen=True)
class Policies:
    """The operator's choices for one methodology version (methodology §1, "Policies")."""

    denominator: str = ANSWERED
    min_respondents: int = 10
    # (lower bound, band key) from the highest bound down; a display convention only.
    bands: tuple[tuple[int, str], ...] = DEFAULT_BANDS
    min_respondents_mode: str = EXCLUDE
    zero_denominator: str = RESCALE
    rounding: str = EXACT

    def __post_init__(self):
        if self.denominator not in DENOMINATOR_POLICIES:
            raise ValueError(f"unknown denominator policy {self.denominator!r}")
        if self.min_respondents < 0:
            raise ValueError("min_respondents must not be negative")
        if self.min_respondents_mode not in MIN_RESPONDENTS_MODES:
            raise ValueError(f"unknown minimum respondents mode {self.min_respondents_mode!r}")
        if self.zero_denominator not in ZERO_DENOMINATOR_RULES:
            raise ValueError(f"unknown zero-denominator rule {self.zero_denominator!r}")
        if self.rounding not in ROUNDING_MODES:
            raise ValueError(f"unknown rounding mode {self.rounding!r}")


@dataclass(frozen=True)
class Problem:
    """One reason a set of inputs is refused; the caller words it for people."""

    field: str
    code: str  # "missing", "not_integer", "negative", "zero_norm", "above_bound", "above_list"
    limit: int | str | None = None


class Ratio(NamedTuple):
    """An exact non-negative rational ``numerator / denominator`` (denominator > 0).

    Unlike ``Fraction`` it is not reduced after every step: ``fractions`` is pure Python and
    normalises (a gcd) on each operation, which made computing a country's 50,000
    organisations take longer than counting their 8 million responses. The value is exactly
    the same; ``Fraction(*ratio)`` gives the reduced form when someone wants to read it.
    """

    numerator: int
    denominator: int

    def fraction(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)


def _fractions(ratios: Mapping[str, Ratio | None]) -> dict[str, Fraction | None]:
    return {code: None if r is None else r.fraction() for code, r in ratios.items()}


@dataclass(frozen=True)
class Result:
    # Exact values of every figure (``p1_1`` … ``k5``, ``total``); None means no data.
    ratios: dict[str, Ratio | None]
    status: str
    # Indicators without data (zero denominator), whatever the zero-denominator rule.
    no_data: tuple[str, ...]
    # The indicators left out of their criterion, weights rescaled: ``no_data`` under the
    # ``rescale`` rule, none under ``count_as_zero`` (they count 0 points at full weight).
    left_out: tuple[str, ...]
    # Rated although below the minimum number of respondents (``rate_and_flag``).
    low_sample: bool = False

    @cached_property
    def indicators(self) -> dict[str, Fraction | None]:
        return _fractions({code: self.ratios[code] for code in INDICATORS})

    @cached_property
    def criteria(self) -> dict[str, Fraction | None]:
        return _fractions({code: self.ratios[code] for code in CRITERIA})

    @property
    def total(self) -> Fraction | None:
        return self.figures()["total"]

    def figures(self) -> dict[str, Fraction | None]:
        """Every figure as a reduced Fraction, by its export column name."""
        return _fractions(self.ratios)

    def display_figures(self, places: int = 2) -> dict[str, Decimal | None]:
        """Every figure rounded half-up for display and export (policy 4)."""
        return {code: display(value, places) for code, value in self.ratios.items()}

    def display_units(self, places: int = 2) -> dict[str, int | None]:
        """Every figure rounded half-up, in units of the last place (see ``display_units``)."""
        return {code: display_units(value, places) for code, value in self.ratios.items()}

    def weights(self) -> dict[str, dict[str, Fraction]]:
        """The weights applied per criterion after rescaling (for «как посчитано»)."""
        return {
            criterion: rescaled_weights(weights, self.left_out)
            for criterion, weights in CRITERIA.items()
        }


class InvalidInputs(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))


_INT_ONLY = {int}
# The checks of ``validate`` by position in INPUT_FIELDS order.
_NORMS = (INPUT_FIELDS.index("stand_norm"), INPUT_FIELDS.index("site_norm"))
_LIST_CHECKS = tuple((INPUT_FIELDS.index(name), length) for name, length in LIST_LENGTHS.items())
_BOUND_CHECKS = tuple(
    (INPUT_FIELDS.index(name), INPUT_FIELDS.index(bound)) for name, bound in UPPER_BOUNDS.items()
)


def validate(inputs: Mapping[str, object]) -> list[Problem]:
    """Every reason the inputs are refused (policy 6: refused, never clamped)."""
    problems = _type_problems(inputs)
    if problems:
        return problems
    for norm in ("stand_norm", "site_norm"):
        if inputs[norm] == 0:
            problems.append(Problem(norm, "zero_norm"))
    for name, length in LIST_LENGTHS.items():
        if inputs[name] > length:
            problems.append(Problem(name, "above_list", length))
    for name, bound in UPPER_BOUNDS.items():
        if inputs[name] > inputs[bound]:
            problems.append(Problem(name, "above_bound", bound))
    return problems


def _acceptable(values: Sequence[object]) -> bool:
    """True when ``validate`` would find nothing: the usual case, checked at once (bools are
    not ``int`` here); otherwise ``validate`` says why."""
    return (
        set(map(type, values)) == _INT_ONLY
        and min(values) >= 0
        and all(values[index] for index in _NORMS)
        and all(values[index] <= limit for index, limit in _LIST_CHECKS)
        and all(values[index] <= values[bound] for index, bound in _BOUND_CHECKS)
    )


def _type_problems(inputs: Mapping[str, object]) -> list[Problem]:
    problems = []
    for name in INPUT_FIELDS:
        value = inputs.get(name)
        if value is None:
            problems.append(Problem(name, "missing"))
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(name, "not_integer"))
        elif value < 0:
            problems.append(Problem(name, "negative"))
    return problems


def _ratio(numerator: int, denominator: int) -> Ratio | None:
    """``100 × numerator / denominator``, or no data when the denominator is 0 (policy 2;
    ``compute_values`` applies the zero-denominator rule to it)."""
    if denominator == 0:
        return None
    return Ratio(100 * numerator, denominator)


def _capped(points_each: int, count: int) -> Ratio:
    return Ratio(min(100, points_each * count), 1)


def _weighted_mean(pairs: list[tuple[Ratio, int]]) -> Ratio:
    """Σ wᵢ·vᵢ / Σ wᵢ for integer weights, over a common denominator.

    One pass, adding each term as n/d + w·a/b = (n·b + w·a·d) / (d·b): this runs 300,000
    times for a country, where generator expressions cost more than the arithmetic.
    """
    numerator, denominator, weights = 0, 1, 0
    for (value_numerator, value_denominator), weight in pairs:
        if value_denominator == denominator:  # often: shares of the same respondents
            numerator += weight * value_numerator
        else:
            numerator = numerator * value_denominator + weight * value_numerator * denominator
            denominator *= value_denominator
        weights += weight
    return Ratio(numerator, denominator * weights)


def _indicators(values: Sequence[int], policies: Policies) -> dict[str, Ratio | None]:
    (
        stand_items,
        stand_norm,
        site_items,
        site_norm,
        distance_channels,
        comfort_conditions,
        territory_conditions,
        service_conditions,
        respondents,
        stand_used,
        stand_satisfied,
        site_used,
        site_satisfied,
        comfort_satisfied,
        disabled,
        disabled_satisfied,
        first_contact_satisfied,
        direct_service_satisfied,
        distance_used,
        distance_satisfied,
        recommend,
        schedule_satisfied,
        overall_satisfied,
    ) = values  # INPUT_FIELDS order
    if policies.denominator == ANSWERED:
        # Mean of the parts (stand, site) that anybody used.
        parts = [
            (Ratio(100 * satisfied, used), 1)
            for satisfied, used in ((stand_satisfied, stand_used), (site_satisfied, site_used))
            if used > 0
        ]
        p1_3 = _weighted_mean(parts) if parts else None
        p4_3 = _ratio(distance_satisfied, distance_used)
    else:
        p1_3 = _ratio(stand_satisfied + site_satisfied, 2 * respondents)
        p4_3 = _ratio(distance_satisfied, respondents)
    return {
        # 50 × (stand_items / stand_norm + site_items / site_norm)
        "p1_1": Ratio(
            50 * (stand_items * site_norm + site_items * stand_norm), stand_norm * site_norm
        ),
        "p1_2": _capped(30, distance_channels),
        "p1_3": p1_3,
        "p2_1": _capped(20, comfort_conditions),
        "p2_3": _ratio(comfort_satisfied, respondents),
        "p3_1": _capped(20, territory_conditions),
        "p3_2": _capped(20, service_conditions),
        "p3_3": _ratio(disabled_satisfied, disabled),
        "p4_1": _ratio(first_contact_satisfied, respondents),
        "p4_2": _ratio(direct_service_satisfied, respondents),
        "p4_3": p4_3,
        "p5_1": _ratio(recommend, respondents),
        "p5_2": _ratio(schedule_satisfied, respondents),
        "p5_3": _ratio(overall_satisfied, respondents),
    }


def rescaled_weights(
    weights: Mapping[str, Fraction], no_data: Iterable[str]
) -> dict[str, Fraction]:
    """The criterion's weights without the indicators that have no data, rescaled to sum to 1
    (policy 2); empty when no indicator of the criterion has data."""
    kept = {code: weight for code, weight in weights.items() if code not in set(no_data)}
    remaining = sum(kept.values(), Fraction(0))
    if remaining == 0:
        return {}
    return {code: weight / remaining for code, weight in kept.items()}


def compute(inputs: Mapping[str, int], policies: Policies = Policies()) -> Result:
    """Indicators, criteria, total and status of one organisation.

    Raises ``InvalidInputs`` for inputs that methodology policy 6 refuses.
    """
    return compute_values([inputs.get(name) for name in INPUT_FIELDS], policies)


def compute_values(values: Sequence[int], policies: Policies = Policies()) -> Result:
    """``compute`` of inputs given in INPUT_FIELDS order (the exchange format's columns), as
    a year's computation reads them: no dictionary per organisation."""
    if not _acceptable(values):
        raise InvalidInputs(validate(dict(zip(INPUT_FIELDS, values, strict=True))))
    ratios = _indicators(values, policies)
    no_data = left_out = tuple(code for code in INDICATORS if ratios[code] is None)
    if no_data and policies.zero_denominator == COUNT_AS_ZERO:
        for code in no_data:
            ratios[code] = _ZERO
        left_out = ()
    # Each branch on a policy is one comparison, so the default (exact) path costs what it
    # did before the policies existed: it runs 50,000 times for a country.
    per_indicator = policies.rounding == PER_INDICATOR
    if per_indicator:
        for code in INDICATORS:
            ratios[code] = _rounded(ratios[code])
    for criterion, tenths in _CRITERIA_TENTHS.items():
        # Σ wᵢ·Pᵢ / Σ wᵢ over the indicators with data is exactly the rescaling of policy 2.
        weighted = [(ratios[code], w) for code, w in tenths if ratios[code] is not None]
        ratios[criterion] = _weighted_mean(weighted) if weighted else None
    if per_indicator:
        for criterion in CRITERIA:
            ratios[criterion] = _rounded(ratios[criterion])
    criteria = [ratios[criterion] for criterion in CRITERIA]
    respondents = values[_RESPONDENTS]
    enough = respondents >= policies.min_respondents
    # No respondent, no rating, whatever the policies: under ``count_as_zero`` every survey
    # indicator would otherwise be a 0 that nobody said.
    rated = (
        None not in criteria
        and respondents > 0
        and (enough or policies.min_respondents_mode == RATE_AND_FLAG)
    )
    ratios["total"] = _weighted_mean([(value, 1) for value in criteria]) if rated else None
    return Result(
        ratios={code: ratios[code] for code in FIGURES},
        status=RATED if rated else INSUFFICIENT_DATA,
        no_data=no_data,
        left_out=left_out,
        low_sample=rated and not enough,
    )


_RESPONDENTS = INPUT_FIELDS.index("respondents")
_ZERO = Ratio(0, 1)


def _rounded(value: Ratio | None, places: int = 2) -> Ratio | None:
    """The value rounded half-up to ``places`` decimals, still a Ratio (``per_indicator``)."""
    if value is None:
        return None
    return Ratio(display_units(value, places), 10**places)


def display_units(value: Fraction | Ratio | None, places: int = 2) -> int | None:
    """The value rounded half-up to ``places`` decimals, as an integer count of the last
    place (86.10 → 8610): what ranking compares and exports print.

    Done in integers, so no binary float or decimal context ever sees the unrounded value.
    Every figure of the methodology is non-negative, where half-up is ``floor(x + 1/2)``.
    """
    if value is None:
        return None
    numerator, denominator = value.numerator * 10**places, value.denominator
    if numerator < 0 or denominator <= 0:
        raise ValueError("figures of the methodology are never negative")
    return (2 * numerator + denominator) // (2 * denominator)


def display(value: Fraction | Ratio | None, places: int = 2) -> Decimal | None:
    """Round half-up to ``places`` decimals for display and export (policy 4)."""
    units = display_units(value, places)
    return None if units is None else Decimal(units).scaleb(-places)


def competition_ranks(totals: Mapping[object, Decimal | None]) -> dict[object, int]:
    """Rank by the displayed total, descending; equal totals share a rank (1, 2, 2, 4).

    Keys with no total (not rated) get no rank.
    """
    ordered = sorted(
        ((total, key) for key, total in totals.items() if total is not None),
        key=lambda pair: pair[0],
        reverse=True,
    )
    ranks, previous, rank = {}, None, 0
    for position, (total, key) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks


def band(total: Decimal | None, bands: Iterable[tuple[int, str]] = DEFAULT_BANDS) -> str | None:
    """The operator's display band of a displayed total (policy 5)."""
    if total is None:
        return None
    for lower, key in sorted(bands, key=lambda pair: pair[0], reverse=True):
        if total >= lower:
            return key
    return None


# Means of thousands of exact values would build Fractions with enormous denominators; each
# value is floored to 30 decimals instead, so a displayed mean is exact to far beyond the 2
# decimals shown (the error is below 1e-30).
MEAN_SCALE = 10**30


def mean_parts(values: Iterable[Fraction | Ratio | Decimal]) -> tuple[int, int]:
    """(sum of the values scaled by MEAN_SCALE, count): a group's share of a larger mean,
    so the region's mean adds up its municipalities' parts instead of rereading them."""
    total, count = 0, 0
    for value in values:
        total += mean_share(value)
        count += 1
    return total, count


def mean_share(value: Fraction | Ratio | Decimal) -> int:
    """One value's share of a mean: the value scaled by MEAN_SCALE and floored. Shares add
    up, so parts of a mean can be summed in any grouping (by worker, by municipality)."""
    if isinstance(value, Decimal):
        value = Fraction(value)
    return value.numerator * MEAN_SCALE // value.denominator


def mean_of_parts(parts: Iterable[tuple[int, int]]) -> Fraction | None:
    total = count = 0
    for part_total, part_count in parts:
        total += part_total
        count += part_count
    return Fraction(total, count * MEAN_SCALE) if count else None


def mean(values: Iterable[Fraction | Ratio | Decimal]) -> Fraction | None:
    """Arithmetic mean for municipality and region aggregates; None for no values."""
    return mean_of_parts([mean_parts(values)])
