"""Office pages of approvals: the list, a new draft, the draft with its route, decisions, signing.

Views translate HTTP to service/selector calls and back; they hold no business rules.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, IntegrityCheckError, PermissionDeniedError
from ratusha.core.framing import framed_by_own_pages
from ratusha.core.storage import blob_read
from ratusha.registry.constants import PREVIEWABLE_MIME
from ratusha.registry.services import staged_from_token, upload_stage
from ratusha.workflow.approvals import selectors
from ratusha.workflow.approvals import services as svc
from ratusha.workflow.approvals.constants import (
    OPEN_STATUSES,
    STARTABLE_STATUSES,
    VERSIONABLE_STATUSES,
    Decision,
    DraftStatus,
    RouteStatus,
    StepKind,
)
from ratusha.workflow.approvals.forms import (
    DecideForm,
    DraftCreateForm,
    RouteStartForm,
    SignForm,
    VersionForm,
    WithdrawForm,
)
from ratusha.workflow.approvals.models import Draft, RouteTask
from ratusha.workflow.approvals.services.route_templates import can_manage_templates
from ratusha.workflow.approvals.signing import signing_readiness


def _add_error(form: Any, exc: ApplicationError, mapping: dict[str, str] | None = None) -> None:
    """The service's message under its field; a refusal of rights is a 403 page (the form is not theirs)."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message)
    field = (mapping or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


# --- «Погодження» ---------------------------------------------------------------------------------


@office_view
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "tasks": selectors.my_tasks(user=user),
        "drafts": selectors.my_drafts(user=user),
        "finished": selectors.finished_recently(user=user),
        "recent_days": selectors.RECENT_DAYS,
        "may_create": selectors.target_journals(user=user).exists(),
        "may_manage_templates": user.is_superuser or any(can_manage_templates(user, org)
                                                         for org in _user_orgs(user)),
    }
    return render(request, "approvals/index.html", context)


def _user_orgs(user: Any) -> list[str]:
    from ratusha.orgs.permissions import roles_by_organisation

    return list(roles_by_organisation(user))


# --- New draft -------------------------------------------------------------------------------------


def _answer_target(request: HttpRequest) -> Any:
    """The card named by ``?answer_to=`` (or the posted field): one the user may open, else 404."""
    from ratusha.registry.selectors import document_get

    raw = (request.POST if request.method == "POST" else request.GET).get("answer_to") or ""
    return document_get(user=request.user, pk=raw) if raw else None


def _answer_addressee(user: Any, document: Any) -> str:
    """Whom the answer goes to: an appeal's applicant (name and address, if the user may see them — the
    read is audited by the appeals selector), else the card's correspondent."""
    appeal = getattr(document, "appeal", None) if document.kind == "appeal" else None
    if appeal is not None:
        from ratusha.appeals.selectors import appeal_applicant

        details = appeal_applicant(user=user, appeal=appeal)
        if details.masked:
            return ""
        return ", ".join(p for p in (details.name, details.address) if p)[:300]
    org = document.correspondent_org.name if document.correspondent_org_id else ""
    return (document.correspondent or org)[:300]


def _answer_initial(user: Any, document: Any, journals: Any) -> dict[str, Any]:
    from ratusha.registry.constants import AccessMark, DocumentKind, JournalKind

    initial: dict[str, Any] = {
        "answer_to": document.pk, "kind": DocumentKind.LETTER,
        "summary": _("Відповідь на № %(index)s від %(date)s") % {
            "index": document.reg_index, "date": document.reg_date.strftime("%d.%m.%Y")},
        "addressee": _answer_addressee(user, document),
        # An answer about a person's appeal keeps the card's closed mark (docs/legal.md §7).
        "access": document.access if document.access in (AccessMark.PERSONAL, AccessMark.RESTRICTED)
        else AccessMark.INTERNAL,
    }
    outgoing = journals.filter(organisation_id=document.organisation_id, kind=JournalKind.OUTGOING).first()
    if outgoing is not None:
        initial["journal"] = outgoing.pk
    return initial


@office_view
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    journals = selectors.target_journals(user=user)
    answer_to = _answer_target(request)
    initial = _answer_initial(user, answer_to, journals) if answer_to is not None and request.method == "GET" else {}
    posted = request.method == "POST"  # an empty POST is still a sent form: bound, so its errors can be added
    form = DraftCreateForm(request.POST if posted else None, request.FILES if posted else None, journals=journals,
                           initial=initial)
    staged = None
    if posted:
        valid = form.is_valid()
        upload = request.FILES.get("file")
        token = request.POST.get("staged", "")
        try:
            if upload is not None:
                staged = upload_stage(actor=user, name=upload.name, content=upload)
            elif token:
                staged = staged_from_token(token, user)
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        if staged is None and "file" not in form.errors:
            form.add_error("file", _("Додайте файл проєкту."))
        if valid and not form.errors:
            data = form.cleaned_data
            try:
                draft = svc.draft_create(actor=user, journal=data["journal"], kind=data["kind"],
                                         summary=data["summary"], addressee=data["addressee"], access=data["access"],
                                         name=staged.name, content=staged, comment=data["comment"],
                                         answer_to=answer_to)
            except ApplicationError as exc:
                _add_error(form, exc, {"files": "file", "answer_to": None})
            else:
                messages.success(request, _("Проєкт створено. Тепер оберіть маршрут погодження й надішліть його."))
                return HttpResponseRedirect(reverse("approvals:draft", args=[draft.pk]) + "#start")
    context = {
        "form": form,
        "staged": staged,
        "answer_to": answer_to,
        "no_journals": not journals.exists(),
        "max_upload_bytes": settings.MAX_UPLOAD_MB * 1024 * 1024,
    }
    return render(request, "approvals/draft_new.html", context, status=400 if request.method == "POST" else 200)


# --- The draft -------------------------------------------------------------------------------------


def _chosen_template(request: HttpRequest, templates: list[Any]) -> Any:
    wanted = request.POST.get("template") or request.GET.get("template") or ""
    for template in templates:
        if str(template.pk) == wanted:
            return template
    return templates[0] if len(templates) == 1 else None


def _start_form(request: HttpRequest, draft: Draft, data: Any = None) -> RouteStartForm:
    templates = selectors.templates_for_draft(draft=draft)
    return RouteStartForm(data, templates=templates, template=_chosen_template(request, templates),
                          candidates=selectors.staff_users(), auto_id="id_start_%s",
                          initial={"draft_version": draft.version})


def _draft_context(request: HttpRequest, draft: Draft, **forms: Any) -> dict[str, Any]:
    user = request.user
    from ratusha.registry.selectors import acting_user_ids, documents_visible_to

    is_author = draft.author_id in acting_user_ids(user)
    task = selectors.draft_open_task(user=user, draft=draft)
    current = draft.current_version
    rounds = selectors.draft_rounds(draft=draft)
    rejection = None
    if rounds and rounds[0].route.status == RouteStatus.REJECTED:
        rejection = next((t for stage in rounds[0].stages for t in stage.tasks if t.decision == Decision.REJECTED), None)
    context: dict[str, Any] = {
        "draft": draft,
        "answer_to": draft.answer_to if draft.answer_to_id else None,
        "answer_to_visible": bool(draft.answer_to_id) and documents_visible_to(user).filter(
            pk=draft.answer_to_id).exists(),
        "rejection": rejection,
        "current": current,
        "versions": selectors.draft_versions(draft=draft),
        "rounds": rounds,
        "signature": getattr(draft, "signature", None) if draft.document_id else None,
        "is_author": is_author,
        "task": task,
        "open_panel": forms.get("open_panel", ""),
        "max_upload_bytes": settings.MAX_UPLOAD_MB * 1024 * 1024,
        "previewable": current is not None and current.blob.mime in PREVIEWABLE_MIME,
        "is_pdf": current is not None and current.blob.mime == "application/pdf",
    }
    if task is not None:
        sha = {"sha256": draft.current_sha256}
        if task.kind == StepKind.SIGN:
            context["sign_form"] = forms.get("sign_form") or SignForm(initial=sha, auto_id="id_sign_%s")
            context["sign_readiness"] = signing_readiness(user)
        context["decide_form"] = forms.get("decide_form") or DecideForm(
            initial=sha, signer=task.kind == StepKind.SIGN, auto_id="id_decide_%s")
    if is_author and draft.status in STARTABLE_STATUSES:
        context["start_form"] = forms.get("start_form") or _start_form(request, draft)
        context["may_manage_templates"] = can_manage_templates(user, draft.organisation_id)
    if is_author and draft.status in VERSIONABLE_STATUSES:
        context["version_form"] = forms.get("version_form") or VersionForm(
            initial={"base_number": current.number if current else None}, auto_id="id_version_%s")
    if is_author and draft.status in OPEN_STATUSES:
        context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm(
            initial={"draft_version": draft.version}, auto_id="id_withdraw_%s")
    return context


def _page(request: HttpRequest, draft: Draft, status: int = 200, **forms: Any) -> HttpResponse:
    context = _draft_context(request, draft, **forms)
    # A form whose panel is no longer offered (the round moved on, the draft was withdrawn meanwhile):
    # its errors go to the top of the page, so the message is never lost.
    context["action_errors"] = [str(error) for key, form in forms.items()
                                if key.endswith("_form") and key not in context and form is not None
                                for errors in form.errors.values() for error in errors]
    return render(request, "approvals/draft.html", context, status=status)


def _back(draft: Draft, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("approvals:draft", args=[draft.pk]) + (f"#{anchor}" if anchor else ""))


@office_view
@require_GET
def draft_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _page(request, selectors.draft_get(user=request.user, pk=pk))


@office_view
@require_POST
def draft_start(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(user=request.user, pk=pk)
    form = _start_form(request, draft, request.POST)
    if form.is_valid():
        template = form.cleaned_data["template"]
        if form.chosen is None or form.chosen.pk != template.pk:
            # The template changed on the page without JavaScript: show its steps first.
            return HttpResponseRedirect(reverse("approvals:draft", args=[draft.pk])
                                        + f"?template={template.pk}#start")
        try:
            steps = svc.steps_for_start(template=template, draft=draft, keep=form.kept_step_ids(),
                                        extras=form.extras())
            svc.route_start(actor=request.user, draft=draft, steps=steps, template=template,
                            expected_version=form.cleaned_data.get("draft_version"))
        except ApplicationError as exc:
            _add_error(form, exc, {"steps": None, "template": "template"})
        else:
            messages.success(request, _("Проєкт надіслано на погодження."))
            return _back(draft)
    draft.refresh_from_db()
    return _page(request, draft, status=400, start_form=form, open_panel="start")


@office_view
@require_POST
def draft_version_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(user=request.user, pk=pk)
    form = VersionForm(request.POST, request.FILES, auto_id="id_version_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = svc.draft_version_add(actor=request.user, draft=draft, name=upload.name, content=upload,
                                            comment=form.cleaned_data["comment"],
                                            base_number=form.cleaned_data.get("base_number"))
        except ApplicationError as exc:
            _add_error(form, exc, {"files": "file"})
        else:
            draft.refresh_from_db()
            text = _("Додано версію %(n)s.") % {"n": version.number}
            if draft.status != DraftStatus.DRAFT:
                text += " " + _("Попередні візи втратили чинність; погодження почато спочатку.")
            messages.success(request, text)
            return _back(draft)
    draft.refresh_from_db()
    return _page(request, draft, status=400, version_form=form, open_panel="version")


@office_view
@require_POST
def draft_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST, auto_id="id_withdraw_%s")
    if form.is_valid():
        try:
            svc.draft_withdraw(actor=request.user, draft=draft, reason=form.cleaned_data["reason"],
                               expected_version=form.cleaned_data.get("draft_version"))
        except ApplicationError as exc:
            _add_error(form, exc, {"reason": "reason"})
        else:
            messages.success(request, _("Проєкт відкликано."))
            return _back(draft)
    draft.refresh_from_db()
    return _page(request, draft, status=400, withdraw_form=form, open_panel="withdraw")


def _task_of(draft: Draft, task_pk: uuid.UUID) -> RouteTask:
    task = RouteTask.objects.filter(pk=task_pk, route__draft=draft).select_related("route").first()
    if task is None:
        raise Http404
    return task


def _fresh_sha(form: Any, draft: Draft) -> Any:
    """After a stale-version error the form keeps what was typed but points at the version now shown."""
    data = form.data.copy()
    data["sha256"] = draft.current_sha256
    form.data = data
    return form


@office_view
@require_POST
def task_decide(request: HttpRequest, pk: uuid.UUID, task_pk: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(user=request.user, pk=pk)
    task = _task_of(draft, task_pk)
    form = DecideForm(request.POST, signer=task.kind == StepKind.SIGN, auto_id="id_decide_%s")
    if form.is_valid():
        try:
            svc.route_task_decide(actor=request.user, task=task, decision=form.cleaned_data["decision"],
                                  comment=form.cleaned_data["comment"], sha256=form.cleaned_data["sha256"])
        except ApplicationError as exc:
            _add_error(form, exc)
            if exc.code == "stale_version":
                draft.refresh_from_db()
                _fresh_sha(form, draft)
        else:
            messages.success(request, _("Ваше рішення записано."))
            return HttpResponseRedirect(reverse("approvals:index"))
    draft.refresh_from_db()
    return _page(request, draft, status=400, decide_form=form, open_panel="decide")


@office_view
@require_POST
def task_sign(request: HttpRequest, pk: uuid.UUID, task_pk: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(user=request.user, pk=pk)
    task = _task_of(draft, task_pk)
    form = SignForm(request.POST, auto_id="id_sign_%s")
    if form.is_valid():
        try:
            document = svc.route_task_sign(actor=request.user, task=task, sha256=form.cleaned_data["sha256"],
                                           credentials={form.credential_name: form.cleaned_data[form.credential_name]})
        except ApplicationError as exc:
            _add_error(form, exc)
            if exc.code == "stale_version":
                draft.refresh_from_db()
                _fresh_sha(form, draft)
        else:
            messages.success(request, _("Документ підписано й зареєстровано: № %(index)s від %(date)s.")
                             % {"index": document.reg_index, "date": document.reg_date.strftime("%d.%m.%Y")})
            return HttpResponseRedirect(reverse("registry:document", args=[document.pk]))
    data = form.data.copy()
    data[form.credential_name] = ""  # a one-time code or a passphrase is never shown back
    form.data = data
    draft.refresh_from_db()
    return _page(request, draft, status=400, sign_form=form, open_panel="sign")


# --- Version files ---------------------------------------------------------------------------------


def _version_response(request: HttpRequest, pk: uuid.UUID, *, inline: bool) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    mime = version.blob.mime or "application/octet-stream"
    inline = inline and mime in PREVIEWABLE_MIME
    try:
        data = blob_read(version.blob_id)
    except IntegrityCheckError as exc:
        return render(request, "approvals/file_error.html", {"message": exc.message, "version": version},
                      status=409)
    content_type = f"{mime}; charset=utf-8" if mime.startswith("text/") else mime
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, version.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline and mime != "application/pdf":
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; frame-ancestors 'self'"
    return response


@office_view
@require_GET
def version_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _version_response(request, pk, inline=False)


@framed_by_own_pages  # the card's PDF preview
@office_view
@require_GET
def version_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _version_response(request, pk, inline=True)
