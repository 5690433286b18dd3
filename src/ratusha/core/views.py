from __future__ import annotations

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratusha.core.auth import (
    LoginInvalidError,
    LoginLockedError,
    confirmed_totp_device,
    login_authenticate,
    login_complete,
    logout_user,
    otp_pending_start,
    otp_pending_user,
    otp_verify,
    safe_next,
    totp_device_confirm,
    totp_device_start,
    totp_qr_svg,
    totp_secret_b32,
    user_requires_otp,
)
from ratusha.core.forms import LoginForm, TokenForm


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness + database check for load balancers and `make run`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db_ok = True
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db_ok = False
    status = 200 if db_ok else 503
    return JsonResponse({"status": "ok" if db_ok else "error", "database": db_ok}, status=status)


# --- Sign-in -----------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(safe_next(request, next_url))
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = login_authenticate(request=request, username=form.cleaned_data["username"],
                                      password=form.cleaned_data["password"])
        except (LoginLockedError, LoginInvalidError) as exc:
            error = exc.message
        else:
            if confirmed_totp_device(user) is not None:
                otp_pending_start(request=request, user=user, next_url=next_url)
                return redirect("core:otp_verify")
            login_complete(request=request, user=user)
            if user_requires_otp(user):
                return redirect("core:otp_setup")
            return HttpResponseRedirect(safe_next(request, next_url))
    return render(request, "core/login.html", {"form": form, "error": error, "next": next_url},
                  status=200 if not error else 400)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """Second step: the code from the authenticator app."""
    if request.user.is_authenticated:
        if request.user.is_verified():
            return redirect("registry:home")
        user, next_url = request.user, ""
    else:
        user, next_url = otp_pending_user(request)
    if user is None:
        messages.info(request, _("Час на введення коду вийшов. Увійдіть знову."))
        return redirect("core:login")
    if confirmed_totp_device(user) is None:
        return redirect("core:otp_setup" if request.user.is_authenticated else "core:login")
    form = TokenForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_verify(request=request, user=user, token=form.cleaned_data["token"])
        except LoginLockedError as exc:
            request.session.pop("ratusha_otp_pending", None)
            messages.error(request, exc.message)
            return redirect("core:login")
        except LoginInvalidError as exc:
            form.add_error("token", exc.message)
        else:
            if request.user.is_authenticated:
                from django_otp import login as otp_login

                otp_login(request, device)
            else:
                login_complete(request=request, user=user, device=device)
            return HttpResponseRedirect(safe_next(request, next_url))
    return render(request, "core/otp_verify.html", {"form": form, "error": error, "pending_user": user},
                  status=400 if form.errors else 200)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrolment of the authenticator app (mandatory for administrators)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('core:login')}?next={reverse('core:otp_setup')}")
    user = request.user
    if confirmed_totp_device(user) is not None:
        return redirect("registry:home" if user.is_verified() else "core:otp_verify")
    device = totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_device_confirm(request=request, user=user, device=device, token=form.cleaned_data["token"])
        except LoginInvalidError as exc:
            form.add_error("token", exc.message)
        else:
            messages.success(request, _("Двофакторну автентифікацію налаштовано. Надалі під час входу "
                                        "вводьте код із застосунку."))
            return redirect("registry:home")
    context = {
        "form": form,
        "qr_svg": totp_qr_svg(device),
        "secret": totp_secret_b32(device),
        "mandatory": user_requires_otp(user),
    }
    return render(request, "core/otp_setup.html", context, status=400 if form.errors else 200)


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    logout_user(request=request)
    messages.info(request, _("Ви вийшли з робочого кабінету."))
    return redirect("core:login")
