"""«Контроль виконання»: the controller's board with buckets by deadline and counts per unit and person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ratusha.core.auth import office_view
from ratusha.orgs.models import Organisation, Unit
from ratusha.orgs.permissions import roles_by_organisation
from ratusha.workflow import selectors
from ratusha.workflow.constants import DEFAULT_SOON_WORKING_DAYS
from ratusha.workflow.forms import BoardFilterForm
from ratusha.workflow.views._common import is_htmx


@office_view
@require_GET
def control_board(request: HttpRequest) -> HttpResponse:
    user = request.user
    org_ids = list(roles_by_organisation(user))
    organisations = Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("kind", "name")
    units = (
        Unit.objects.filter(organisation_id__in=org_ids, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "code")
    )
    form = BoardFilterForm(
        request.GET or None,
        organisations=organisations,
        units=units,
        people=selectors.board_people(user=user),
    )
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = getattr(form, "cleaned_data", {})
    today = timezone.localdate()
    board = selectors.control_board(
        user=user,
        on=today,
        soon_days=filters.get("soon_days") or DEFAULT_SOON_WORKING_DAYS,
        organisation=filters.get("organisation"),
        unit=filters.get("unit"),
        person=filters.get("person"),
        on_control_only=bool(filters.get("on_control")),
    )
    context = {
        "form": form,
        "board": board,
        "today": today,
        "filtered": any(filters.get(k) for k in ("organisation", "unit", "person", "on_control")),
    }
    template = "workflow/board.html"
    if is_htmx(request) and request.headers.get("HX-Target") == "board-results":
        template += "#results"
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)
