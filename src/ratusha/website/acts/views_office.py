"""Staff pages under /decisions/office/: draft decisions with the publication clock (late and at-risk
first), publishing a draft (the late warning comes before the confirmation), linking a draft to the adopted
act, correcting an act's title or topic, and the list of topics. Access: ``selectors`` (registrars, heads,
website editors and administrators of the organisation)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.models import Organisation, Unit
from ratusha.registry.services import staged_from_token, upload_stage
from ratusha.website.acts import selectors, services
from ratusha.website.acts.forms import ActEditForm, DraftForm, LinkForm, TopicForm
from ratusha.website.acts.models import PublishedAct, Topic


def _require_rights(request: HttpRequest) -> list[Any]:
    ids = selectors.publication_organisation_ids(request.user)
    if not ids:
        raise PermissionDenied(_("Оприлюднювати рішення та проєкти рішень можуть діловоди, керівники, редактори "
                                 "вебсайту та адміністратори організації."))
    return ids


@office_view
@require_http_methods(["GET"])
def office(request: HttpRequest) -> HttpResponse:
    ids = _require_rights(request)
    rows = selectors.office_drafts(user=request.user)
    recent = list(PublishedAct.objects.filter(organisation_id__in=ids).exclude(segment="proiekty")
                  .select_related("topic").order_by("-published_at")[:15])
    context = {"rows": rows, "recent": recent, "today": timezone.localdate(),
               "late": sum(1 for r in rows if r.state == "late"),
               "at_risk": sum(1 for r in rows if r.state == "at_risk")}
    return render(request, "acts/office/drafts.html", context)


def _draft_form(request: HttpRequest, ids: list[Any]) -> DraftForm:
    organisations = Organisation.objects.filter(pk__in=ids).order_by("kind", "name")
    return DraftForm(request.POST or None, request.FILES or None, organisations=organisations,
                     units=Unit.objects.filter(organisation_id__in=ids, is_active=True).order_by("name"),
                     approvals_drafts=selectors.approvals_drafts_for(user=request.user),
                     initial={"publish": "now"})


@office_view
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest) -> HttpResponse:
    ids = _require_rights(request)
    form = _draft_form(request, ids)
    staged = None
    late: ApplicationError | None = None
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            # Keep the upload across a re-render (nothing the user gave is lost).
            if cd.get("file"):
                staged = upload_stage(actor=request.user, name=cd["file"].name, content=cd["file"])
            elif cd.get("file_token"):
                staged = staged_from_token(cd["file_token"], request.user)
            act = services.act_draft_create(
                actor=request.user, organisation=cd["organisation"], kind=cd["kind"], title=cd["title"],
                session_date=cd["session_date"], topic=cd.get("topic"), unit=cd.get("unit"),
                file=staged if not cd.get("approvals_draft") else None,
                approvals_draft=cd.get("approvals_draft"), publish=cd["publish"],
                confirm_late=cd.get("confirm_late", False))
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except services.LatePublicationError as exc:
            late = exc
        except ApplicationError as exc:
            field = {"files": "file"}.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            if act.published_late:
                messages.warning(request, _("Проєкт оприлюднено із запізненням: %(url)s") % {"url": act.get_absolute_url()})
            elif act.published_at:
                messages.success(request, _("Проєкт рішення оприлюднено на сайті."))
            else:
                messages.success(request, _("Проєкт збережено як «готується»."))
            return redirect("acts:office")
    status = 400 if request.method == "POST" else 200
    if late is not None:
        status = 409
    return render(request, "acts/office/draft_form.html",
                  {"form": form, "staged": staged, "late": late}, status=status)


def _draft_or_404(request: HttpRequest, pk: uuid.UUID) -> PublishedAct:
    _require_rights(request)
    act = selectors.office_draft_get(user=request.user, pk=pk)
    if act is None:
        raise Http404
    return act


@office_view
@require_http_methods(["GET", "POST"])
def draft_publish(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    act = _draft_or_404(request, pk)
    today = timezone.localdate()
    late = act.latest_publication_date is not None and today > act.latest_publication_date
    error = ""
    if request.method == "POST":
        try:
            services.act_draft_publish(actor=request.user, act=act,
                                       confirm_late=request.POST.get("confirm_late") == "on")
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Проєкт рішення оприлюднено на сайті."))
            return redirect("acts:office")
    return render(request, "acts/office/publish.html", {"act": act, "late": late, "error": error, "today": today},
                  status=400 if error else 200)


@office_view
@require_POST
def draft_link(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    act = _draft_or_404(request, pk)
    form = LinkForm(request.POST, acts=selectors.adoptable_acts(user=request.user))
    if form.is_valid():
        try:
            services.act_draft_link(actor=request.user, draft=act, adopted_act=form.cleaned_data["adopted_act"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Проєкт пов'язано з прийнятим рішенням."))
    else:
        messages.error(request, _("Оберіть прийняте рішення."))
    return redirect("acts:office_edit", pk=act.pk)


@office_view
@require_POST
def draft_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _require_rights(request)
    act = selectors.office_act_get(user=request.user, pk=pk)
    if act is None:
        raise Http404
    try:
        services.act_draft_withdraw(actor=request.user, act=act)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Знято з оприлюднення."))
    return redirect("acts:office")


@office_view
@require_http_methods(["GET", "POST"])
def act_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _require_rights(request)
    act = selectors.office_act_get(user=request.user, pk=pk)
    if act is None:
        raise Http404
    form = ActEditForm(request.POST or None, initial={"title": act.title, "topic": act.topic})
    if request.method == "POST" and form.is_valid():
        try:
            services.act_update(actor=request.user, act=act, title=form.cleaned_data["title"],
                                topic=form.cleaned_data.get("topic"), clear_topic=not form.cleaned_data.get("topic"))
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Зміни збережено. Адреса сторінки не змінилася."))
            return redirect("acts:office_edit", pk=act.pk)
    link_form = LinkForm(acts=selectors.adoptable_acts(user=request.user)) if act.is_draft else None
    return render(request, "acts/office/edit.html", {"act": act, "form": form, "link_form": link_form},
                  status=400 if request.method == "POST" else 200)


@office_view
@require_http_methods(["GET", "POST"])
def topics(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    _require_rights(request)
    topic = None
    if pk is not None:
        topic = Topic.objects.filter(pk=pk).first()
        if topic is None:
            raise Http404
    initial = ({"name": topic.name, "keywords": topic.keywords, "position": topic.position,
                "is_active": topic.is_active} if topic else {"position": 100, "is_active": True})
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.topic_save(actor=request.user, topic=topic, name=cd["name"], keywords=cd["keywords"],
                                position=cd["position"], is_active=cd["is_active"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Тему збережено."))
            return redirect("acts:office_topics")
    context: dict[str, Any] = {"form": form, "topic": topic, "topics": Topic.objects.all()}
    return render(request, "acts/office/topics.html", context, status=400 if request.method == "POST" else 200)


