"""The review compliance page and its CSV and XLSX exports. Thin: check the filters, build
the one report (vigil.reviews.compliance), show or export it.

With htmx (`HX-Request`), the page answers with the results block only (filters, figures,
chart, rows), always 200 so htmx swaps it in, errors included; without, the full page (400
when the filters are wrong). The block replaces the URL rather than pushing history, and
carries hx-history="false" so htmx never copies police data into the browser's storage."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from vigil.access.cases import can_view_compliance
from vigil.reviews import exports
from vigil.reviews.chart import trend_chart
from vigil.reviews.compliance import BREAKDOWN_TITLES, ComplianceFilterForm, compliance_report
from vigil.reviews.services import compliance_export_record
from vigil.web.govuk import error_summary

FORM_INVALID = 400
PAGE_ROWS = 1000  # the page lists this many rows at most; the exports have them all


def _allowed(request):
    if not can_view_compliance(request.user):
        raise PermissionDenied(
            "Review compliance is for sergeants and above, inspectors, the focus desk, "
            "auditors, analysts and administrators."
        )


def _page(request, form, report, *, status=200):
    # htmx restoring history asks for the whole page.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    context = {
        "form": form,
        "report": report,
        "chart": trend_chart(report.trend) if report else None,
        "query": urlencode(report.filters.params()) if report else "",
        "lines": report.lines[:PAGE_ROWS] if report else [],
        "page_rows": PAGE_ROWS,
        "breakdown_titles": BREAKDOWN_TITLES,
        "summary": error_summary(form),
        "partial": partial,
        "nav": "compliance",
    }
    if partial:
        response = render(request, "reviews/_compliance_results.html", context)
    else:
        context["error_summary_params"] = context["summary"]
        response = render(request, "reviews/compliance.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form(request):
    return ComplianceFilterForm(request.GET, user=request.user)


@login_required
def compliance(request):
    _allowed(request)
    form = _form(request)
    if not form.is_valid():
        return _page(request, form, None, status=FORM_INVALID)
    return _page(request, form, compliance_report(user=request.user, filters=form.filters()))


def _export(request, extension: str, build, content_type: str):
    _allowed(request)
    form = _form(request)
    if not form.is_valid():
        return _page(request, form, None, status=FORM_INVALID)
    report = compliance_report(user=request.user, filters=form.filters())
    body = build(report)
    compliance_export_record(
        actor=request.user,
        filters=report.filters.payload(),
        export_format=extension,
        rows=len(report.lines),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(report, extension)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def compliance_csv(request):
    return _export(request, "csv", exports.csv_bytes, exports.CSV_TYPE)


@login_required
def compliance_xlsx(request):
    return _export(request, "xlsx", exports.xlsx_bytes, exports.XLSX_TYPE)
