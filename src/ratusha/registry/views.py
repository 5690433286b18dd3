"""Office pages of the registry: my documents, registration, the card, journals, file download.

Views translate HTTP to service/selector calls and back; they hold no business rules.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, IntegrityCheckError
from ratusha.core.framing import framed_by_own_pages
from ratusha.core.pagination import CappedPaginator
from ratusha.core.storage import blob_read
from ratusha.orgs.constants import REGISTERING_ROLES
from ratusha.orgs.permissions import can_register, organisation_ids
from ratusha.registry import selectors
from ratusha.registry import services as svc
from ratusha.registry.constants import (
    DOCUMENT_TRANSITIONS,
    PREVIEWABLE_MIME,
    DocumentStatus,
    JournalKind,
    LinkKind,
)
from ratusha.registry.forms import (
    REGISTER_KINDS,
    CancelForm,
    FileAddForm,
    JournalFilterForm,
    LinkAddForm,
    RegisterForm,
)
from ratusha.registry.models import Document, DocumentFile, JournalCounter

HOME_LIMIT = 10
PICKER_LIMIT = 10

# How the card's history names audit actions (unknown actions are shown by their code).
HISTORY_LABELS = {
    "document.register": gettext_lazy("Зареєстровано"),
    "document.update": gettext_lazy("Змінено картку"),
    "document.transition": gettext_lazy("Змінено стан"),
    "document.cancel": gettext_lazy("Реєстрацію скасовано"),
    "document.file_add": gettext_lazy("Додано файл"),
    "document.file_version": gettext_lazy("Додано нову версію файлу"),
    "document.link_add": gettext_lazy("Додано зв'язок"),
    "document.access_grant": gettext_lazy("Надано доступ"),
    "document.read_personal": gettext_lazy("Переглянуто картку з персональними даними"),
    "document.file_read_personal": gettext_lazy("Відкрито файл картки з персональними даними"),
    "document.resolution": gettext_lazy("Записано резолюцію / контроль"),  # written by the workflow app
    "document.delivery_sent": gettext_lazy("Надіслано адресатові в системі"),  # the exchange app
    "document.receipt": gettext_lazy("Квитанція від адресата"),
    # written by approvals when the signed PDF is the final rendition of a template draft
    "document.final_rendition": gettext_lazy("Сформовано остаточну редакцію для підпису"),
    "signatures.record": gettext_lazy("Документ підписано електронним підписом"),  # the signatures app
    "signatures.asice_export": gettext_lazy("Завантажено контейнер ASiC-E"),
}


def _date_text(value: str) -> str:
    """«2026-03-12» → «12.03.2026» (docs/architecture.md rule 8)."""
    parts = str(value or "").split("-")
    return ".".join(reversed(parts)) if len(parts) == 3 else str(value or "")


def describe_history(events: list[Any]) -> list[dict[str, Any]]:
    """Audit events as lines of the card's history: when, who, what, details."""
    rows = []
    for event in events:
        params = event.params or {}
        details: list[str] = []
        if event.action == "document.register":
            details.append(_("№ %(index)s") % {"index": params.get("reg_index", "")})
            details.extend(_("файл «%(name)s»") % {"name": f.get("name", "")} for f in params.get("files") or [])
        elif event.action in ("document.file_add", "document.file_version"):
            details.append(_("«%(name)s», версія %(v)s") % {"name": params.get("name", ""),
                                                           "v": params.get("version", 1)})
        elif event.action == "document.final_rendition":
            details.append(_("з погодженої версії %(n)s (SHA-256 %(sha)s…) і тих самих даних шаблону, з № %(index)s "
                             "від %(date)s і підписувачем %(signer)s") % {
                "n": params.get("approved_version", ""), "sha": str(params.get("approved_sha256", ""))[:12],
                "index": params.get("reg_index", ""), "date": _date_text(params.get("reg_date", "")),
                "signer": params.get("signer_name", "")})
        elif event.action == "signatures.record" and params.get("code"):
            details.append(_("код перевірки %(code)s") % {"code": params["code"]})
        elif event.action == "document.cancel":
            details.append(_("причина: %(reason)s") % {"reason": params.get("reason", "")})
        elif event.action == "document.transition":
            to = params.get("to", "")
            label = DocumentStatus(to).label if to in DocumentStatus.values else to
            details.append(_("новий стан: %(status)s") % {"status": label})
        elif event.action == "document.link_add":
            kind = params.get("kind", "")
            label = LinkKind(kind).label if kind in LinkKind.values else kind
            number = _("№ %(index)s") % {"index": params.get("target_index", "")}
            details.append(f"{label} {number}")
        elif event.action == "document.update":
            changed = params.get("changes") or {}
            names = []
            for name in changed:
                try:
                    names.append(str(Document._meta.get_field(name).verbose_name))
                except Exception:  # noqa: BLE001 - a field renamed since: show its code
                    names.append(name)
            if names:
                details.append(_("змінено: %(fields)s") % {"fields": ", ".join(names)})
        actor = event.actor.full_name if event.actor_id and event.actor else event.actor_repr
        rows.append({"at": event.at, "actor": actor, "action": event.action,
                     "title": HISTORY_LABELS.get(event.action, event.action), "details": details})
    return rows


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Мої документи ------------------------------------------------------------------------------


def _count(qs: Any) -> int:
    return qs.count() if hasattr(qs, "count") else len(qs)


@office_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = selectors.my_documents(user=user, limit=200)
    today = timezone.localdate()
    to_execute = list(mine["to_execute"])
    overdue = [d for d in to_execute if d.execution_deadline and d.execution_deadline < today]
    registered = list(mine["registered_by_me"])
    unassigned = list(mine.get("unassigned") or [])
    to_register = list(mine.get("to_register") or [])
    context = {
        "today": today,
        "to_execute": to_execute[:HOME_LIMIT],
        "to_execute_count": len(to_execute),
        "overdue_count": len(overdue),
        "registered": registered[:HOME_LIMIT],
        "registered_today": sum(1 for d in registered if d.reg_date == today),
        "unassigned": unassigned[:HOME_LIMIT],
        "unassigned_count": len(unassigned),
        "to_register": to_register[:HOME_LIMIT],
        "can_register": bool(organisation_ids(user, REGISTERING_ROLES)),
        "limit": 200,
    }
    return render(request, "registry/home.html", context)


# --- Registration -------------------------------------------------------------------------------


def _collect_files(request: HttpRequest) -> tuple[list[svc.StagedFile], list[str]]:
    """Staged files carried over from the previous attempt plus new uploads, each checked and stored.

    A valid upload is staged at once, so a re-rendered form keeps it (as a signed token) whatever else
    was wrong; a refused one gets its own message.
    """
    staged: list[svc.StagedFile] = []
    errors: list[str] = []
    removed = set(request.POST.getlist("staged_remove"))
    for token in request.POST.getlist("staged"):
        if token in removed:
            continue
        try:
            staged.append(svc.staged_from_token(token, request.user))
        except ApplicationError as exc:
            errors.append(exc.message)
    for upload in request.FILES.getlist("files"):
        try:
            staged.append(svc.upload_stage(actor=request.user, name=upload.name, content=upload))
        except ApplicationError as exc:
            errors.append(exc.message)
    unique: dict[tuple[str, str], svc.StagedFile] = {}
    for item in staged:
        unique.setdefault((item.sha256, item.name), item)
    return list(unique.values()), errors


def _resolve_link(request: HttpRequest, form: Any, exclude: Any = None) -> tuple[Document | None, list]:
    """The document chosen in the picker (radio ``link_target``) or typed as an exact index.

    Returns (document, candidates); candidates are offered again when an index is ambiguous.
    """
    target_id = form.cleaned_data.get("link_target")
    query = " ".join((form.cleaned_data.get("link_query") or "").split())
    visible = selectors.documents_visible_to(request.user)
    if exclude is not None:
        visible = visible.exclude(pk=exclude.pk)
    if target_id:
        target = visible.filter(pk=target_id).first()
        if target is None:
            form.add_error("link_query", _("Пов'язаний документ не знайдено або він вам недоступний."))
        return target, []
    if not query:
        return None, []
    matches = list(visible.filter(reg_index__iexact=query).select_related("journal")
                   .order_by("-reg_date")[:PICKER_LIMIT])
    if len(matches) == 1:
        return matches[0], []
    if not matches:
        form.add_error("link_query", _("Документ з індексом «%(q)s» не знайдено серед доступних вам.")
                       % {"q": query})
        return None, []
    form.add_error("link_query", _("Індекс «%(q)s» мають кілька документів — оберіть потрібний у списку.")
                   % {"q": query})
    return None, matches


@office_view
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in REGISTER_KINDS:
        raise Http404
    user = request.user
    if not organisation_ids(user, REGISTERING_ROLES):
        raise PermissionDenied(_("Реєструвати документи можуть лише діловоди та адміністратори."))
    form = RegisterForm(request.POST or None, request.FILES or None, user=user, register_kind=kind)
    staged: list[svc.StagedFile] = []
    duplicate: Document | None = None
    duplicate_visible = False
    link_candidates: list[Document] = []
    if request.method == "POST":
        staged, file_errors = _collect_files(request)
        valid = form.is_valid()
        for message in file_errors:
            form.add_error("files", message)
        if valid and not file_errors:
            target, link_candidates = _resolve_link(request, form)
        if valid and not form.errors:
            links = [(form.cleaned_data.get("link_kind") or LinkKind.ANSWER_TO, target)] if target else []
            try:
                document = svc.document_register(
                    actor=user, journal=form.cleaned_data["journal"], files=staged, links=links,
                    allow_duplicate=form.cleaned_data.get("allow_duplicate", False), **form.service_kwargs())
            except svc.DuplicateRegistrationError as exc:
                duplicate = exc.original
                duplicate_visible = selectors.documents_visible_to(user).filter(pk=duplicate.pk).exists()
            except ApplicationError as exc:
                field = {"links": "link_query"}.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Документ зареєстровано: № %(index)s від %(date)s.")
                                 % {"index": document.reg_index, "date": document.reg_date.strftime("%d.%m.%Y")})
                return redirect("registry:document", pk=document.pk)
    context = {
        "form": form,
        "register_kind": kind,
        "spec": REGISTER_KINDS[kind],
        "kinds": [(key, spec["label"]) for key, spec in REGISTER_KINDS.items()],
        "staged": staged,
        "duplicate": duplicate,
        "duplicate_visible": duplicate_visible,
        "link_candidates": link_candidates,
        "max_upload_bytes": settings.MAX_UPLOAD_MB * 1024 * 1024,
        "no_journals": not form.fields["journal"].queryset.exists(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "registry/register.html", context, status=status)


@office_view
@require_GET
def document_picker(request: HttpRequest) -> HttpResponse:
    """htmx: documents whose registration index starts with what was typed (visible ones only)."""
    query = " ".join((request.GET.get("link_query") or "").split())[:80]
    results: list[Document] = []
    if query:
        qs = selectors.documents_visible_to(request.user).filter(reg_index__istartswith=query)
        exclude = request.GET.get("exclude")
        if exclude:
            with contextlib.suppress(ValueError):
                qs = qs.exclude(pk=uuid.UUID(exclude))
        results = list(qs.select_related("journal").order_by("-reg_date", "-seq")[:PICKER_LIMIT])
    return render(request, "registry/includes/picker_results.html",
                  {"results": results, "query": query, "field_id": request.GET.get("field", "link")[:40]})


# --- The card -----------------------------------------------------------------------------------


def _card_context(request: HttpRequest, document: Document, **forms: Any) -> dict[str, Any]:
    user = request.user
    visible = selectors.documents_visible_to(user)
    files = selectors.document_files(document=document)
    acting = selectors._acting_for_user_ids(user)
    may_manage = can_register(user, document.organisation_id)
    may_add_files = not document.is_cancelled and (
        may_manage or (document.executor_id is not None and document.executor_id in acting))
    version_form = forms.get("version_form")
    version_file = forms.get("version_file")
    for index, file in enumerate(files):
        if version_file is not None and file.key == version_file.key and version_form is not None:
            file.version_form = version_form
        else:
            file.version_form = FileAddForm(auto_id=f"id_v{index}_%s")
        file.previewable = file.blob.mime in PREVIEWABLE_MIME
        file.is_pdf = file.blob.mime == "application/pdf"
    links_out = [link for link in document.links_out.select_related("target").order_by("created_at")
                 if visible.filter(pk=link.target_id).exists()]
    links_in = [link for link in document.links_in.select_related("source").order_by("created_at")
                if visible.filter(pk=link.source_id).exists()]
    transitions = [DocumentStatus(s) for s in DOCUMENT_TRANSITIONS.get(document.status, ())
                   if s != DocumentStatus.CANCELLED]
    transitions.sort(key=lambda s: list(DocumentStatus).index(s))
    history = describe_history(selectors.document_history(user=user, document=document))
    today = timezone.localdate()
    return {
        "doc": document,
        "files": files,
        "links_out": links_out,
        "links_in": links_in,
        "history": history,
        "may_manage": may_manage and not document.is_cancelled,
        "may_add_files": may_add_files,
        "transitions": transitions if not document.is_cancelled else [],
        "overdue": bool(document.execution_deadline and document.execution_deadline < today
                        and document.status in (DocumentStatus.REGISTERED, DocumentStatus.IN_WORK)),
        "file_form": forms.get("file_form") or FileAddForm(auto_id="id_add_%s"),
        "link_form": forms.get("link_form") or LinkAddForm(auto_id="id_link_%s"),
        "cancel_form": forms.get("cancel_form") or CancelForm(auto_id="id_cancel_%s"),
        "link_candidates": forms.get("link_candidates") or [],
        "open_panel": forms.get("open_panel", ""),
        "status_error": forms.get("status_error", ""),
        "journal_kind_incoming": document.journal.kind == JournalKind.INCOMING,
        "max_upload_bytes": settings.MAX_UPLOAD_MB * 1024 * 1024,
    }


def _card(request: HttpRequest, document: Document, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "registry/document.html", _card_context(request, document, **forms), status=status)


@office_view
@require_GET
def document_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    return _card(request, document)


def _back_to_card(document: Document, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("registry:document", args=[document.pk]) + (f"#{anchor}" if anchor else ""))


@office_view
@require_POST
def document_file_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    form = FileAddForm(request.POST, request.FILES, auto_id="id_add_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            svc.document_file_add(actor=request.user, document=document, name=upload.name, content=upload,
                                  comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Файл «%(name)s» додано.") % {"name": upload.name})
            return _back_to_card(document, "files")
    return _card(request, document, status=400, file_form=form, open_panel="file")


@office_view
@require_POST
def document_file_version(request: HttpRequest, pk: uuid.UUID, file_pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    file = DocumentFile.objects.filter(document=document, pk=file_pk).select_related("document").first()
    if file is None:
        raise Http404
    form = FileAddForm(request.POST, request.FILES, auto_id=f"id_v_{file.pk.hex[:8]}_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            svc.document_file_new_version(actor=request.user, file=file, name=upload.name, content=upload,
                                          comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Додано нову версію файлу «%(name)s».") % {"name": file.name})
            return _back_to_card(document, "files")
    return _card(request, document, status=400, version_form=form, version_file=file)


@office_view
@require_POST
def document_link_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    form = LinkAddForm(request.POST, auto_id="id_link_%s")
    candidates: list[Document] = []
    if form.is_valid():
        target, candidates = _resolve_link(request, form, exclude=document)
        if target is not None:
            try:
                svc.document_link_add(actor=request.user, source=document, target=target,
                                      kind=form.cleaned_data["kind"])
            except ApplicationError as exc:
                form.add_error("link_query", exc.message)
            else:
                messages.success(request, _("Зв'язок із документом № %(index)s додано.") % {"index": target.reg_index})
                return _back_to_card(document, "links")
    return _card(request, document, status=400, link_form=form, link_candidates=candidates, open_panel="link")


@office_view
@require_POST
def document_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    form = CancelForm(request.POST, auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            svc.document_cancel(actor=request.user, document=document, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error("reason" if exc.field in (None, "reason", "status") else None, exc.message)
        else:
            messages.success(request, _("Реєстрацію скасовано. Документ зберіг свій номер."))
            return _back_to_card(document)
    return _card(request, document, status=400, cancel_form=form, open_panel="cancel")


@office_view
@require_POST
def document_status(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    target = request.POST.get("to", "")
    if target == DocumentStatus.CANCELLED:
        return _card(request, document, status=400, status_error=_("Щоб скасувати реєстрацію, вкажіть причину."))
    try:
        svc.document_transition(actor=request.user, document=document, to=target)
    except ApplicationError as exc:
        return _card(request, document, status=400, status_error=exc.message)
    messages.success(request, _("Стан документа змінено: %(status)s.") % {"status": document.get_status_display()})
    return _back_to_card(document)


# --- Files --------------------------------------------------------------------------------------


def _file_response(request: HttpRequest, pk: uuid.UUID, *, inline: bool) -> HttpResponse:
    return file_response(request, selectors.file_get_for_user(user=request.user, pk=pk), inline=inline)


def file_response(request: HttpRequest, file: Any, *, inline: bool) -> HttpResponse:
    """The bytes of a card's file (already checked as readable by the caller), integrity-checked."""
    mime = file.blob.mime or "application/octet-stream"
    inline = inline and mime in PREVIEWABLE_MIME
    try:
        data = blob_read(file.blob_id)
    except (IntegrityCheckError, FileNotFoundError) as exc:
        message = getattr(exc, "message", "") or _("Файл не знайдено у сховищі. Зверніться до адміністратора.")
        return render(request, "registry/file_error.html", {"message": message, "file": file}, status=409)
    content_type = f"{mime}; charset=utf-8" if mime.startswith("text/") else mime
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, file.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(len(data))
    if inline and mime != "application/pdf":
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; frame-ancestors 'self'"
    return response


@office_view
@require_GET
def file_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _file_response(request, pk, inline=False)


@framed_by_own_pages  # the card's PDF preview
@office_view
@require_GET
def file_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _file_response(request, pk, inline=True)


# --- Journals -----------------------------------------------------------------------------------


@office_view
@require_GET
def journals(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    journal_list = list(selectors.journals_for_user(user=request.user))
    counters = dict(JournalCounter.objects.filter(journal__in=[j.pk for j in journal_list], year=year)
                    .values_list("journal_id", "last_number"))
    groups: dict[Any, dict[str, Any]] = {}
    for journal in journal_list:
        journal.count_this_year = counters.get(journal.pk, 0)
        groups.setdefault(journal.organisation_id, {"organisation": journal.organisation, "journals": []})
        groups[journal.organisation_id]["journals"].append(journal)
    return render(request, "registry/journals.html", {"groups": list(groups.values()), "year": year})


@office_view
@require_GET
def journal_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    journal = selectors.journals_for_user(user=request.user).filter(pk=pk).first()
    if journal is None:
        raise Http404
    form = JournalFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
    documents = selectors.document_list(user=request.user, journal=journal, **filters)
    paginator = CappedPaginator(documents, settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "journal": journal,
        "form": form,
        "page_obj": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "filtered": bool(filters),
        "today": timezone.localdate(),
    }
    template = "registry/journal.html"
    if _is_htmx(request) and request.headers.get("HX-Target") == "journal-results":
        template += "#results"
    return render(request, template, context)
