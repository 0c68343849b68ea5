"""The operator's report as DOCX (python-docx), with its charts drawn as PNG (Pillow).

Every paragraph and table uses a named style («Title», «Heading 1», «Heading 2», «Caption»,
«List Bullet» and the table style «Таблица отчёта»), so that editors restyle the whole
report by restyling those in a template: ``build_docx`` builds on a template DOCX when one
is given (``docx.Document(template)``), after whatever the template already holds (a title
page, say), and on python-docx's default document otherwise. A style the template lacks
falls back to the document's default, so a bare template never breaks the report.
"""

import io
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Mm, Pt
from PIL import Image, ImageDraw, ImageFont

from core.validators import CONTROL_CHARACTERS

from .report import SECTION_TITLES, figure, recommendation_blocks, share_text

TABLE_STYLE = "Таблица отчёта"
CHART_WIDTH = Cm(16)
# Charts are drawn at twice their printed size, so they stay sharp in print.
CHART_SIZE = (1600, 800)
BAR_COLOUR = (31, 94, 153)
BAND_COLOURS = {
    "high": (46, 125, 50),
    "above_average": (124, 179, 66),
    "average": (249, 168, 37),
    "low": (198, 40, 40),
}
TEXT_COLOUR = (26, 26, 26)
GRID_COLOUR = (200, 200, 200)


def build_docx(data, recommendations="", template=None, progress=None):
    """The report of ``data`` (``outputs.report.ReportData``) as DOCX bytes.

    ``template``: a path or file of a DOCX to build on; ``progress(percent, step)`` is told
    as each part is written."""
    progress = progress or (lambda percent, step: None)
    document = Document(template) if template is not None else _default_document()
    writer = _Writer(document)
    writer.paragraph(data.title, "Title")
    writer.paragraph(
        _("Редакция рейтинга %(number)s, опубликована %(date)s. Отчёт сформирован %(now)s.")
        % {
            "number": data.revision_number,
            "date": _date(data.published_at),
            "now": _date(timezone.now()),
        }
    )
    _method(writer, data)
    progress(65, _("Таблицы критериев"))
    _criteria(writer, data)
    progress(75, _("Диаграммы"))
    _distribution(writer, data)
    _lists(writer, data)
    progress(85, _("Недостатки и рекомендации"))
    _shortcomings(writer, data)
    _recommendations(writer, recommendations)
    progress(90, _("Приложение"))
    _appendix(writer, data)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _date(moment):
    if moment is None:
        return "—"
    return timezone.localtime(moment).strftime("%d.%m.%Y")


def _default_document():
    """python-docx's default document on A4 with the report's own table style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    styles = document.styles
    styles["Normal"].font.size = Pt(11)
    table_style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    table_style.base_style = styles["Table Grid"]
    table_style.font.size = Pt(9)
    return document


class _Writer:
    """Paragraphs and tables in named styles, each style checked against the document."""

    def __init__(self, document):
        self.document = document

    def style(self, name):
        return name if name in self.document.styles else None

    def paragraph(self, text, style=None):
        return self.document.add_paragraph(_clean(text), style=self.style(style) if style else None)

    def heading(self, text, level=1, new_page=False):
        paragraph = self.paragraph(text, f"Heading {level}")
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def bullet(self, text):
        return self.paragraph(text, "List Bullet")

    def table(self, header, rows, numeric_from=None):
        """A table with a header row repeated on every page and rows that never break
        across pages; columns from ``numeric_from`` on are right-aligned."""
        table = self.document.add_table(rows=1, cols=len(header))
        style = self.style(TABLE_STYLE) or self.style("Table Grid")
        if style:
            table.style = style
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(_clean(text))
            run.bold = True
        _mark_row(table.rows[0], header=True)
        for values in rows:
            row = table.add_row()
            _mark_row(row)
            for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.text = _clean(value)
                if numeric_from is not None and index >= numeric_from:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.document.add_paragraph()
        return table

    def picture(self, png, caption):
        self.document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        self.paragraph(caption, "Caption")


def _mark_row(row, header=False):
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _clean(value):
    return CONTROL_CHARACTERS.sub("", "" if value is None else str(value))


def _method(writer, data):
    writer.heading(SECTION_TITLES["method"])
    writer.paragraph(
        _(
            "Оценка проведена по методике «%(title)s» (код версии %(code)s). Ниже — правила "
            "расчёта, с которыми рассчитана опубликованная редакция рейтинга."
        )
        % {"title": data.methodology_title, "code": data.methodology_code}
    )
    writer.table(
        [_("Правило"), _("Значение")], [(line.label, line.value) for line in data.policies]
    )
    writer.heading(_("Выборка"), level=2)
    for text in data.sample_lines():
        writer.bullet(text)
    writer.heading(_("Охват анкетирования"), level=2)
    if data.coverage_note:
        writer.paragraph(data.coverage_note)
    if data.coverage:
        writer.table(
            [
                _("Муниципалитет"),
                _("Группа респондентов"),
                _("Ответили"),
                _("Контингент"),
                _("Охват, %"),
                _("Цель, %"),
            ],
            [
                (
                    row.municipality,
                    row.group,
                    row.count,
                    row.contingent,
                    share_text(row.share),
                    "—" if row.target_percent is None else row.target_percent,
                )
                for row in data.coverage
            ],
            numeric_from=2,
        )


def _criteria(writer, data):
    writer.heading(SECTION_TITLES["criteria"], new_page=True)
    writer.heading(_("Средние значения по региону"), level=2)
    writer.table(
        [_("Критерий, показатель"), _("Среднее, баллов")],
        [(label, mean) for label, mean, _criterion in data.region_rows()],
        numeric_from=1,
    )
    writer.paragraph(
        _(
            "Средние критериев и итогового балла — по %(n)s организациям с баллом, как в "
            "опубликованном рейтинге; средние показателей — по значениям показателей тех же "
            "организаций."
        )
        % {"n": data.region.rated}
    )
    writer.heading(_("Средние значения по муниципалитетам"), level=2)
    columns = data.criterion_columns()
    writer.table(
        [_("Муниципалитет"), _("С баллом"), *(label for _c, label, _t in columns), _("Итог")],
        data.municipality_rows(),
        numeric_from=1,
    )


def _distribution(writer, data):
    writer.heading(SECTION_TITLES["distribution"], new_page=True)
    writer.picture(
        band_histogram_png(data.bands),
        _("Рисунок 1. Число организаций по уровням итогового балла"),
    )
    writer.table(
        [_("Уровень"), _("Итоговый балл"), _("Организаций")],
        [(band.label, band.range_label, band.count) for band in data.bands],
        numeric_from=2,
    )
    writer.picture(
        criterion_bars_png(data.criterion_means()),
        _("Рисунок 2. Средние значения критериев и итогового балла по региону"),
    )


def _lists(writer, data):
    writer.heading(SECTION_TITLES["lists"], new_page=True)
    header = [_("Место"), _("Организация"), _("Муниципалитет"), _("Итог")]
    writer.heading(_("Первые места %(among)s") % {"among": data.kind_among}, level=2)
    if data.top:
        writer.table(header, [_list_row(row) for row in data.top], numeric_from=3)
    else:
        writer.paragraph(_("Организаций с баллом нет."))
    writer.heading(_("Последние места %(among)s") % {"among": data.kind_among}, level=2)
    if data.bottom:
        writer.table(header, [_list_row(row) for row in data.bottom], numeric_from=3)
    else:
        writer.paragraph(
            _("Организаций с баллом не больше %(n)s: все они названы выше.") % {"n": len(data.top)}
        )


def _list_row(row):
    return (row.rank, row.name, row.municipality, figure(row.total))


def _shortcomings(writer, data):
    writer.heading(SECTION_TITLES["shortcomings"], new_page=True)
    writer.paragraph(
        _("Недостатки, включённые оператором в итоги года, есть у %(n)s организаций из %(total)s.")
        % {"n": data.organisations_with_shortcomings, "total": data.assessed}
    )
    if not data.typical_shortcomings:
        return
    writer.heading(_("Недостатки по показателям"), level=2)
    writer.table(
        [_("Показатель"), _("Критерий"), _("Организаций")],
        [
            (line.indicator, line.criterion, line.organisations)
            for line in data.shortcomings_by_indicator
        ],
        numeric_from=2,
    )
    writer.heading(_("Самые частые недостатки"), level=2)
    writer.table(
        [_("Недостаток"), _("Показатель"), _("Организаций")],
        [(line.text, line.indicator, line.organisations) for line in data.typical_shortcomings],
        numeric_from=2,
    )


def _recommendations(writer, text):
    writer.heading(SECTION_TITLES["recommendations"], new_page=True)
    blocks = recommendation_blocks(text)
    if not blocks:
        writer.paragraph(_("Рекомендации оператора не заполнены."))
    for kind, content in blocks:
        if kind == "ul":
            for item in content:
                writer.bullet(item)
        else:
            writer.paragraph(content)


def _appendix(writer, data):
    # The appendix's ten columns read better across the page: a landscape section.
    previous = writer.document.sections[-1]
    section = writer.document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = previous.page_height, previous.page_width
    writer.heading(SECTION_TITLES["appendix"])
    columns = data.criterion_columns()
    writer.table(
        [
            _("Место"),
            _("Код"),
            _("Организация"),
            _("Муниципалитет"),
            *(label for _c, label, _t in columns),
            _("Итог"),
        ],
        data.appendix_rows(),
        numeric_from=4,
    )
    writer.paragraph(
        _(
            "«—» в графе «Место» — организация не получила итогового балла: ответов меньше "
            "минимума. «*» — балл получен по малому числу ответов."
        )
    )


# --- Charts ------------------------------------------------------------------------------


@cache
def _font(size):
    """A font with Cyrillic letters: DejaVu Sans where the system has it (Debian and Ubuntu
    images do), else Pillow's own font, whose labels may then lack Cyrillic letters."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _png(image):
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def band_histogram_png(bands):
    """Columns of rated organisations per band of the total (``report.BandCount``)."""
    width, height = CHART_SIZE
    image = Image.new("RGB", CHART_SIZE, "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 120, width - 40, 90, height - 170
    highest = max([band.count for band in bands] + [1])
    draw.line([(left, bottom), (right, bottom)], fill=TEXT_COLOUR, width=3)
    for step in range(1, 5):
        y = bottom - (bottom - top) * step / 4
        draw.line([(left, y), (right, y)], fill=GRID_COLOUR, width=1)
        draw.text(
            (left - 20, y),
            _count_label(highest * step / 4),
            font=_font(30),
            fill=TEXT_COLOUR,
            anchor="rm",
        )
    slot = (right - left) / max(len(bands), 1)
    for index, band in enumerate(bands):
        x0 = left + slot * index + slot * 0.15
        x1 = left + slot * (index + 1) - slot * 0.15
        y0 = bottom - (bottom - top) * band.count / highest
        draw.rectangle([x0, y0, x1, bottom], fill=BAND_COLOURS.get(band.key, BAR_COLOUR))
        centre = (x0 + x1) / 2
        draw.text((centre, y0 - 12), str(band.count), font=_font(40), fill=TEXT_COLOUR, anchor="md")
        draw.text((centre, bottom + 20), band.label, font=_font(34), fill=TEXT_COLOUR, anchor="ma")
        draw.text(
            (centre, bottom + 70), band.range_label, font=_font(30), fill=TEXT_COLOUR, anchor="ma"
        )
    return _png(image)


def _count_label(value):
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def criterion_bars_png(means):
    """Horizontal bars of the region's means on a 0–100 scale: [(code, label, title, value)]."""
    width, height = CHART_SIZE
    image = Image.new("RGB", CHART_SIZE, "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 160, width - 160, 30, height - 70
    scale = (right - left) / 100
    for tick in range(0, 101, 20):
        x = left + tick * scale
        draw.line([(x, top), (x, bottom)], fill=GRID_COLOUR, width=1)
        draw.text((x, bottom + 15), str(tick), font=_font(28), fill=TEXT_COLOUR, anchor="ma")
    slot = (bottom - top) / max(len(means), 1)
    for index, (code, label, _title, value) in enumerate(means):
        y0 = top + slot * index + slot * 0.18
        y1 = top + slot * (index + 1) - slot * 0.18
        centre = (y0 + y1) / 2
        draw.text((left - 20, centre), str(label), font=_font(36), fill=TEXT_COLOUR, anchor="rm")
        if value is None:
            draw.text((left + 10, centre), "—", font=_font(36), fill=TEXT_COLOUR, anchor="lm")
            continue
        x1 = left + float(value) * scale
        colour = (21, 62, 102) if code == "total" else BAR_COLOUR
        draw.rectangle([left, y0, x1, y1], fill=colour)
        draw.text((x1 + 15, centre), figure(value), font=_font(36), fill=TEXT_COLOUR, anchor="lm")
    draw.line([(left, top), (left, bottom)], fill=TEXT_COLOUR, width=3)
    return _png(image)
