"""Give plural entries of the Russian catalogue their source text, as msgen does for the rest.

Source strings are already Russian; ``msgen`` fills a singular entry with its msgid but leaves
the four Russian plural forms empty, and an empty form is not compiled. Form 0 gets the
singular, the others the plural text. Used by ``make messages``.
"""

import re
import sys
from pathlib import Path

# A string may be wrapped by makemessages: `msgid_plural ""` followed by quoted lines.
QUOTED = r'"(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*'
ENTRY = re.compile(
    rf"(?P<head>msgid (?P<singular>{QUOTED})\nmsgid_plural (?P<plural>{QUOTED})\n)"
    # Only truly empty forms: a wrapped, filled form also starts with `msgstr[n] ""`.
    r'(?P<forms>(?:msgstr\[\d\] ""\n(?!"))+)'
)


def fill(text):
    def replace(match):
        count = match.group("forms").count("msgstr[")
        forms = "".join(
            f"msgstr[{n}] {match.group('singular') if n == 0 else match.group('plural')}\n"
            for n in range(count)
        )
        return match.group("head") + forms

    return ENTRY.sub(replace, text)


if __name__ == "__main__":
    path = Path(sys.argv[1])
    path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
