"""A page's table as a download, and its charts as the reports draw them: the KPI,
assessment, occupancy, satisfaction and trust pages lay out what they show once, as a
`ReportDocument`, and hand it here. The CSV and XLSX are the reports' own writers (the
Excel-safe CSV, the XLSX whose strings never become formulas), so a page's download and a
report's can never differ in how they treat data."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lingting.documents.document import Chart, ReportDocument, Section, Table
from lingting.documents.exports.csv import render_csv
from lingting.documents.exports.pdf import render_pdf
from lingting.documents.exports.xlsx import render_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every file a document is downloaded as: its writer and content type.
DOCUMENT_FORMATS: dict[str, tuple[Callable[[ReportDocument], bytes], str]] = {
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (render_xlsx, XLSX),
    "pdf": (render_pdf, "application/pdf"),
}
PAGE_FORMATS = frozenset({"csv", "xlsx"})  # a page's table: the reports alone are PDFs
EXPORT_PARAM = "export"  # ?export=csv or ?export=xlsx on the page's own URL and filters


def page_document(
    *,
    title: str,
    scope_label: str,
    period_label: str,
    tables: Sequence[Table],
    charts: Sequence[Chart] = (),
    filename: str,
) -> ReportDocument:
    """What a page shows, as one section of a report: its tables (already masked for the
    reader) and its charts."""
    return ReportDocument(
        title=title,
        period_label=period_label,
        scope_label=scope_label,
        generated_at=timezone.now(),
        sections=(Section(title=title, tables=tuple(tables), charts=tuple(charts)),),
        filename=filename,
    )


def document_download(
    document: ReportDocument,
    fmt: str,
    *,
    formats: Collection[str] = DOCUMENT_FORMATS.keys(),
    pdf: Future[Any] | None = None,
) -> HttpResponse:
    """`document` as an attachment in `fmt`, one of `formats`; Http404 for any other.
    A PDF (on `pdf`, what `pdf_begun` began, if given) raises ReportFontMissing when no
    CJK font can be found."""
    if fmt not in formats or fmt not in DOCUMENT_FORMATS:
        raise Http404("no such format")
    render, content_type = DOCUMENT_FORMATS[fmt]
    body = render_pdf(document, begun=pdf) if fmt == "pdf" else render(document)
    return attachment(body, content_type, f"{document.filename}.{fmt}")


def page_download(document: ReportDocument, fmt: str) -> HttpResponse:
    """A page's `document` as a CSV or XLSX attachment; Http404 for any other format."""
    return document_download(document, fmt, formats=PAGE_FORMATS)


def attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def without_export(request: HttpRequest) -> str:
    """The page's own filters as a query string, for its download links."""
    query = request.GET.copy()
    query.pop(EXPORT_PARAM, None)
    return query.urlencode()


def page_charts(document: ReportDocument) -> list[SafeString]:
    """The document's charts as inline SVG for the page (the engine escapes every label)."""
    return [mark_safe(chart.svg()) for section in document.sections for chart in section.charts]
