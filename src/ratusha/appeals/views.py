"""Office pages of citizens' appeals: the list, «Нові з сайту», registration, the appeal page, attachments.

Views translate HTTP to service/selector calls and back; they hold no business rules. The actions on an
appeal (register, code, sign, outcomes, terms) are in ``views_actions.py``; the classifier upload in
``views_classifier.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ratusha.appeals import forms as appeal_forms
from ratusha.appeals import permissions as perms
from ratusha.appeals import selectors
from ratusha.appeals import services as svc
from ratusha.appeals.constants import (
    APPLICANT_CATEGORIES,
    MARK_COLLECTIVE,
    MARK_UNSIGNED,
    AppealSign,
    AppealStatus,
    AppealSubject,
)
from ratusha.appeals.services._common import setting
from ratusha.appeals.services.outcomes import suggested_ground
from ratusha.appeals.services.registration import appeal_marks
from ratusha.appeals.services.terms import days_left, forward_deadline, max_deadline, return_deadline
from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, IntegrityCheckError
from ratusha.core.pagination import CappedPaginator
from ratusha.core.storage import blob_read
from ratusha.registry.views import _collect_files


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_reader(request: HttpRequest) -> None:
    if not perms.reading_organisation_ids(request.user) and not selectors.appeals_visible_to(request.user).exists():
        raise PermissionDenied(_("Звернення громадян доступні працівникам з питань звернень, діловодам, "
                                 "керівникам і виконавцям доручень за зверненнями."))


# --- The list -----------------------------------------------------------------------------------


@office_view
@require_GET
def appeal_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = request.user
    form = appeal_forms.FilterForm(request.GET or None, user=user)
    filters = selectors.AppealFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.AppealFilters(
            status=data.get("status") or "", overdue=bool(data.get("overdue")), due_within=data.get("due_within"),
            receipt_form=data.get("receipt_form") or "", appeal_type=data.get("appeal_type") or "",
            sign=data.get("sign") or "", topic=data.get("topic"), officer=data.get("officer"),
            text=data.get("text") or "", priority=bool(data.get("priority")))
    appeals = selectors.appeal_list(user=user, filters=filters)
    paginator = CappedPaginator(appeals, settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.list_rows(user=user, appeals=list(page.object_list))
    today = timezone.localdate()
    for appeal in rows:
        appeal.days_left = days_left(appeal, today)
        appeal.marks = appeal_marks(appeal)
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "filtered": form.is_bound and any(v not in (None, "", False) for v in getattr(form, "cleaned_data", {}).values()),
        "counts": selectors.list_counts(user=user, today=today),
        "can_register": bool(perms.registering_organisation_ids(user)),
        "can_load_classifier": perms.can_load_classifier(user),
        "due_soon_days": int(setting("DUE_SOON_WORKING_DAYS")),
        "today": today,
    }
    template = "appeals/list.html"
    if _is_htmx(request) and request.headers.get("HX-Target") == "appeal-results":
        template += "#results"
    return render(request, template, context)


@office_view
@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not perms.registering_organisation_ids(user):
        raise PermissionDenied(_("Реєструвати звернення можуть працівники з питань звернень та діловоди."))
    queue = selectors.submitted_queue(user=user)
    paginator = CappedPaginator(queue, settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.list_rows(user=user, appeals=list(page.object_list))
    return render(request, "appeals/submitted.html", {
        "page_obj": page, "rows": rows, "today": timezone.localdate(),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


# --- Registration -------------------------------------------------------------------------------


def _cosigner_formset(request: HttpRequest) -> Any:
    if request.method != "POST":
        return appeal_forms.CosignerFormSet(prefix="cosigners")
    data = request.POST
    if "add_cosigners" in data:  # more empty rows, keeping what was typed
        data = data.copy()
        total = int(data.get("cosigners-TOTAL_FORMS") or 0)
        data["cosigners-TOTAL_FORMS"] = str(min(total + appeal_forms.COSIGNER_ROWS_STEP, 500))
    return appeal_forms.CosignerFormSet(data, prefix="cosigners")


@office_view
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in appeal_forms.REGISTER_KINDS:
        raise Http404
    user = request.user
    if not perms.registering_organisation_ids(user):
        raise PermissionDenied(_("Реєструвати звернення можуть працівники з питань звернень та діловоди."))
    form = appeal_forms.RegisterForm(request.POST or None, request.FILES or None, user=user, register_kind=kind)
    cosigners = _cosigner_formset(request)
    staged: list[Any] = []
    adding_rows = request.method == "POST" and "add_cosigners" in request.POST
    if request.method == "POST":
        staged, file_errors = _collect_files(request)
        valid = form.is_valid()
        people_valid = cosigners.is_valid()
        for message in file_errors:
            form.add_error("files", message)
        if valid and people_valid and not file_errors and not adding_rows:
            people = [svc.CosignerInput(f.cleaned_data.get("full_name", ""), f.cleaned_data.get("address", ""))
                      for f in cosigners.forms if f.cleaned_data.get("full_name")]
            try:
                appeal = svc.appeal_register(actor=user, cosigners=people, files=staged, **form.service_kwargs())
            except ApplicationError as exc:
                field = exc.field if exc.field in form.fields else None
                if exc.field == "cosigners":
                    cosigners._non_form_errors = cosigners.error_class([exc.message])
                else:
                    form.add_error(field, exc.message)
            else:
                messages.success(request, _("Звернення зареєстровано: № %(index)s від %(date)s. Термін розгляду — до "
                                            "%(deadline)s.") % {
                    "index": appeal.document.reg_index, "date": appeal.document.reg_date.strftime("%d.%m.%Y"),
                    "deadline": appeal.deadline.strftime("%d.%m.%Y")})
                return redirect("appeals:detail", pk=appeal.pk)
    spec = appeal_forms.REGISTER_KINDS[kind]
    context = {
        "form": form,
        "cosigners": cosigners,
        "register_kind": kind,
        "spec": spec,
        "kinds": [(key, value["label"]) for key, value in appeal_forms.REGISTER_KINDS.items()],
        "staged": staged,
        "max_upload_bytes": settings.MAX_UPLOAD_MB * 1024 * 1024,
        "no_topics": not form.fields["topic"].queryset.exists(),
        "adding_rows": adding_rows,
    }
    status = 400 if request.method == "POST" and not adding_rows else 200
    return render(request, "appeals/register.html", context, status=status)


# --- The appeal page ----------------------------------------------------------------------------


# The action forms of the appeal page and the panel (``actions`` key) each lives in.
FORM_ACTIONS = {"register_form": "register", "coding_form": "code", "sign_form": "sign", "term_form": "term",
                "return_form": "return", "forward_form": "forward", "not_considered_form": "not_consider",
                "extend_form": "extend", "close_form": "close"}


def _initial_coding(appeal: Any) -> dict[str, Any]:
    return {"version": appeal.version, "receipt_form": appeal.receipt_form, "medium": appeal.medium,
            "appeal_type": appeal.appeal_type, "subject": appeal.subject, "sex": appeal.sex,
            "social_status": appeal.social_status, "settlement": appeal.settlement,
            "categories": list(appeal.categories or []), "topic": appeal.topic_id}


def appeal_context(request: HttpRequest, appeal: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    org = appeal.organisation_id
    handler = perms.can_handle(user, org)
    officer = perms.can_register(user, org)
    status = appeal.status
    v = {"version": appeal.version}
    is_open = status in (AppealStatus.REGISTERED, AppealStatus.IN_WORK)
    actions = {
        "register": officer and status == AppealStatus.SUBMITTED,
        "take": handler and status == AppealStatus.REGISTERED,
        "code": handler and status != AppealStatus.CLOSED and status != AppealStatus.SUBMITTED,
        "sign": handler and status not in (AppealStatus.CLOSED, AppealStatus.SUBMITTED),
        "return": handler and is_open,
        "forward": handler and is_open,
        "not_consider": handler and is_open,
        "extend": perms.can_extend(user, org) and is_open,
        "term": handler and is_open and appeal.term_kind != "extended",
        "close": handler and status in (AppealStatus.ANSWERED, AppealStatus.RETURNED, AppealStatus.FORWARDED,
                                        AppealStatus.NOT_CONSIDERED),
    }
    action_error = forms.get("action_error", "")
    for key, action in FORM_ACTIONS.items():
        form = forms.get(key)
        if form is not None and form.errors and not actions[action]:  # its panel is not on the page: say it above
            action_error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    context = {
        "appeal": appeal,
        "applicant": selectors.appeal_applicant(user=user, appeal=appeal),
        "attachments": selectors.appeal_attachments(user=user, appeal=appeal),
        "timeline": selectors.appeal_timeline(appeal=appeal),
        "marks": appeal_marks(appeal),
        "category_labels": [f"{code} {label}" for code, label in APPLICANT_CATEGORIES
                            if code in (appeal.categories or [])],
        "mark_collective": MARK_COLLECTIVE,
        "mark_unsigned": MARK_UNSIGNED,
        "days_left": days_left(appeal, today),
        "today": today,
        "actions": actions,
        "any_action": any(actions.values()),
        "is_open": is_open,
        "card_visible": bool(appeal.document_id) and _card_visible(user, appeal.document_id),
        "answer_visible": bool(appeal.answer_document_id) and _card_visible(user, appeal.answer_document_id),
        "sign_pending": bool(appeal.sign_suggested) and appeal.sign_set_at is None
        and appeal.status != AppealStatus.SUBMITTED,
        "sign_differs": bool(appeal.sign_suggested) and appeal.sign_suggested != appeal.sign,
        "suggested_label": AppealSign(appeal.sign_suggested).label if appeal.sign_suggested else "",
        "anonymous": appeal.subject == AppealSubject.ANONYMOUS,
        "open_panel": forms.get("open_panel", ""),
        "action_error": action_error,
        "register_form": forms.get("register_form") or appeal_forms.RegisterSubmittedForm(initial=v, auto_id="id_reg_%s"),
        "coding_form": forms.get("coding_form") or appeal_forms.CodingForm(
            initial=_initial_coding(appeal), appeal=appeal, auto_id="id_code_%s"),
        "sign_form": forms.get("sign_form") or appeal_forms.SignForm(
            initial={**v, "sign": appeal.sign_suggested or appeal.sign}, auto_id="id_sign_%s"),
        "term_form": forms.get("term_form") or appeal_forms.TermForm(
            initial={**v, "no_extra_study": appeal.term_kind == "appeal-urgent"}, auto_id="id_term_%s"),
        "return_form": forms.get("return_form") or appeal_forms.ReturnForm(initial=v, auto_id="id_ret_%s"),
        "forward_form": forms.get("forward_form") or appeal_forms.ForwardForm(initial=v, auto_id="id_fwd_%s"),
        "not_considered_form": forms.get("not_considered_form") or appeal_forms.NotConsideredForm(
            initial={**v, "ground": suggested_ground(appeal)}, auto_id="id_nc_%s"),
        "extend_form": forms.get("extend_form") or appeal_forms.ExtendForm(initial=v, auto_id="id_ext_%s"),
        "close_form": forms.get("close_form") or appeal_forms.CloseForm(
            initial={**v, "outcome": appeal.outcome if appeal.status == AppealStatus.ANSWERED else ""},
            auto_id="id_close_%s"),
        "take_form": appeal_forms.VersionForm(initial=v, auto_id="id_take_%s"),
    }
    from ratusha.appeals.views_actions import routing_context  # the routing/answer card (workflow glue)

    context.update(routing_context(request, appeal, forms))
    if appeal.received_date:
        context["return_due"] = return_deadline(appeal)
        context["forward_due"] = forward_deadline(appeal)
        context["max_due"] = max_deadline(appeal)
    return context


def _card_visible(user: Any, document_id: Any) -> bool:
    from ratusha.registry.selectors import documents_visible_to

    return documents_visible_to(user).filter(pk=document_id).exists()


def render_appeal(request: HttpRequest, appeal: Any, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "appeals/appeal.html", appeal_context(request, appeal, **forms), status=status)


@office_view
@require_GET
def detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    return render_appeal(request, appeal)


@office_view
@require_GET
def attachment_download(request: HttpRequest, pk: uuid.UUID, att_pk: uuid.UUID) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, appeal_pk=pk, pk=att_pk)
    try:
        data = blob_read(attachment.blob_id)
    except (IntegrityCheckError, FileNotFoundError) as exc:
        message = getattr(exc, "message", "") or _("Файл не знайдено у сховищі. Зверніться до адміністратора.")
        return render(request, "registry/file_error.html", {"message": message, "file": attachment}, status=409)
    mime = attachment.blob.mime or "application/octet-stream"
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
