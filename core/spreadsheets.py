"""Spreadsheet safety shared by every CSV and XLSX export of the portal: one helper per cell."""

import datetime
from decimal import Decimal

from core.validators import CONTROL_CHARACTERS

# A text cell starting with one of these is run as a formula by Excel or LibreOffice
# (OWASP ASVS 5.0, 1.2.10; security.md cases 8 and 38).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
PLAIN_VALUES = (bool, int, float, Decimal, datetime.date, datetime.time)


def export_cell(value):
    """A value as a spreadsheet may safely hold it.

    Numbers, dates and empty cells stay as they are; anything else becomes text (a related
    object too: the admin wrote an organisation named «+SUM(1,1)» into CSV unescaped), loses
    the characters XLSX cannot hold, and gets a leading apostrophe before a formula trigger."""
    if value is None or isinstance(value, PLAIN_VALUES):
        return value
    # The control characters forms refuse are also those XLSX cannot hold (openpyxl raises:
    # one in an anonymous answer made a whole export answer 500); in a CSV they garble text.
    text = CONTROL_CHARACTERS.sub("", value if isinstance(value, str) else str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
