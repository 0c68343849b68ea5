"""The survey's fast path accepts only what the form accepts, with the same result."""

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.forms import HONEYPOT_FIELD, TOKEN_FIELD, SurveyForm, quick_clean
from surveys.tests.factories import standard_questionnaire

pytestmark = pytest.mark.django_db

KEYS = [f"q{n}" for n in range(1, 16)]
ANSWER_VALUES = st.sampled_from(["yes", "no", "", "YES", "да", " yes", "maybe", "yes\x00"])
TEXT_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["  спасибо  ", "a" * 2001, "\u202eтекст", "x\x00y", "=1+1"]),
)


def routed_answers(draw_no):
    """A fully valid answer set that follows the routing for the chosen «Нет» answers."""
    answers = dict.fromkeys(KEYS[:14], "yes")
    for key, follow_ups in (
        ("q1", ["q2"]),
        ("q3", ["q4"]),
        ("q6", ["q7"]),
        ("q10", ["q11"]),
    ):
        if key in draw_no:
            answers[key] = "no"
            for follow_up in follow_ups:
                answers.pop(follow_up, None)
    return answers


@st.composite
def submissions(draw):
    data = routed_answers(draw(st.sets(st.sampled_from(["q1", "q3", "q6", "q10"]))))
    if draw(st.booleans()):
        # Disturb it: change, drop or add fields.
        for key in draw(st.lists(st.sampled_from(KEYS[:14]), max_size=3)):
            data[key] = draw(ANSWER_VALUES)
        for key in draw(st.lists(st.sampled_from(KEYS[:14]), max_size=2)):
            data.pop(key, None)
        if draw(st.booleans()):
            data[draw(st.sampled_from(["school", "flagged", "weight", "q16"]))] = "1"
    data["q15"] = draw(TEXT_VALUES)
    data[HONEYPOT_FIELD] = draw(st.sampled_from(["", "", "http://spam.example", "x" * 201]))
    data[TOKEN_FIELD] = draw(st.sampled_from(["signed-token", "", "  ", "t" * 501]))
    data["csrfmiddlewaretoken"] = "csrf"
    return data


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=submissions())
def test_fast_path_agrees_with_the_form(data):
    questionnaire = standard_questionnaire("parents")
    post = QueryDict(mutable=True)
    post.update(data)
    quick = quick_clean(questionnaire, post)
    form = SurveyForm(questionnaire, post)
    valid = form.is_valid()
    if quick is not None:
        assert valid, form.errors
        assert quick["answers"] == form.cleaned_data["answers"]
        assert quick["suggestion"] == form.cleaned_data["suggestion"]
        assert quick[HONEYPOT_FIELD] == form.cleaned_data[HONEYPOT_FIELD]


def test_fast_path_takes_every_routing_of_an_ordinary_answer():
    questionnaire = standard_questionnaire("parents")
    for mask in range(16):
        no = {key for bit, key in enumerate(["q1", "q3", "q6", "q10"]) if mask & (1 << bit)}
        post = QueryDict(mutable=True)
        post.update({**routed_answers(no), "q15": "", TOKEN_FIELD: "t"})
        quick = quick_clean(questionnaire, post)
        form = SurveyForm(questionnaire, post)
        assert form.is_valid() and quick is not None, (no, form.errors)
        assert quick["answers"] == form.cleaned_data["answers"]


def test_fast_path_takes_the_ordinary_answer():
    questionnaire = standard_questionnaire("parents")
    post = QueryDict(mutable=True)
    post.update({**routed_answers({"q6"}), "q15": " спасибо ", TOKEN_FIELD: "t"})
    cleaned = quick_clean(questionnaire, post)
    assert cleaned["answers"]["q6"] is False and "q7" not in cleaned["answers"]
    assert cleaned["suggestion"] == "спасибо"
