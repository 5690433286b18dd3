"""``/exchange/v1/``: the endpoint other installations talk to (docs/exchange.md, «Протокол»).

No session or CSRF here: a message is authenticated by its seal, checked against the directory of
participants. POSTs are rate-limited per client address before the body is read, and per verified sender
after its seal is checked (``EXCHANGE_RATE_*`` settings): over the limit, an unsigned 429 with Retry-After. ``GET`` describes this installation's participants (their cards for the peers' directories).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ratusha.core.auth import client_ip
from ratusha.core.ratelimit import rate_limit_hit
from ratusha.exchange.constants import MAX_PACKAGE_BYTES, PROTOCOL
from ratusha.exchange.models import Participant
from ratusha.exchange.services.directory import endpoint_url, participant_card
from ratusha.exchange.services.inbound import Answer, inbound_receive, rate_limited


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    participants = Participant.objects.filter(is_active=True).select_related("organisation").order_by(
        "organisation__name")
    response = JsonResponse({"protocol": PROTOCOL, "endpoint": endpoint_url(), "messages": endpoint_url() + "messages",
                             "max_package_bytes": MAX_PACKAGE_BYTES,
                             "participants": [participant_card(p) for p in participants]},
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def messages(request: HttpRequest) -> HttpResponse:
    ip = client_ip(request)
    state = rate_limit_hit(scope="exchange-ip", ip=ip, limit=settings.EXCHANGE_RATE_LIMIT_IP,
                           window_seconds=settings.EXCHANGE_RATE_WINDOW_SECONDS)
    if not state.allowed:
        return _response(rate_limited(retry_after=state.retry_after, who=f"address {ip}"))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Read the stream directly (not request.body, which is capped for forms) up to the package limit.
    data = b"" if declared > MAX_PACKAGE_BYTES else request.read(MAX_PACKAGE_BYTES + 1)
    return _response(inbound_receive(data=data, too_large=declared > MAX_PACKAGE_BYTES
                                     or len(data) > MAX_PACKAGE_BYTES, ip=ip))


def _response(answer: Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    response["Cache-Control"] = "no-store"
    if answer.retry_after is not None:
        response["Retry-After"] = str(answer.retry_after)
    return response
