"""Office pages of notifications: the list, mark read, the header badge, e-mail preferences.

Views translate HTTP to service/selector calls and back; they hold no business rules.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import office_view
from ratusha.core.errors import ApplicationError
from ratusha.core.pagination import CappedPaginator
from ratusha.notifications import selectors
from ratusha.notifications import services as svc
from ratusha.notifications.forms import PreferencesForm


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _list_context(request: HttpRequest) -> dict:
    paginator = CappedPaginator(selectors.notifications_for(request.user), settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "unread": selectors.unread_count(request.user),
    }


@office_view
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/list.html", _list_context(request))


@office_view
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """htmx: the header bell with the current unread count (polled every 60 s)."""
    response = render(request, "notifications/includes/bell.html",
                      {"unread": selectors.unread_count(request.user)})
    response["Cache-Control"] = "no-store"
    return response


def _safe_target(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("notifications:list")


@office_view
@require_GET
def notification_open(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Following a notification marks it read and goes to what it is about."""
    notification = selectors.notification_get(request.user, pk)
    svc.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(_safe_target(request, notification.url))


@office_view
@require_POST
def mark_read(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    notification = selectors.notification_get(request.user, pk)
    svc.notifications_mark_read(user=request.user, ids=[notification.pk])
    if _is_htmx(request):
        notification.refresh_from_db()
        return render(request, "notifications/includes/item_read.html",
                      {"n": notification, "unread": selectors.unread_count(request.user)})
    messages.success(request, _("Сповіщення позначено прочитаним."))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    page = request.POST.get("page", "")
    url = reverse("notifications:list")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@office_view
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = svc.notifications_mark_read(user=request.user, ids=None)
    if changed:
        message = ngettext("%(count)d сповіщення позначено прочитаним.",
                           "%(count)d сповіщень позначено прочитаними.", changed) % {"count": changed}
    else:
        message = _("Непрочитаних сповіщень немає.")
    if _is_htmx(request):
        context = {**_list_context(request), "status_message": message}
        return render(request, "notifications/list.html#results", context)
    messages.success(request, message)
    return redirect(_back(request))


@office_view
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preferences_for(request.user)
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial_values=current)
        if form.is_valid():
            try:
                svc.preferences_update(user=request.user, values=form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Налаштування сповіщень збережено."))
                return redirect("notifications:settings")
        status = 400
    else:
        form = PreferencesForm(initial_values=current)
    has_email = bool((request.user.email or "").strip())
    return render(request, "notifications/settings.html", {"form": form, "has_email": has_email}, status=status)
