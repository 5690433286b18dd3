"""Hooks of the Wagtail admin at ``/cms/`` that belong to the whole site (not to one of its apps)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import DEFAULT_DB_ALIAS
from django.db.models.deletion import Collector, ProtectedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("before_delete_user")
def keep_users_with_records(request: HttpRequest, user: Any) -> HttpResponse | None:
    """A person the office's records point at (registered cards, audit events, employments) cannot be
    deleted — the records must keep their author. Wagtail would answer with a server error; say why."""
    try:
        Collector(using=DEFAULT_DB_ALIAS).collect([user])
    except ProtectedError:
        messages.error(request, _("Цю особу не можна видалити: на неї посилаються записи системи (документи, "
                                  "доручення, журнал дій). Замість видалення зробіть обліковий запис неактивним."))
        return HttpResponseRedirect(reverse("wagtailusers_users:edit", args=[user.pk]))
    return None
