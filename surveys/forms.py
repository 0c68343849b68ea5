"""The questionnaire form, built from a Questionnaire's data."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SUGGESTION_KEY, SUGGESTION_MAX_LENGTH

YES, NO = "yes", "no"
ANSWER_CHOICES = [(YES, _("Да")), (NO, _("Нет"))]
HONEYPOT_FIELD = "contact_website"
TOKEN_FIELD = "form_token"
# Bidirectional overrides can make text read differently from what is stored; NUL breaks
# databases and exports (security.md case 6).
FORBIDDEN_CHARACTERS = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


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
            label=_("Не заполняйте это поле"), required=False, max_length=200
        )
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, max_length=500)
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
