"""Spreadsheet safety shared by every export of the portal."""

# A text cell starting with one of these is run as a formula by Excel or LibreOffice
# (OWASP ASVS 5.0, 1.2.10; security.md case 8).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def escape_formula(value):
    """Text that no spreadsheet will evaluate: a leading apostrophe before a trigger."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
