"""The questionnaire form, built from a Questionnaire's data."""

import re

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.memo import Memo

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


# Blank questions as every school page of a campaign embeds them: rendering a questionnaire's
# sixty radio buttons through Django's widget templates took 7 ms of a 48 ms school page, and
# the markup depends on nothing but the questionnaire and the respondent group. Forgotten
# with the other memos when a questionnaire or group changes (SurveysConfig.ready) or the page
# cache's generation moves (core/page_cache.py).
blank_questions = Memo("blank questionnaire markup", max_entries=1_000)


def blank_questions_html(questionnaire, audience):
    """The questions of ``questionnaire`` unanswered, with ids prefixed by ``audience`` (the
    markup ``surveys/_form.html`` would render for a fresh form)."""
    return blank_questions.get(
        (questionnaire.pk, audience, get_language()),
        lambda: render_to_string(
            "surveys/_questions.html",
            {
                "form": SurveyForm(questionnaire, auto_id=f"{audience}-%s"),
                "prefix": f"{audience}-",
            },
        ),
        settings.PROCESS_MEMO_SECONDS,
    )


# --- Paper and interview entry (surveys/paper.py) -----------------------------------------

# One key per answer, in either keyboard layout's digits or the Russian letters.
ANSWER_KEYS = {"1": YES, "д": YES, "2": NO, "н": NO, "0": "", "-": "", "": ""}
LINE_FIELD = "line"
NONCE_FIELD = "entry_nonce"
NONCE_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class AnswerKeyField(forms.ChoiceField):
    """A «Да/Нет» question typed as one key: 1 or д — «Да», 2 or н — «Нет», 0 or nothing — no
    answer. Cleans to the online form's values, so ``SurveyForm.clean`` routes it unchanged."""

    default_error_messages = {
        "invalid_choice": _("Введите 1 («Да»), 2 («Нет») или 0 (нет ответа)."),
    }

    def clean(self, value):
        key = (value or "").strip().lower()
        return super().clean(ANSWER_KEYS.get(key, key))


class PaperEntryForm(SurveyForm):
    """One paper sheet or interview, typed from the keyboard: the online form's validation and
    routing, with one-key fields.

    Two ways to type, both in order of the questions: the answer line (``line``, focused
    first: one character per «Да/Нет» question, 0 for a question the routing skips, then
    Enter: 14 characters and Enter for the 675н sheet) or one field per question (Tab
    between them; a line with an error is spread over them so each error is shown at its
    question). The free text is a one-line field, so that Enter saves from anywhere."""

    def __init__(self, questionnaire, data=None, **kwargs):
        self.yes_no_keys = [q["key"] for q in questionnaire.questions if q["kind"] == "yes_no"]
        if data is not None:
            data = self.spread_line(data)
        super().__init__(questionnaire, data, **kwargs)
        del self.fields[HONEYPOT_FIELD]
        del self.fields[TOKEN_FIELD]
        for key in self.yes_no_keys:
            label = self.fields[key].label
            self.fields[key] = AnswerKeyField(
                label=label,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.TextInput(
                    attrs={"maxlength": 1, "size": 1, "autocomplete": "off", "class": "paper-key"}
                ),
            )
        for question in questionnaire.questions:
            if question["kind"] == "text":
                self.fields[question["key"]].widget = forms.TextInput(
                    attrs={"maxlength": SUGGESTION_MAX_LENGTH, "autocomplete": "off"}
                )
        self.fields[LINE_FIELD] = forms.CharField(
            label=_("Строка ответов"),
            required=False,
            max_length=len(self.yes_no_keys) * 2,
            help_text=_(
                "По одному знаку на вопрос, по порядку: 1 или д — «Да», 2 или н — «Нет», "
                "0 — вопрос пропущен по анкете."
            ),
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        )
        self.fields[NONCE_FIELD] = forms.CharField(widget=forms.HiddenInput, max_length=32)
        self.order_fields([LINE_FIELD, *(q["key"] for q in questionnaire.questions)])

    def spread_line(self, data):
        """The data with a well-formed answer line moved into the per-question fields. A line
        of the wrong length, or typed besides per-question answers, stays for ``clean_line``
        to refuse."""
        line = "".join((data.get(LINE_FIELD) or "").split())
        if not line or len(line) != len(self.yes_no_keys):
            return data
        if any((data.get(key) or "").strip() for key in self.yes_no_keys):
            return data
        data = data.copy()
        for key, character in zip(self.yes_no_keys, line, strict=True):
            data[key] = character
        data[LINE_FIELD] = ""
        return data

    def clean_line(self):
        line = "".join(self.cleaned_data.get(LINE_FIELD, "").split())
        if not line:
            return ""
        if len(line) != len(self.yes_no_keys):
            raise forms.ValidationError(
                _("Нужно %(expected)s знаков, по одному на вопрос; введено %(typed)s.")
                % {"expected": len(self.yes_no_keys), "typed": len(line)}
            )
        raise forms.ValidationError(
            _("Введите ответы либо строкой, либо по вопросам: здесь заполнено и то и другое.")
        )

    def clean_entry_nonce(self):
        nonce = self.cleaned_data[NONCE_FIELD]
        if not NONCE_PATTERN.match(nonce):
            raise forms.ValidationError(STALE_FORM)
        return nonce

    def clean(self):
        cleaned = super().clean()
        if NONCE_FIELD in self.errors:
            self.add_error(None, STALE_FORM)
        return cleaned

    def focus_first_error(self):
        """Autofocus on the first field with an error (else the answer line), for the keyboard."""
        target = next((name for name in self.fields if name in self.errors), LINE_FIELD)
        self.fields[target].widget.attrs["autofocus"] = True
