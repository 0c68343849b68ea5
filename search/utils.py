"""Query cleaning shared by every search box of the portal."""

import re

# Longer queries are cut: nobody types more, and the search backends should never see 50 kB
# of input (security.md case 29).
MAX_QUERY_LENGTH = 200
NON_WORD = re.compile(r"[^\w]+")


def clean_query(raw):
    """Words only: punctuation means nothing to a visitor here, but quotes, brackets and
    operators are syntax to SQLite FTS5 and would turn a typo into a database error."""
    return " ".join(NON_WORD.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH].strip()
