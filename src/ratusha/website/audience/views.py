"""Public pages of the e-mail subscription: the form, «check your mail», confirmation and unsubscribe.

Nothing here tells whether an address is already subscribed (the answer to the form is always the
same). The one-click unsubscribe endpoint accepts a POST without a CSRF token (RFC 8058: mail clients
post ``List-Unsubscribe=One-Click`` to it); a GET only shows a confirmation button.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ratusha.core.auth import client_ip
from ratusha.core.errors import ApplicationError
from ratusha.core.ratelimit import rate_limit_check, rate_limit_hit
from ratusha.website.audience.constants import SUBSCRIBE_RATE_LIMIT, SUBSCRIBE_RATE_WINDOW_MINUTES
from ratusha.website.audience.forms import SubscribeForm
from ratusha.website.audience.services.subscriptions import (
    SubscriptionTokenError,
    subscription_check_unsubscribe_token,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)

_LIMITS = {"limit": SUBSCRIBE_RATE_LIMIT, "window_minutes": SUBSCRIBE_RATE_WINDOW_MINUTES}


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    template = "audience/subscribe.html"
    if request.method == "POST":
        ip = client_ip(request)
        rate = rate_limit_check(scope="subscribe", ip=ip, **_LIMITS)
        if not rate.allowed:
            response = render(request, template, {"form": form, "rate_limited": True,
                                                  "retry_minutes": rate.retry_minutes}, status=429)
            response["Retry-After"] = str(rate.retry_after)
            return response
        if form.is_valid():
            rate_limit_hit(scope="subscribe", ip=ip, **_LIMITS)
            if form.cleaned_data["website"]:  # the honeypot: pretend all went well
                return redirect("website:subscribe_sent")
            try:
                subscription_request(email=form.cleaned_data["email"], topics=form.cleaned_data["topics"])
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("website:subscribe_sent")
        return render(request, template, {"form": form}, status=400)
    return render(request, template, {"form": form})


@require_GET
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "audience/subscribe_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the button (mail scanners open links; they must not confirm); POST confirms."""
    template = "audience/subscribe_confirm.html"
    if request.method == "GET":
        return render(request, template, {"token": token, "state": "ask"})
    try:
        subscriber = subscription_confirm(token=token)
    except SubscriptionTokenError as exc:
        return render(request, template, {"state": "error", "error": exc.message}, status=400)
    return render(request, template, {"state": "done", "subscriber": subscriber})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    template = "audience/unsubscribe.html"
    try:
        if request.method == "GET":
            subscriber = subscription_check_unsubscribe_token(token=token)
            return render(request, template, {"token": token, "state": "ask", "subscriber": subscriber})
        subscriber = subscription_unsubscribe(token=token)
    except SubscriptionTokenError as exc:
        return render(request, template, {"state": "error", "error": exc.message}, status=400)
    return render(request, template, {"state": "done", "subscriber": subscriber})
