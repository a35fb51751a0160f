"""Compliance exports: CSV (the rows) and XLSX (the rows, a summary per kind, and one sheet
per kind with its counts by week and area). The same report as the page and the API.

Times are UK time with their offset (ISO 8601), so an hour repeated when the clocks go back
is never ambiguous. A text cell that a spreadsheet would read as a formula is prefixed with
an apostrophe.
"""

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from vigil.core.time import london
from vigil.reviews.compliance import ComplianceReport, Line, weekly_by_area

HEADERS = [
    "Case",
    "Area",
    "Review",
    "Review kind code",
    "Slot date",
    "Slot",
    "Window start (UK time)",
    "Window end (UK time)",
    "Late after (UK time)",
    "Accountable reviewer (as rostered at the time)",
    "Accountable reviewer username",
    "How decided",
    "Status",
    "Counted review by",
    "Counted review on behalf of",
    "Counted review recorded (UK time)",
    "Roster corrected since: now designated",
    "Correction recorded (UK time)",
    "Correction recorded by",
    "Correction reason",
]
SUMMARY_HEADERS = [
    "Review",
    "Review kind code",
    "Due",
    "Done on time",
    "Done late",
    "Missed",
    "Still open",
    "On time ÷ due",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _time(value: datetime | None) -> str:
    return london(value).isoformat(timespec="minutes") if value else ""


def _join(values) -> str:
    return " | ".join(v for v in values if v)


def line_cells(line: Line) -> list[str]:
    """One row of the export, every cell as text."""
    counted = line.counted_review
    return [
        line.case_label,
        line.area_name,
        line.label,
        line.kind,
        line.slot_date.isoformat() if line.slot_date else "",
        line.slot_name,
        _time(line.window_start),
        _time(line.window_end),
        _time(line.late_after),
        line.reviewer.label if line.reviewer else "Nobody named",
        line.reviewer.username if line.reviewer else "",
        line.how_decided,
        line.status_label,
        counted.reviewer.label if counted else "",
        counted.on_behalf_of.label if counted and counted.on_behalf_of else "",
        _time(counted.recorded_at) if counted else "",
        line.designated_now.label if line.designated_now else "",
        _join(_time(c.recorded_at) for c in line.corrections),
        _join(
            c.recorded_by.label if c.recorded_by else c.recorded_by_job for c in line.corrections
        ),
        _join(c.reason for c in line.corrections),
    ]


def export_rows(report: ComplianceReport) -> list[list[str]]:
    return [line_cells(line) for line in report.lines]


def filename(report: ComplianceReport, extension: str) -> str:
    f = report.filters
    return f"vigil-review-compliance-{f.first:%Y%m%d}-{f.last:%Y%m%d}.{extension}"


def csv_bytes(report: ComplianceReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in export_rows(report):
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM tells Excel it is UTF-8


def _filter_lines(report: ComplianceReport) -> list[list]:
    f = report.filters
    return [
        ["Review compliance", ""],
        ["Period (UK dates, both included)", f"{f.first.isoformat()} to {f.last.isoformat()}"],
        ["Area", f.area.name if f.area is not None else "All areas"],
        ["Review kind", f.kind or "All kinds"],
        ["Accountable reviewer", f.reviewer.username if f.reviewer is not None else "Everyone"],
        ["Status as at (UK time)", _time(report.at)],
        ["On time ÷ due", "Reviews still open count as due; not needed ones (case closed) do not"],
        [],
    ]


def _bold_row(sheet, values) -> None:
    sheet.append([_safe(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _counts_cells(counts) -> list:
    return [counts.due, counts.on_time, counts.late, counts.missed, counts.open]


def _ratio_cell(sheet) -> None:
    cell = sheet.cell(row=sheet.max_row, column=sheet.max_column)
    cell.number_format = "0%"


def _sheet_title(label: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in label).strip() or "Kind"
    title = clean[:31]
    n = 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def xlsx_bytes(report: ComplianceReport) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    used = {"summary", "reviews"}
    for line in _filter_lines(report):
        summary.append([_safe(v) for v in line])
    _bold_row(summary, SUMMARY_HEADERS)
    for counts in report.kinds:
        summary.append(
            [_safe(counts.label), counts.kind, *_counts_cells(counts), counts.on_time_ratio]
        )
        _ratio_cell(summary)

    rows = book.create_sheet("Reviews")
    _bold_row(rows, HEADERS)
    for row in export_rows(report):
        rows.append([_safe(cell) if cell != "" else None for cell in row])
    rows.freeze_panes = "A2"

    for counts in report.kinds:
        sheet = book.create_sheet(_sheet_title(counts.label, used))
        sheet.append([_safe(f"{counts.label}: by week and area")])
        sheet.append([])
        _bold_row(sheet, ["Week beginning", "Area", *SUMMARY_HEADERS[2:]])
        trend = weekly_by_area(report, counts.kind)
        for line in trend.series:
            for week, point in zip(trend.weeks, line.points, strict=True):
                sheet.append(
                    [week, _safe(line.area_name), *_counts_cells(point), point.on_time_ratio]
                )
                sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
                _ratio_cell(sheet)
        _bold_row(sheet, ["Whole period", "All areas", *_counts_cells(counts), None])
        sheet.cell(row=sheet.max_row, column=sheet.max_column).value = counts.on_time_ratio
        _ratio_cell(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
