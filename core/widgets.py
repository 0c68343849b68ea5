"""Admin widgets hardened against crafted posts."""

from django.core.exceptions import SuspiciousOperation
from wagtail.admin.rich_text import DraftailRichTextArea


class StrictDraftailRichTextArea(DraftailRichTextArea):
    """Wagtail's rich-text editor, answering 400 instead of 500 to a value that is not the
    editor's JSON: only a hand-made request sends one, and it gets no data saved either."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise SuspiciousOperation(f"Rich text of {name!r} is not editor content") from error
