"""Template context shared by every public page."""

from .accessibility import AccessibilityPreferences


def accessibility(request):
    return {"a11y": AccessibilityPreferences.from_request(request)}
