"""Office pages of the reports: the index and the execution-discipline report with its exports.

Views translate HTTP to selector calls and back; what a user may see is decided in ``reports.selectors``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ratusha.core.auth import office_view
from ratusha.orgs.models import Employee, Organisation
from ratusha.reports import exports, selectors
from ratusha.reports.charts import execution_chart
from ratusha.reports.constants import DEFINITIONS, Figure
from ratusha.reports.forms import ExecutionFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL_BOARD_PATH = "/office/work/control/"


def _control_board_url() -> str:
    try:
        return reverse("workflow:control")
    except NoReverseMatch:  # the workflow pages are not mounted yet
        return CONTROL_BOARD_PATH


@office_view
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    from ratusha.reports.appeals_selectors import appeals_report_organisations

    organisations = list(selectors.report_organisations(user=request.user))
    return render(request, "reports/index.html", {
        "organisations": organisations,
        "appeals_organisations": list(appeals_report_organisations(user=request.user))})


def _organisation(request: HttpRequest) -> Organisation:
    """``?org=`` (one the user works in, else 404), by default the organisation of their first appointment."""
    org_id = request.GET.get("org")
    if org_id:
        return selectors.report_organisation_get(user=request.user, pk=org_id)
    available = selectors.report_organisations(user=request.user)
    own = (Employee.objects.filter(user=request.user, is_active=True, organisation__in=available)
           .select_related("organisation").first())
    organisation = own.organisation if own else available.first()
    if organisation is None:
        raise Http404
    return organisation


def _execution(request: HttpRequest) -> dict[str, Any]:
    """Organisation, bound filter form and — when the filter is valid — the report."""
    organisation = _organisation(request)
    tree = selectors.unit_tree(organisation)
    scope = selectors.report_scope(user=request.user, organisation=organisation, tree=tree)
    form = ExecutionFilterForm(request.GET, scope=scope, today=timezone.localdate(), tree=tree)
    context: dict[str, Any] = {"organisation": organisation, "scope": scope, "form": form, "report": None}
    if form.is_valid():
        data = form.cleaned_data
        context["report"] = selectors.execution_report(
            user=request.user, organisation=organisation, date_from=data["date_from"], date_to=data["date_to"],
            unit=data["unit"], person=data["person"], top_level_only=data["top_level_only"],
            responsible_only=data["responsible_only"])
        resolved = form.resolved_query()
        form.data = resolved  # the form shows the period's dates the report was built for
        context["query"] = urlencode({"org": str(organisation.pk), **resolved})
    return context


def _page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    report = context["report"]
    context.update(
        organisations=list(selectors.report_organisations(user=request.user)),
        control_url=_control_board_url(),
        definitions=[(str(f.label), DEFINITIONS[f.value]) for f in Figure],
        rate_definition=DEFINITIONS["rate"],
        figures=[(f.value, str(f.label)) for f in Figure],
    )
    if report is not None:
        context.update(chart=execution_chart(report), period=exports.describe_period(report),
                       filters=exports.describe_filters(report))
    return render(request, "reports/execution.html", context, status=200 if report is not None else 400)


@office_view
@require_GET
def execution(request: HttpRequest) -> HttpResponse:
    return _page(request, _execution(request))


def _export(request: HttpRequest, extension: str) -> HttpResponse:
    context = _execution(request)
    report = context["report"]
    if report is None:  # bad filter: the page with the messages instead of a broken file
        return _page(request, context)
    if extension == "xlsx":
        response = HttpResponse(exports.render_xlsx(report), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(exports.render_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(report, extension))
    response["Cache-Control"] = "private, no-store"
    return response


@office_view
@require_GET
def execution_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@office_view
@require_GET
def execution_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")

