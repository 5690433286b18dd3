"""Office pages of the appeals statistics (``/office/reports/appeals/``) and their exports.

Views translate HTTP to selector calls; what a user may see is decided in ``reports.appeals_selectors``.
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
from ratusha.reports import appeals_exports as exports
from ratusha.reports import appeals_selectors as selectors
from ratusha.reports.appeals_charts import legend, topics_chart
from ratusha.reports.appeals_constants import CATEGORY_NOTE, DEFINITIONS, LISTS_NOTE, Total
from ratusha.reports.appeals_forms import AppealsFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisation(request: HttpRequest) -> Organisation:
    """``?org=`` (one whose statistics the user may read, else 404), by default their own."""
    org_id = request.GET.get("org")
    if org_id:
        return selectors.appeals_report_organisation_get(user=request.user, pk=org_id)
    available = selectors.appeals_report_organisations(user=request.user)
    own = (Employee.objects.filter(user=request.user, is_active=True, organisation__in=available)
           .select_related("organisation").first())
    organisation = own.organisation if own else available.first()
    if organisation is None:
        raise Http404
    return organisation


def _appeal_url_prefix() -> str:
    """The office page of an appeal, without its id («/office/appeals/»); "" when not mounted."""
    try:
        sample = reverse("appeals:detail", kwargs={"pk": "00000000-0000-0000-0000-000000000000"})
    except NoReverseMatch:
        return ""
    return sample.replace("00000000-0000-0000-0000-000000000000/", "")


def _build(request: HttpRequest) -> dict[str, Any]:
    organisation = _organisation(request)
    form = AppealsFilterForm(request.GET, today=timezone.localdate())
    context: dict[str, Any] = {"organisation": organisation, "form": form, "report": None}
    if form.is_valid():
        data = form.cleaned_data
        context["report"] = selectors.appeals_report(
            user=request.user, organisation=organisation, date_from=data["date_from"], date_to=data["date_to"],
            horizon=data["horizon"])
        resolved = form.resolved_query()
        form.data = resolved  # the form shows the period's dates the report was built for
        context["query"] = urlencode({"org": str(organisation.pk), **resolved})
    return context


def _page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    report = context["report"]
    context.update(
        organisations=list(selectors.appeals_report_organisations(user=request.user)),
        definitions=[(str(t.label), DEFINITIONS[t.value]) for t in Total],
        category_note=CATEGORY_NOTE, lists_note=LISTS_NOTE, legend=legend(),
        appeal_url=_appeal_url_prefix(),
    )
    if report is not None:
        context.update(chart=topics_chart(report), period=exports.describe_period(report),
                       dimensions=[d for d in report.dimensions if d.key != "topic"],
                       topics=report.dimension("topic"))
    return render(request, "reports/appeals.html", context, status=200 if report is not None else 400)


@office_view
@require_GET
def appeals(request: HttpRequest) -> HttpResponse:
    return _page(request, _build(request))


def _export(request: HttpRequest, extension: str, kind: str = "stats") -> HttpResponse:
    context = _build(request)
    report = context["report"]
    if report is None:  # bad filter: the page with the messages instead of a broken file
        return _page(request, context)
    if extension == "xlsx":
        response = HttpResponse(exports.render_xlsx(report), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(exports.render_csv(report, kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(report, extension, kind))
    response["Cache-Control"] = "private, no-store"
    return response


@office_view
@require_GET
def appeals_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@office_view
@require_GET
def appeals_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@office_view
@require_GET
def appeals_lists_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv", "lists")
