"""The methodology version's policies as arithmetic: minimum respondents mode,
zero-denominator rule, rounding. The defaults are what the engine always did; the worked
example and the golden tests hold them there."""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from results import engine
from results.engine import Policies, compute, display, display_units

from .factories import EXAMPLE_INPUTS
from .test_engine_arithmetic import FIXTURE, valid_inputs

PER_INDICATOR = Policies(rounding=engine.PER_INDICATOR)
COUNT_AS_ZERO = Policies(zero_denominator=engine.COUNT_AS_ZERO)
RATE_AND_FLAG = Policies(min_respondents_mode=engine.RATE_AND_FLAG)


def example(**changes):
    return {**EXAMPLE_INPUTS, **changes}


def nine_respondents():
    """A small organisation: 9 respondents, under the default minimum of 10."""
    return example(
        respondents=9,
        stand_used=8,
        stand_satisfied=7,
        site_used=6,
        site_satisfied=6,
        comfort_satisfied=8,
        disabled=1,
        disabled_satisfied=1,
        first_contact_satisfied=9,
        direct_service_satisfied=8,
        distance_used=5,
        distance_satisfied=5,
        recommend=7,
        schedule_satisfied=8,
        overall_satisfied=9,
    )


def test_default_policies_are_todays_behaviour():
    assert Policies() == Policies(
        denominator=engine.ANSWERED,
        min_respondents=10,
        bands=engine.DEFAULT_BANDS,
        min_respondents_mode=engine.EXCLUDE,
        zero_denominator=engine.RESCALE,
        rounding=engine.EXACT,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"min_respondents_mode": "maybe"},
        {"zero_denominator": "count_as_100"},
        {"rounding": "banker"},
    ],
)
def test_unknown_policy_values_are_refused(changes):
    with pytest.raises(ValueError):
        Policies(**changes)


@pytest.mark.parametrize(
    "policies",
    [
        Policies(),
        PER_INDICATOR,
        COUNT_AS_ZERO,
        RATE_AND_FLAG,
        Policies(
            min_respondents_mode=engine.RATE_AND_FLAG,
            zero_denominator=engine.COUNT_AS_ZERO,
            rounding=engine.PER_INDICATOR,
        ),
    ],
)
def test_worked_example_gives_its_published_figures_under_every_policy_it_does_not_touch(
    policies,
):
    # The example has 200 respondents and no zero denominator, and its published figures
    # reconcile to the cent when rounded per indicator too.
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    result = compute(fixture["inputs"], policies)
    for code, shown in fixture["expected_display"].items():
        assert str(display(result.ratios[code])) == shown, code
    assert result.status == engine.RATED and not result.low_sample


def test_worked_example_exact_values_under_the_default_policies():
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    figures = compute(fixture["inputs"], Policies()).figures()
    for code, exact in fixture["expected_exact"].items():
        assert figures[code] == Fraction(exact), code


# Minimum respondents and its mode


def test_exclude_leaves_nine_respondents_unrated():
    result = compute(nine_respondents())
    assert result.status == engine.INSUFFICIENT_DATA
    assert result.total is None and not result.low_sample


def test_rate_and_flag_rates_nine_respondents_and_marks_them():
    result = compute(nine_respondents(), RATE_AND_FLAG)
    assert result.status == engine.RATED and result.low_sample
    assert result.total is not None
    # The same figures as without a minimum: only the mark differs.
    unlimited = compute(nine_respondents(), Policies(min_respondents=0))
    assert result.ratios == unlimited.ratios and not unlimited.low_sample


def test_rate_and_flag_at_the_minimum_is_not_marked():
    policies = Policies(min_respondents=9, min_respondents_mode=engine.RATE_AND_FLAG)
    result = compute(nine_respondents(), policies)
    assert result.status == engine.RATED and not result.low_sample


def test_no_respondent_at_all_is_never_rated():
    zero = dict.fromkeys(engine.SURVEY_FIELDS, 0)
    for zero_rule in engine.ZERO_DENOMINATOR_RULES:
        policies = Policies(
            min_respondents=0,
            min_respondents_mode=engine.RATE_AND_FLAG,
            zero_denominator=zero_rule,
        )
        result = compute(example(**zero), policies)
        assert result.status == engine.INSUFFICIENT_DATA and result.total is None


# The zero-denominator rule


def test_count_as_zero_with_no_disabled_respondents():
    inputs = example(disabled=0, disabled_satisfied=0)
    result = compute(inputs, COUNT_AS_ZERO)
    assert result.indicators["p3_3"] == 0
    assert result.no_data == ("p3_3",) and result.left_out == ()
    # 0.3 × 60 + 0.4 × 80 + 0.3 × 0: full weights, nothing rescaled.
    assert result.criteria["k3"] == 50
    assert result.weights()["k3"] == engine.CRITERIA["k3"]
    rescaled = compute(inputs)
    assert rescaled.criteria["k3"] == Fraction(50, 7) * 10 and rescaled.left_out == ("p3_3",)
    assert result.total < rescaled.total


def test_count_as_zero_applies_to_1_3_only_when_nobody_used_stand_or_site():
    one_part = compute(example(stand_used=0, stand_satisfied=0), COUNT_AS_ZERO)
    assert one_part.indicators["p1_3"] == Fraction(100 * 126, 140)  # the site part alone
    neither = example(stand_used=0, stand_satisfied=0, site_used=0, site_satisfied=0)
    assert compute(neither, COUNT_AS_ZERO).indicators["p1_3"] == 0


# Rounding: per indicator against exact


def figure_units(result):
    return {code: display_units(value) for code, value in result.ratios.items()}


def whole_hundredths(value):
    return value is None or (value.numerator * 100) % value.denominator == 0


ALL_POLICIES = st.builds(
    Policies,
    denominator=st.sampled_from(engine.DENOMINATOR_POLICIES),
    min_respondents=st.just(0),
    zero_denominator=st.sampled_from(engine.ZERO_DENOMINATOR_RULES),
)


def per_indicator(policies):
    return Policies(
        policies.denominator,
        policies.min_respondents,
        zero_denominator=policies.zero_denominator,
        rounding=engine.PER_INDICATOR,
    )


@settings(max_examples=1000, deadline=None)
@given(valid_inputs(), ALL_POLICIES)
def test_per_indicator_differs_from_exact_by_at_most_a_hundredth_per_figure(inputs, policies):
    """Each published figure of ``per_indicator`` is within 0.01 of ``exact``'s; indicators
    are the same; and where no rounding occurs (every exact indicator and criterion a whole
    number of hundredths), every figure is the same.

    Why 0.01 holds for criteria and the total too, although the errors add up: half-up
    rounding moves a value by at most 0.005. A criterion's weights sum to 1, so rounding its
    indicators moves it by at most 0.005, and rounding the criterion itself by at most
    another 0.005: at most 0.01 from the exact criterion, and the mean of five such criteria
    at most 0.01 from the exact total. Two values at most 0.01 apart round half-up at most
    0.01 apart (in hundredths, floor(a + ½) ≤ a + ½ ≤ b + 1 + ½ < floor(b + ½) + 2), so
    the naive sum of the three roundings, 0.015 or 0.02, is never reached in published
    figures. A random search over 1.6 million organisations found differences of 0.01 and
    never more."""
    exact = compute(inputs, policies)
    rounded = compute(inputs, per_indicator(policies))
    assert rounded.status == exact.status and rounded.no_data == exact.no_data
    shown_exact, shown_rounded = figure_units(exact), figure_units(rounded)
    for code in engine.FIGURES:
        if shown_exact[code] is None:
            assert shown_rounded[code] is None, code
            continue
        assert abs(shown_rounded[code] - shown_exact[code]) <= 1, code
    for code in engine.INDICATORS:
        assert shown_rounded[code] == shown_exact[code], code
    if all(map(whole_hundredths, exact.ratios.values())):
        assert shown_rounded == shown_exact
        assert exact.figures() == rounded.figures()


@st.composite
def inputs_without_rounding(draw):
    """Inputs where no figure needs rounding: every denominator divides 100 and is above 0
    (so every indicator is a whole number of hundredths and no weight is rescaled, which
    keeps every criterion whole in hundredths too)."""
    divisors = [1, 2, 4, 5, 10, 20, 25, 50, 100]
    respondents = draw(st.sampled_from(divisors))

    def share(of):
        return draw(st.integers(0, of))

    def used():
        return draw(st.sampled_from([d for d in divisors if d <= respondents]))

    stand_used, site_used, disabled, distance_used = used(), used(), used(), used()
    stand_norm = draw(st.sampled_from([d for d in divisors if d <= 20]))
    site_norm = draw(st.sampled_from([d for d in divisors if d <= 60]))
    return {
        "stand_items": share(stand_norm),
        "stand_norm": stand_norm,
        "site_items": share(site_norm),
        "site_norm": site_norm,
        **{name: share(limit) for name, limit in engine.LIST_LENGTHS.items()},
        "respondents": respondents,
        "stand_used": stand_used,
        "stand_satisfied": share(stand_used),
        "site_used": site_used,
        "site_satisfied": share(site_used),
        "comfort_satisfied": share(respondents),
        "disabled": disabled,
        "disabled_satisfied": share(disabled),
        "first_contact_satisfied": share(respondents),
        "direct_service_satisfied": share(respondents),
        "distance_used": distance_used,
        "distance_satisfied": share(distance_used),
        "recommend": share(respondents),
        "schedule_satisfied": share(respondents),
        "overall_satisfied": share(respondents),
    }


@settings(max_examples=500, deadline=None)
@given(inputs_without_rounding(), ALL_POLICIES)
def test_per_indicator_and_exact_agree_when_no_rounding_occurs(inputs, policies):
    exact = compute(inputs, policies)
    for code in (*engine.INDICATORS, *engine.CRITERIA):
        assert whole_hundredths(exact.ratios[code]), code  # the premise holds
    rounded = compute(inputs, per_indicator(policies))
    assert rounded.figures() == exact.figures()
    assert rounded.status == exact.status


def test_whole_hundredth_indicators_alone_do_not_make_the_totals_agree():
    """Every indicator here is a whole number of hundredths and every criterion displays the
    same in both modes, yet the totals differ by 0.01: exact K4 = 41.328 and K5 = 21.008
    are shown as 41.33 and 21.01, and per indicator the total is the mean of the shown
    criteria. "No rounding occurs" must include the criteria."""
    inputs = {
        "stand_items": 1,
        "stand_norm": 2,
        "site_items": 5,
        "site_norm": 8,
        "distance_channels": 4,
        "comfort_conditions": 5,
        "territory_conditions": 1,
        "service_conditions": 5,
        "respondents": 625,
        "stand_used": 125,
        "stand_satisfied": 1,
        "site_used": 10,
        "site_satisfied": 0,
        "comfort_satisfied": 500,
        "disabled": 1,
        "disabled_satisfied": 0,
        "first_contact_satisfied": 168,
        "direct_service_satisfied": 259,
        "distance_used": 50,
        "distance_satisfied": 35,
        "recommend": 40,
        "schedule_satisfied": 9,
        "overall_satisfied": 235,
    }
    exact, rounded = compute(inputs), compute(inputs, PER_INDICATOR)
    assert all(whole_hundredths(exact.ratios[code]) for code in engine.INDICATORS)
    for code in engine.CRITERIA:
        assert display(exact.ratios[code]) == display(rounded.ratios[code]), code
    assert exact.total == Fraction(245371, 5000)  # 49.07420
    assert rounded.total == Fraction(12269, 250)  # 49.076: (47.04+90+46+41.33+21.01) / 5
    assert (str(display(exact.total)), str(display(rounded.total))) == ("49.07", "49.08")


def test_per_indicator_rounds_indicators_then_criteria_half_up():
    # 1.1 = 50 × 1/3 = 16.666… → 16.67 and 1.3 = 91.875 → 91.88 before К1:
    # К1 = 0.3 × 16.67 + 0.3 × 90 + 0.4 × 91.88 = 68.753 → 68.75 (exact: 68.75 itself).
    inputs = example(stand_items=1, stand_norm=3, site_items=0, site_norm=50)
    rounded = compute(inputs, PER_INDICATOR)
    assert rounded.indicators["p1_1"] == Fraction(1667, 100)
    assert rounded.indicators["p1_3"] == Fraction(9188, 100)
    assert rounded.criteria["k1"] == Fraction(6875, 100)
    assert compute(inputs).criteria["k1"] == Fraction(6875, 100)
