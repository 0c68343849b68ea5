"""The questionnaire form, built from a Questionnaire's data."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SUGGESTION_KEY, SUGGESTION_MAX_LENGTH

YES, NO = "yes", "no"
ANSWER_CHOICES = [(YES, _("Да")), (NO, _("Нет"))]
HONEYPOT_FIELD = "contact_website"
TOKEN_FIELD = "form_token"
STALE_FORM = _("Форма устарела или повреждена. Обновите страницу и ответьте ещё раз.")
# Bidirectional overrides can make text read differently from what is stored; NUL breaks
# databases and exports (security.md case 6).
FORBIDDEN_CHARACTERS = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


YES_NO_VALUES = {YES: True, NO: False, "": None}
HONEYPOT_MAX_LENGTH = 200
TOKEN_MAX_LENGTH = 500


def quick_clean(questionnaire, data):
    """The cleaned submission when ``data`` is an ordinary, fully valid answer; else None.

    The hot path of a survey peak: checking a plain dictionary costs a few microseconds
    where building and validating the form costs over a millisecond. It only ever accepts
    what ``SurveyForm`` accepts, with the same result (a property test holds it to that);
    anything unusual — an error, an extra field, an odd value — returns None and the form
    decides, with its messages.
    """
    allowed = questionnaire_keys(questionnaire)
    answers, suggestion = {}, ""
    for key in data:
        if key not in allowed:
            return None
    for question in questionnaire.questions:
        key = question["key"]
        value = data.get(key, "")
        if question["kind"] == "yes_no":
            if value not in YES_NO_VALUES:
                return None
            answers[key] = YES_NO_VALUES[value]
        else:
            if len(value) > SUGGESTION_MAX_LENGTH or FORBIDDEN_CHARACTERS.search(value):
                return None
            if key == SUGGESTION_KEY:
                suggestion = value.strip()
    honeypot = data.get(HONEYPOT_FIELD, "")
    token = data.get(TOKEN_FIELD, "")
    if len(honeypot) > HONEYPOT_MAX_LENGTH or "\x00" in honeypot:
        return None
    if not token.strip() or len(token) > TOKEN_MAX_LENGTH or "\x00" in token:
        return None
    skipped = questionnaire.skipped_by(answers)
    for key, value in answers.items():
        if (key in skipped) != (value is None):
            return None  # a routing error or a missing answer: the form says which
    return {
        "answers": {key: value for key, value in answers.items() if key not in skipped},
        "suggestion": suggestion,
        HONEYPOT_FIELD: honeypot.strip(),
    }


def questionnaire_keys(questionnaire):
    keys = getattr(questionnaire, "_form_keys", None)
    if keys is None:
        keys = frozenset(
            [q["key"] for q in questionnaire.questions]
            + [HONEYPOT_FIELD, TOKEN_FIELD, "csrfmiddlewaretoken"]
        )
        questionnaire._form_keys = keys
    return keys


class SurveyForm(forms.Form):
    def __init__(self, questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.numbers = {}
        for number, question in enumerate(questionnaire.questions, start=1):
            key = question["key"]
            self.numbers[key] = number
            if question["kind"] == "yes_no":
                self.fields[key] = forms.ChoiceField(
                    label=question["text"],
                    choices=ANSWER_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[key] = forms.CharField(
                    label=question["text"],
                    required=False,
                    max_length=SUGGESTION_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": SUGGESTION_MAX_LENGTH}),
                )
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Не заполняйте это поле"), required=False, max_length=HONEYPOT_MAX_LENGTH
        )
        self.fields[TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, max_length=TOKEN_MAX_LENGTH
        )
        # For each question hidden by a «Нет», the question whose «Нет» hides it.
        self.shown_only_after_yes = {
            hidden: question["key"]
            for question in questionnaire.questions
            if question.get("skip_if_no")
            for hidden in questionnaire.skipped_by({question["key"]: False})
        }

    @property
    def allowed_fields(self):
        return set(self.fields) | {"csrfmiddlewaretoken"}

    def clean(self):
        cleaned = super().clean()
        unexpected = sorted(set(self.data) - self.allowed_fields)
        if unexpected:
            raise forms.ValidationError(
                _("Форма содержит лишние поля: %(fields)s.") % {"fields": ", ".join(unexpected)}
            )
        answers = {
            key: cleaned.get(key) == YES if cleaned.get(key) else None
            for key, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        skipped = self.questionnaire.skipped_by(answers)
        for question in self.questionnaire.questions:
            key = question["key"]
            if key in self.errors:
                continue
            if question["kind"] == "text":
                text = cleaned.get(key, "")
                if FORBIDDEN_CHARACTERS.search(text):
                    self.add_error(key, _("Текст содержит недопустимые служебные символы."))
                cleaned[key] = text.strip()
            elif key in skipped and answers[key] is not None:
                self.add_error(
                    key,
                    _("На этот вопрос не нужно отвечать: на вопрос %(number)s вы ответили «Нет».")
                    % {"number": self.numbers[self.shown_only_after_yes[key]]},
                )
            elif key not in skipped and answers[key] is None:
                self.add_error(key, _("Ответьте «Да» или «Нет»."))
        cleaned["answers"] = {key: value for key, value in answers.items() if key not in skipped}
        cleaned["suggestion"] = cleaned.get(SUGGESTION_KEY, "")
        if TOKEN_FIELD in self.errors or HONEYPOT_FIELD in self.errors:
            # Neither field is shown: their own errors would leave a 400 with nothing to read.
            self.add_error(None, STALE_FORM)
        return cleaned

    def question_rows(self):
        """Each question with its number and the question whose «Да» it follows."""
        rows = []
        for question in self.questionnaire.questions:
            depends_on = self.shown_only_after_yes.get(question["key"])
            rows.append(
                {
                    "number": self.numbers[question["key"]],
                    "field": self[question["key"]],
                    "depends_on": depends_on,
                    "depends_on_number": self.numbers.get(depends_on),
                }
            )
        return rows
