"""Office pages of document generation: «Сформувати документ» on a card, «Створити з шаблону» in approvals.

Views translate HTTP to selector/service calls and back; they hold no business rules.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.backends.django import DjangoTemplates
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, IntegrityCheckError, PermissionDeniedError
from ratusha.core.storage import blob_read
from ratusha.registry.generation import selectors
from ratusha.registry.generation.constants import DOCX_MIME, TemplateKind, template_kind_for
from ratusha.registry.generation.context import context_from_document, context_from_draft, signature_name
from ratusha.registry.generation.forms import ChooseForm, FromTemplateForm
from ratusha.registry.generation.render import TEMPLATES_DIR, file_stem, render_docx, render_pdf
from ratusha.registry.generation.services import draft_create_from_template


@cache
def _templates() -> DjangoTemplates:
    """The site's template settings plus this package's own directory (it is not an app of its own)."""
    base = settings.TEMPLATES[0]
    return DjangoTemplates({"NAME": "generation", "DIRS": [str(TEMPLATES_DIR), *base.get("DIRS", [])],
                            "APP_DIRS": True, "OPTIONS": dict(base.get("OPTIONS", {}))})


def _render(request: HttpRequest, name: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    html = _templates().get_template(name).render(context, request)
    return HttpResponse(html, status=status)


def _file(data: bytes, *, name: str, mime: str) -> HttpResponse:
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- «Сформувати документ» on a card -----------------------------------------------------------------


def _choose_page(request: HttpRequest, document: Any, form: ChooseForm, status: int = 200) -> HttpResponse:
    return _render(request, "generation/choose.html", {"doc": document, "form": form}, status=status)


@office_view
@require_GET
def document_generate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Choose the template and the format; the form is a GET to ``document_download``."""
    document = selectors.document_for_generation(user=request.user, pk=pk)
    initial = {"kind": template_kind_for(document.kind, document.journal.kind), "format": "pdf"}
    return _choose_page(request, document, ChooseForm(initial=initial, auto_id="id_gen_%s"))


@office_view
@require_GET
def document_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    document = selectors.document_for_generation(user=request.user, pk=pk)
    form = ChooseForm(request.GET, auto_id="id_gen_%s")
    if not form.is_valid():
        return _choose_page(request, document, form, status=400)
    kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
    context = context_from_document(document, kind=kind)
    name = file_stem(context)
    if fmt == "docx":
        return _file(render_docx(context), name=f"{name}.docx", mime=DOCX_MIME)
    return _file(render_pdf(context), name=f"{name}.pdf", mime="application/pdf")


# --- «Створити з шаблону» in approvals ---------------------------------------------------------------


def _initial(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    kind = request.GET.get("kind") or TemplateKind.LETTER
    kind = kind if kind in TemplateKind.values else TemplateKind.LETTER
    initial: dict[str, Any] = {"kind": kind, "executor_name": signature_name(user),
                               "executor_phone": getattr(user, "phone", "")}
    fitting = selectors.journals_for_template(user=user, kind=kind).first()
    if fitting is not None:
        initial["journal"] = fitting.pk
        position, name = selectors.signer_guess(organisation=fitting.organisation)
        initial.update(signer_position=position, signer_name=name)
    return initial


@office_view
@require_http_methods(["GET", "POST"])
def draft_from_template(request: HttpRequest) -> HttpResponse:
    user = request.user
    journals = selectors.journals_for_template(user=user)
    initial = _initial(request) if request.method == "GET" else {}
    form = FromTemplateForm(request.POST or None, journals=journals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = draft_create_from_template(
                actor=user, journal=data["journal"], kind=data["kind"], heading=data["heading"], text=data["text"],
                addressee=data["addressee"], access=data["access"], signer_position=data["signer_position"],
                signer_name=data["signer_name"], executor_name=data["executor_name"],
                executor_phone=data["executor_phone"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            field = {"summary": "heading", "file": None, "files": None}.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Проєкт створено з шаблону. Перевірте PDF і надішліть проєкт на погодження."))
            return HttpResponseRedirect(reverse("registry:generation:draft_created", args=[result.draft.pk]))
    context = {"form": form, "no_journals": not journals.exists()}
    return _render(request, "generation/from_template.html", context,
                   status=400 if request.method == "POST" else 200)


@office_view
@require_GET
def draft_created(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The new draft's files: its PDF (version 1) and the editable DOCX."""
    draft = selectors.draft_for_generation(user=request.user, pk=pk)
    generated = selectors.generated_for_draft(draft=draft)
    return _render(request, "generation/draft_created.html", {
        "draft": draft, "version": draft.current_version, "generated": generated,
        "template_label": TemplateKind(generated["template"]).label if generated else "",
    })


@office_view
@require_GET
def draft_docx(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The DOCX stored when the draft was generated; for other drafts, one filled from the draft."""
    draft = selectors.draft_for_generation(user=request.user, pk=pk)
    generated = selectors.generated_for_draft(draft=draft)
    if generated and generated.get("docx_sha256"):
        try:
            data = blob_read(generated["docx_sha256"])
        except IntegrityCheckError as exc:
            return _render(request, "generation/file_error.html", {"message": exc.message, "draft": draft},
                           status=409)
        return _file(data, name=generated.get("docx_name") or "document.docx", mime=DOCX_MIME)
    context = context_from_draft(draft)
    return _file(render_docx(context), name=f"{file_stem(context)}.docx", mime=DOCX_MIME)
