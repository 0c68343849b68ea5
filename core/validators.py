"""Validators shared by forms and models of every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls other than tab, line feed and carriage return, and DEL: never typed on purpose,
# they come from pasted documents and break spreadsheets (security.md case 38).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def reject_control_characters(value):
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(
            _("Текст содержит невидимые управляющие символы: наберите его заново или удалите их."),
            code="control_characters",
        )
