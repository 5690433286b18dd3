"""Work typed into an office form is kept when the session has ended before it was sent.

When a POST reaches a sign-in-only page without a live session, ``office_view`` calls
``submission_park``: the posted fields (not passwords, not the CSRF token) and the uploaded files
(as blobs in ``core.storage``, at most ``PARKING_MAX_MB`` together) are kept for
``PARKING_HOURS`` under a random key that only this browser holds (cookie ``ratusha_parked``, the
database keeps its SHA-256). After signing in the person lands on the same page; the form is shown
with what they typed (``request.POST`` of the GET carries it, the form is never sent by itself),
the files are listed by name and travel with the next POST as a hidden reference that
``parked_files_attach`` turns back into uploads. A successful send deletes the parked data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ratusha.core.blobs import blob_is_referenced
from ratusha.core.models import Blob, ParkedSubmission, StagedUpload
from ratusha.core.storage import blob_path, blob_put, blob_read

COOKIE = "ratusha_parked"
FIELD = "_parked"
SKIPPED = ("csrfmiddlewaretoken", "_submission", FIELD)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _kept(name: str) -> bool:
    return name not in SKIPPED and "password" not in name.lower() and "passwd" not in name.lower()


def form_page(request: HttpRequest) -> str:
    """The page the form was on: the referring page of this site, else the address posted to."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def submission_park(request: HttpRequest, response: HttpResponse, *, page: str) -> None:
    """Keep this POST for the browser (to be offered on ``page``) and set its cookie on ``response``."""
    parked_purge_expired()
    old = request.COOKIES.get(COOKIE)
    if old:
        _discard(ParkedSubmission.objects.filter(key_hash=_hash(old)))
    fields = {name: request.POST.getlist(name) for name in request.POST if _kept(name)}
    files, budget = [], int(getattr(settings, "PARKING_MAX_MB", settings.MAX_UPLOAD_MB * 2)) * 1024 * 1024
    for name in request.FILES:
        for upload in request.FILES.getlist(name):
            if upload.size is None or upload.size > budget:
                continue
            budget -= upload.size
            known = set(Blob.objects.filter(size=upload.size).values_list("sha256", flat=True))
            blob = blob_put(upload, mime=upload.content_type or "application/octet-stream")
            files.append(
                {
                    "field": name,
                    "name": upload.name,
                    "sha256": blob.sha256,
                    "mime": blob.mime,
                    "size": blob.size,
                    "new": blob.sha256 not in known,
                }
            )
    key = secrets.token_urlsafe(32)
    hours = int(getattr(settings, "PARKING_HOURS", 24))
    ParkedSubmission.objects.create(
        key_hash=_hash(key),
        path=urlsplit(page).path[:500],
        fields=fields,
        files=files,
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    response.set_cookie(
        COOKIE,
        key,
        max_age=hours * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def parked_for(request: HttpRequest, *, this_page: bool) -> ParkedSubmission | None:
    """This browser's parked submission (for this page, when asked), if any and not expired."""
    key = request.COOKIES.get(COOKIE)
    if not key:
        return None
    found = ParkedSubmission.objects.filter(key_hash=_hash(key), expires_at__gt=timezone.now())
    return (found.filter(path=request.path) if this_page else found).first()


def parked_offer(request: HttpRequest) -> ParkedSubmission | None:
    """Called by ``office_view`` for a signed-in person: show parked work on GET, attach it on POST.

    Returns the parked submission a POST takes along (to be deleted when it succeeds)."""
    if COOKIE not in request.COOKIES:
        return None
    if request.method == "GET":
        parked = parked_for(request, this_page=True)
        if parked is not None:
            parked_show(request, parked)
            messages.warning(
                request, _("Ваш сеанс завершився; ми зберегли введене — перевірте й надішліть ще раз.")
            )
        return None
    if request.method == "POST":
        return parked_files_attach(request)
    return None


def _uploads(parked: ParkedSubmission) -> list[tuple[str, SimpleUploadedFile]]:
    return [
        (item["field"], SimpleUploadedFile(item["name"], blob_read(item["sha256"]), item["mime"]))
        for item in parked.files
    ]


def parked_show(request: HttpRequest, parked: ParkedSubmission) -> None:
    """Make the GET render the form with what was typed (bound data, method stays GET)."""
    uploads = request.FILES  # loaded (empty on a GET) before POST is replaced, or loading resets it
    data = QueryDict(mutable=True)
    for name, values in parked.fields.items():
        data.setlist(name, values)
    request.POST = data  # type: ignore[assignment]
    for field, upload in _uploads(parked):
        uploads.appendlist(field, upload)
    request.parked_submission = parked  # type: ignore[attr-defined]


def parked_files_attach(request: HttpRequest) -> ParkedSubmission | None:
    """On the confirming POST: the files parked with it join the uploads of the same fields."""
    parked = parked_for(request, this_page=False)
    if parked is None or request.POST.get(FIELD) != str(parked.pk):
        return None
    for field, upload in _uploads(parked):
        request.FILES.appendlist(field, upload)
    return parked


def parked_done(parked: ParkedSubmission, response: HttpResponse) -> None:
    """After a successful send (a redirect) the parked data and the cookie are gone."""
    if 300 <= response.status_code < 400 or response.has_header("HX-Redirect"):
        _discard(ParkedSubmission.objects.filter(pk=parked.pk))
        response.delete_cookie(COOKIE, samesite="Lax")


def parked_purge_expired() -> int:
    return _discard(ParkedSubmission.objects.filter(expires_at__lte=timezone.now()))


def _discard(queryset: Any) -> int:
    rows = list(queryset)
    shas = {item["sha256"] for row in rows for item in row.files if item.get("new")}
    queryset.model.objects.filter(pk__in=[row.pk for row in rows]).delete()
    for sha in shas:
        _blob_forget_if_unused(sha)
    return len(rows)


def _blob_forget_if_unused(sha: str) -> None:
    """Delete a blob that parking created, unless anything (a record, a staged upload, another park) uses it."""
    blob = Blob.objects.filter(pk=sha).first()
    if blob is None or StagedUpload.objects.filter(blob_id=sha).exists() or blob_is_referenced(sha):
        return
    blob.delete()
    path = blob_path(sha)
    if path.exists():
        path.unlink()
