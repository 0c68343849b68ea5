"""Saving an organisation's assessment inputs: the one door other domains use to feed the
rating (monitoring writes what accepted checklists establish). Every save leaves an entry in
the audit trail.
"""

from . import engine
from .models import AssessmentInput, InputChange

# Where a value came from; the audit trail and the precedence rules use it.
InputSource = AssessmentInput.Source


def save_inputs(organisation, year, values, *, source, user=None, note=""):
    """Create or update one organisation's inputs for ``year`` with an audit entry.

    ``values`` holds some of the input fields; returns the changed fields as {field: [old,
    new]} (empty when nothing changed)."""
    row, created = AssessmentInput.objects.get_or_create(organisation=organisation, year=year)
    diff = {
        name: [getattr(row, name), value]
        for name, value in values.items()
        if getattr(row, name) != value
    }
    if not diff and not created:
        return diff
    for name, value in values.items():
        setattr(row, name, value)
    if set(values) & set(engine.CHECKLIST_FIELDS):
        row.checklist_source = source
    if set(values) & set(engine.SURVEY_FIELDS):
        row.survey_source = source
    row.save()
    InputChange.objects.create(
        year=year,
        organisation=organisation,
        source=source,
        user=user,
        changes=diff,
        note=note[:300],
    )
    return diff
