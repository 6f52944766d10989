"""A report as a PDF: A4 landscape, the CJK font embedded, a title block, tables with a
coloured header row, the same SVG charts as the page, and page numbers."""

from __future__ import annotations

import io
import re
from concurrent.futures import Future, ThreadPoolExecutor

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from lingting.documents.document import ReportDocument, Table
from lingting.documents.exports.fonts import report_font_path

FAMILY = "cjk"
TITLES = re.compile(r"<title>.*?</title>", re.DOTALL)
BOLD = re.compile(r' font-weight="bold"')
HEADER = FontFace(color=(255, 255, 255), fill_color=(31, 78, 121))
STRIPE = (242, 246, 250)


class _Pdf(FPDF):
    title_text = ""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, size=8)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"{self.title_text}  ·  {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


# Loading the CJK font is a third of a report's PDF; it needs nothing from the report.
_BEGINNER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf-font")


def pdf_begun() -> Future[_Pdf]:
    """A PDF with its font loaded, begun in a thread: a caller that reads the report's
    figures from the database meanwhile hands it to `render_pdf` (the font is parsed while
    the database works, not after it)."""
    return _BEGINNER.submit(_new_pdf)


def _new_pdf() -> _Pdf:
    pdf = _Pdf(orientation="landscape", format="A4")
    # One face, parsed once (half a second for a CJK font): the charts' bold titles are
    # drawn in it too (`BOLD`), as a bold style of the same file would draw them.
    pdf.add_font(FAMILY, fname=str(report_font_path()))
    return pdf


def render_pdf(document: ReportDocument, *, begun: Future[_Pdf] | None = None) -> bytes:
    """The PDF bytes (on the PDF `pdf_begun` began, if given); ReportFontMissing when no
    CJK font can be found."""
    pdf = begun.result() if begun is not None else _new_pdf()
    pdf.title_text = f"{document.title} {document.period_label}"
    pdf.set_title(pdf.title_text)
    pdf.set_creator("Lingting")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    pdf.set_font(FAMILY, size=20)
    pdf.cell(0, 12, document.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    pdf.set_text_color(90, 90, 90)
    generated = timezone.localtime(document.generated_at).strftime("%Y-%m-%d %H:%M")
    pdf.cell(
        0,
        6,
        _("周期：%(p)s    范围：%(s)s    生成时间：%(t)s")
        % {"p": document.period_label, "s": document.scope_label, "t": generated},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    for section in document.sections:
        pdf.ln(4)
        pdf.set_font(FAMILY, size=14)
        pdf.cell(0, 9, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, size=9)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5, paragraph, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        for table in section.tables:
            _table(pdf, table)
        for chart in section.charts:
            # fpdf2 draws shapes and text; the hover titles are for the page only.
            svg = BOLD.sub("", TITLES.sub("", chart.svg(font_family=FAMILY))).encode("utf-8")
            if pdf.will_page_break(80):
                pdf.add_page()
            pdf.image(io.BytesIO(svg), w=170)
            pdf.ln(2)
    return bytes(pdf.output())


def _table(pdf: FPDF, table: Table) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, size=10)
    pdf.cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
    text = table.formatted()
    if not text:
        pdf.set_font(FAMILY, size=9)
        pdf.set_text_color(110, 110, 110)
        pdf.cell(0, 6, table.empty or "—", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        return
    columns = len(table.columns)
    size = 8 if columns <= 8 else 7 if columns <= 13 else 6
    pdf.set_font(FAMILY, size=size)
    weights = [3.0 if c.wide else 1.0 for c in table.columns]
    aligns = ["LEFT" if c.fmt == "text" else "RIGHT" for c in table.columns]
    with pdf.table(
        col_widths=weights,
        headings_style=HEADER,
        cell_fill_color=STRIPE,
        cell_fill_mode="ROWS",
        line_height=size * 0.55,
        text_align=tuple(aligns),
        repeat_headings=1,
    ) as grid:
        heading = grid.row()
        for column in table.columns:
            heading.cell(column.title, align="C")
        for cells in text:
            row = grid.row()
            for value in cells:
                row.cell(value)
    pdf.ln(2)
