"""The norm of a checklist item as text editors can read and change in the admin.

A year's template carries each subsection's norm items (``norm.NormItem``) in a plain line
format, one item per line::

    fullName — Полное наименование образовательной организации
    shortName — Сокращённое наименование (при наличии) *
    addressPlaceSet — Места осуществления деятельности (было: addressPlace)

A trailing ``*`` marks an item «if applicable» (not required); ``(было: …)`` lists the names
older sites used for it. ``format_norm_items`` writes this format, ``parse_norm_items`` reads
it back and names the line of any mistake in Russian. Variants of headings and addresses are
one per line too (``lines``, ``validate_path_lines``).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .norm import NormItem

# Current names as the recommendations spell them (lowerCamelCase, latin letters and digits);
# old names may also carry a hyphen ("E-mail" of the pre-2020 sets).
ITEMPROP = re.compile(r"[A-Za-z][A-Za-z0-9]*")
OLD_ITEMPROP = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
SEPARATOR = re.compile(r"\s+[—–-]\s+|\s*[—–]\s*")
OLD_NAMES = re.compile(r"\(\s*было\s*:\s*([^()]*)\)\s*$", re.IGNORECASE)
OPTIONAL_MARK = re.compile(r"\s*\*\s*$")


def lines(text):
    """The non-empty lines of a one-per-line field, stripped, in order."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def format_norm_items(items):
    """Text of ``NormItem``s in the editable line format (the inverse of parse_norm_items)."""
    rows = []
    for item in items:
        row = f"{item.itemprop} — {item.label}" if item.label else item.itemprop
        if item.old_names:
            row += f" (было: {', '.join(item.old_names)})"
        if not item.required:
            row += " *"
        rows.append(row)
    return "\n".join(rows)


def parse_norm_items(text):
    """``NormItem``s of the line format; ValidationError naming every bad line otherwise."""
    items, errors, seen = [], [], {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            item = _parse_line(line)
        except ValueError as problem:
            errors.append(
                _("Строка %(number)s: %(problem)s") % {"number": number, "problem": problem}
            )
            continue
        if item.itemprop in seen:
            errors.append(
                _("Строка %(number)s: itemprop «%(name)s» уже указан в строке %(first)s.")
                % {"number": number, "name": item.itemprop, "first": seen[item.itemprop]}
            )
            continue
        seen[item.itemprop] = number
        items.append(item)
    if errors:
        raise ValidationError(errors)
    return tuple(items)


def parse_norm_items_leniently(text):
    """The items of the lines that parse, skipping bad ones: for the checker, which must not
    fail on a template saved before validation existed."""
    items, seen = [], set()
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        try:
            item = _parse_line(line)
        except ValueError:
            continue
        if item.itemprop not in seen:
            seen.add(item.itemprop)
            items.append(item)
    return tuple(items)


def _parse_line(line):
    required = True
    old_names = ()
    rest = line
    # "(было: …)" and "*" at the end, in either order.
    for _round in range(2):
        if OPTIONAL_MARK.search(rest):
            rest = OPTIONAL_MARK.sub("", rest)
            required = False
        match = OLD_NAMES.search(rest)
        if match:
            old_names = tuple(n.strip() for n in match.group(1).split(",") if n.strip())
            rest = rest[: match.start()].rstrip()
            if not old_names:
                raise ValueError(_("после «было:» укажите прежние названия через запятую."))
            for old in old_names:
                if not OLD_ITEMPROP.fullmatch(old):
                    raise ValueError(
                        _("прежнее название «%(name)s» — не значение itemprop.") % {"name": old}
                    )
    parts = SEPARATOR.split(rest, maxsplit=1)
    name = parts[0].strip()
    label = parts[1].strip() if len(parts) > 1 else ""
    if not ITEMPROP.fullmatch(name):
        raise ValueError(
            _(
                "«%(name)s» — не значение itemprop: пишите латиницей без пробелов, затем "
                "тире и название, например «fullName — Полное наименование»."
            )
            % {"name": name}
        )
    if name in old_names:
        raise ValueError(_("itemprop «%(name)s» указан и как прежнее название.") % {"name": name})
    return NormItem(itemprop=name, label=label, required=required, old_names=old_names)


def validate_norm_items(text):
    parse_norm_items(text)


def validate_path_lines(text):
    """Every line an address on the site, starting with «/»."""
    errors = [
        _("Строка %(number)s: адрес «%(path)s» должен начинаться с «/».")
        % {"number": number, "path": raw.strip()}
        for number, raw in enumerate((text or "").splitlines(), start=1)
        if raw.strip() and not raw.strip().startswith("/")
    ]
    if errors:
        raise ValidationError(errors)
