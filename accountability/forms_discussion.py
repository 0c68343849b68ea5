"""Forms of the public discussion: the visitor's proposal and the answers to it.

The proposal form carries a signed timestamp (when the form was shown, for which discussion)
and a honeypot field; what they say goes to ``discussion.review_reason``. Text is refused
with control characters or bidirectional overrides, which make stored text read differently
from what is shown (docs/security.md case 6).
"""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from core.validators import CONTROL_CHARACTERS
from surveys.forms import FORBIDDEN_CHARACTERS

from .discussion import ANSWER_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, TEXT_MAX_LENGTH

HONEYPOT_FIELD = "contact_website"
STARTED_FIELD = "form_started"
STARTED_SALT = "accountability.discussion.form"
STARTED_MAX_AGE = 24 * 60 * 60
STALE_FORM = _("Форма устарела или повреждена. Обновите страницу и отправьте текст ещё раз.")
BAD_CHARACTERS = _("Текст содержит недопустимые служебные символы.")


def issue_started(discussion):
    """The signed moment the form was shown, bound to the discussion."""
    return signing.dumps({"t": time.time(), "d": discussion.pk}, salt=STARTED_SALT)


def seconds_since_started(value, discussion):
    """Seconds since the form was shown, or None for a forged, foreign or expired token."""
    try:
        data = signing.loads(value or "", salt=STARTED_SALT, max_age=STARTED_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("d") != discussion.pk:
        return None
    try:
        return time.time() - float(data["t"])
    except (KeyError, TypeError, ValueError):
        return None


def clean_free_text(value):
    if CONTROL_CHARACTERS.search(value) or FORBIDDEN_CHARACTERS.search(value):
        raise forms.ValidationError(BAD_CHARACTERS)
    return value.strip()


class ProposalForm(forms.Form):
    author_name = forms.CharField(
        label=_("Ваше имя (по желанию)"),
        required=False,
        max_length=AUTHOR_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": AUTHOR_NAME_MAX_LENGTH}),
    )
    text = forms.CharField(
        label=_("Предложение или комментарий"),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Напишите предложение или комментарий.")},
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX_LENGTH}),
    )
    contact_website = forms.CharField(
        label=_("Не заполняйте это поле"), required=False, max_length=200
    )
    form_started = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, discussion, **kwargs):
        super().__init__(*args, **kwargs)
        self.discussion = discussion
        if not self.is_bound:
            self.initial[STARTED_FIELD] = issue_started(discussion)

    def clean_author_name(self):
        return clean_free_text(self.cleaned_data["author_name"])

    def clean_text(self):
        text = clean_free_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Напишите предложение или комментарий."))
        return text

    def clean(self):
        cleaned = super().clean()
        if STARTED_FIELD in self.errors or HONEYPOT_FIELD in self.errors:
            # Neither field is shown: their own errors would leave nothing to read.
            self.add_error(None, STALE_FORM)
            return cleaned
        seconds = seconds_since_started(cleaned.get(STARTED_FIELD), self.discussion)
        if seconds is None:
            self.add_error(None, STALE_FORM)
        cleaned["seconds_to_fill"] = seconds
        return cleaned

    def with_fresh_token(self):
        """The same form, re-rendered with a new timestamp so the corrected text can be sent."""
        self.data = self.data.copy()
        self.data[STARTED_FIELD] = issue_started(self.discussion)
        return self


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Ответ"),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("Ответ публикуется вместе с предложением. Пустое поле снимает ответ."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": ANSWER_MAX_LENGTH}),
    )

    def clean_answer(self):
        return clean_free_text(self.cleaned_data["answer"])
