"""Entries of the public discussions as CSV or XLSX, for the editors.

Visitors typed these texts: every text cell goes through ``core.spreadsheets.export_cell``,
so «=cmd» stays text and control characters are cleaned (docs/security.md cases 8 and 38).
"""

import csv
import io

from openpyxl import Workbook

from core.spreadsheets import export_cell

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (
    "year",
    "submitted_on",
    "status",
    "held_reason",
    "organisation_code",
    "organisation",
    "author_name",
    "text",
    "answer",
    "answered_by",
    "answered_at",
)


def rows(entries):
    """One list of cells per entry, in COLUMNS order, safe for a spreadsheet."""
    entries = entries.select_related("discussion", "organisation").order_by(
        "discussion__year", "submitted_on", "pk"
    )
    for entry in entries.iterator(chunk_size=2000):
        organisation = entry.organisation
        answered_at = entry.answered_at.date() if entry.answered_at else None
        yield [
            export_cell(cell)
            for cell in (
                entry.discussion.year,
                entry.submitted_on,
                entry.get_status_display(),
                entry.held_reason,
                organisation.code if organisation else "",
                organisation.name if organisation else "",
                entry.author_name,
                entry.text,
                entry.answer,
                entry.get_answered_by_display() if entry.answered_by else "",
                answered_at,
            )
        ]


def export_csv(entries):
    buffer = io.StringIO()
    # The byte-order mark makes Excel read the file as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(entries):
        writer.writerow(["" if cell is None else str(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def export_xlsx(entries):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Обсуждение")
    sheet.append(list(COLUMNS))
    for row in rows(entries):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(entries, fmt):
    if fmt == "csv":
        return export_csv(entries)
    if fmt == "xlsx":
        return export_xlsx(entries)
    raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}")
