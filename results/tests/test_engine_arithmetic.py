"""The methodology engine as arithmetic: the worked example, caps, policies, properties."""

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from results import engine
from results.engine import InvalidInputs, Policies, compute, display, validate

from .factories import EXAMPLE_INPUTS

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "worked_example.json"
TOTAL = Policies(denominator=engine.TOTAL)


def example(**changes):
    return {**EXAMPLE_INPUTS, **changes}


def test_worked_example_matches_the_public_fixture():
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    result = compute(fixture["inputs"])
    figures = result.figures()
    for code, exact in fixture["expected_exact"].items():
        assert figures[code] == Fraction(exact), code
    for code, shown in fixture["expected_display"].items():
        assert str(display(figures[code])) == shown, code
    assert result.status == fixture["expected_status"]


def test_worked_example_exact_values():
    result = compute(EXAMPLE_INPUTS)
    assert result.indicators["p1_1"] == Fraction(608, 7)
    assert result.indicators["p1_3"] == Fraction(735, 8)
    assert result.criteria["k1"] == Fraction(12573, 140)
    assert result.total == Fraction(60271, 700)
    assert display(result.total) == Decimal("86.10")
    assert result.status == engine.RATED


def test_policy_total_gives_82_75():
    result = compute(EXAMPLE_INPUTS, TOTAL)
    assert result.indicators["p1_3"] == 69
    assert result.indicators["p4_3"] == 57
    assert display(result.total) == Decimal("82.75")


@pytest.mark.parametrize(("channels", "points"), [(0, 0), (1, 30), (3, 90), (4, 100), (6, 100)])
def test_distance_channels_are_capped_at_100(channels, points):
    assert compute(example(distance_channels=channels)).indicators["p1_2"] == points


@pytest.mark.parametrize(
    ("field", "indicator"),
    [
        ("comfort_conditions", "p2_1"),
        ("territory_conditions", "p3_1"),
        ("service_conditions", "p3_2"),
    ],
)
def test_conditions_give_20_points_each_up_to_100(field, indicator):
    assert compute(example(**{field: 0})).indicators[indicator] == 0
    assert compute(example(**{field: 2})).indicators[indicator] == 40
    assert compute(example(**{field: 5})).indicators[indicator] == 100


def test_no_disabled_respondents_rescales_k3():
    result = compute(example(disabled=0, disabled_satisfied=0))
    assert result.indicators["p3_3"] is None
    assert "p3_3" in result.no_data
    assert result.criteria["k3"] == (Fraction(3, 10) * 60 + Fraction(4, 10) * 80) / Fraction(7, 10)
    assert sum(result.weights()["k3"].values()) == 1


def test_nobody_used_the_stand_takes_the_site_part_only():
    result = compute(example(stand_used=0, stand_satisfied=0))
    assert result.indicators["p1_3"] == Fraction(100 * 126, 140)


def test_nobody_used_stand_or_site_leaves_1_3_without_data():
    result = compute(example(stand_used=0, stand_satisfied=0, site_used=0, site_satisfied=0))
    assert result.indicators["p1_3"] is None
    assert result.criteria["k1"] == (Fraction(3, 10) * Fraction(608, 7) + Fraction(3, 10) * 90) / (
        Fraction(6, 10)
    )


def test_no_distance_users_depends_on_the_policy():
    inputs = example(distance_used=0, distance_satisfied=0)
    assert compute(inputs).indicators["p4_3"] is None
    assert compute(inputs, TOTAL).indicators["p4_3"] == 0


def test_minimum_respondents():
    below = compute(example(), Policies(min_respondents=201))
    assert below.status == engine.INSUFFICIENT_DATA and below.total is None
    assert below.indicators["p2_1"] == 80  # editors still see partial figures
    assert compute(example(), Policies(min_respondents=200)).status == engine.RATED


def test_no_respondents_at_all_is_not_rated_and_does_not_crash():
    zero = dict.fromkeys(engine.SURVEY_FIELDS, 0)
    result = compute(example(**zero), Policies(min_respondents=0))
    assert result.status == engine.INSUFFICIENT_DATA
    assert result.criteria["k4"] is None and result.total is None


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"stand_items": 15}, "stand_items", "above_bound"),
        ({"site_norm": 0}, "site_norm", "zero_norm"),
        ({"stand_satisfied": 161}, "stand_satisfied", "above_bound"),
        ({"site_used": 201}, "site_used", "above_bound"),
        ({"disabled_satisfied": 13}, "disabled_satisfied", "above_bound"),
        ({"recommend": -1}, "recommend", "negative"),
        ({"recommend": None}, "recommend", "missing"),
        ({"recommend": 1.5}, "recommend", "not_integer"),
        ({"recommend": True}, "recommend", "not_integer"),
        ({"recommend": "170"}, "recommend", "not_integer"),
        ({"distance_channels": 7}, "distance_channels", "above_list"),
    ],
)
def test_bad_inputs_are_refused_not_clamped(changes, field, code):
    problems = validate(example(**changes))
    assert (field, code) in {(p.field, p.code) for p in problems}
    with pytest.raises(InvalidInputs):
        compute(example(**changes))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(12345, 1000), "12.35"),
        (Fraction(1, 200), "0.01"),
        (Fraction(1, 300), "0.00"),
        (Fraction(89805, 1000), "89.81"),
        (Fraction(100), "100.00"),
        (Fraction(0), "0.00"),
    ],
)
def test_display_rounds_half_up_to_two_places(value, shown):
    assert str(display(value)) == shown
    assert display(None) is None


def test_display_refuses_negative_values():
    with pytest.raises(ValueError):
        display(Fraction(-1, 3))


def test_competition_ranking_shares_ranks_and_skips():
    ranks = engine.competition_ranks(
        {
            "a": Decimal("90.00"),
            "b": Decimal("86.10"),
            "c": Decimal("86.10"),
            "d": Decimal("80"),
            "e": None,
        }
    )
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("90.00", "high"),
        ("89.99", "above_average"),
        ("70", "above_average"),
        ("50", "average"),
        ("49.99", "low"),
        ("0", "low"),
    ],
)
def test_default_bands(total, band):
    assert engine.band(Decimal(total)) == band


def test_custom_bands_and_mean():
    assert engine.band(Decimal("75"), [(80, "good"), (0, "rest")]) == "rest"
    # Each value is floored at 30 decimals: exact far beyond the 2 decimals shown.
    assert abs(engine.mean([Fraction(1, 3), Fraction(2, 3)]) - Fraction(1, 2)) < Fraction(1, 10**29)
    assert engine.mean([]) is None
    assert display(engine.mean([Fraction(200, 3)] * 3)) == Decimal("66.67")


@st.composite
def valid_inputs(draw):
    respondents = draw(st.integers(0, 400))

    def part(limit):
        return draw(st.integers(0, limit))

    stand_used, site_used = part(respondents), part(respondents)
    disabled, distance_used = part(respondents), part(respondents)
    stand_norm, site_norm = draw(st.integers(1, 20)), draw(st.integers(1, 60))
    return {
        "stand_items": part(stand_norm),
        "stand_norm": stand_norm,
        "site_items": part(site_norm),
        "site_norm": site_norm,
        **{name: part(limit) for name, limit in engine.LIST_LENGTHS.items()},
        "respondents": respondents,
        "stand_used": stand_used,
        "stand_satisfied": part(stand_used),
        "site_used": site_used,
        "site_satisfied": part(site_used),
        "comfort_satisfied": part(respondents),
        "disabled": disabled,
        "disabled_satisfied": part(disabled),
        "first_contact_satisfied": part(respondents),
        "direct_service_satisfied": part(respondents),
        "distance_used": distance_used,
        "distance_satisfied": part(distance_used),
        "recommend": part(respondents),
        "schedule_satisfied": part(respondents),
        "overall_satisfied": part(respondents),
    }


POLICIES = st.sampled_from([Policies(min_respondents=0), Policies(engine.TOTAL, 0)])


@settings(max_examples=300, deadline=None)
@given(valid_inputs(), POLICIES)
def test_every_figure_lies_between_0_and_100(inputs, policies):
    for value in compute(inputs, policies).figures().values():
        assert value is None or 0 <= value <= 100


def with_one_satisfied_respondent(inputs, disabled):
    grown = dict(inputs)
    for name in engine.SURVEY_FIELDS:
        if name in ("disabled", "disabled_satisfied") and not disabled:
            continue
        grown[name] += 1
    return grown


@settings(max_examples=300, deadline=None)
@given(valid_inputs(), POLICIES, st.booleans())
def test_a_satisfied_respondent_never_lowers_an_indicator(inputs, policies, disabled):
    before = compute(inputs, policies).indicators
    after = compute(with_one_satisfied_respondent(inputs, disabled), policies).indicators
    for code, value in before.items():
        if value is not None:
            assert after[code] >= value, code


@settings(max_examples=200, deadline=None)
@given(valid_inputs(), POLICIES)
def test_rescaled_weights_sum_to_one(inputs, policies):
    result = compute(inputs, policies)
    for criterion, weights in result.weights().items():
        if result.criteria[criterion] is not None:
            assert sum(weights.values()) == 1


@settings(max_examples=200, deadline=None)
@given(valid_inputs(), POLICIES)
def test_display_is_within_half_a_hundredth(inputs, policies):
    result = compute(inputs, policies)
    shown = result.display_figures()
    for code, value in result.figures().items():
        if value is not None:
            assert abs(Fraction(shown[code]) - value) <= Fraction(1, 200)


@st.composite
def disturbed_inputs(draw):
    """Valid inputs with some fields replaced by anything a file or a form might carry."""
    inputs = draw(valid_inputs())
    for name in draw(st.lists(st.sampled_from(engine.INPUT_FIELDS), max_size=3)):
        inputs[name] = draw(
            st.one_of(st.integers(-2, 450), st.none(), st.booleans(), st.just(1.5), st.just("7"))
        )
    return inputs


@settings(max_examples=400, deadline=None)
@given(disturbed_inputs(), POLICIES)
def test_a_year_computation_refuses_exactly_what_validate_refuses(inputs, policies):
    # A year's computation passes rows (compute_values) and checks them at once; the
    # detailed validation must agree on every input it lets through or refuses.
    values = [inputs[name] for name in engine.INPUT_FIELDS]
    problems = validate(inputs)
    if problems:
        with pytest.raises(InvalidInputs) as refused:
            engine.compute_values(values, policies)
        assert refused.value.problems == problems
    else:
        assert engine.compute_values(values, policies) == compute(inputs, policies)
