"""One cell of the matrix: request the URL as the actor, compare with the table."""

from __future__ import annotations

from django.test import Client

from ratusha.core.models import AuditEvent
from tests.orgs.conftest import login_verified
from tests.security.matrix import expected, matches, outcome, route, url_for

# URLs that end the session they are called in (sessions live outside the test's savepoint).
LOGS_OUT = frozenset({"core:logout"})


def cell_id(cell) -> str:
    key, method, actor, _spec = cell
    return f"{method} {key} as {actor}"


def check_cell(matrix, key: str, method: str, actor: str, spec: str) -> None:
    try:
        url = url_for(route(key), matrix.world)
    except Exception as exc:  # noqa: BLE001 - an unfillable URL is a failure, with its reason
        raise AssertionError(f"{key}: cannot build the URL: {type(exc).__name__}: {exc}") from exc
    client = matrix.clients[actor]
    if key in LOGS_OUT and actor != "anon":  # the actor's own client must stay signed in for the next cells
        client = login_verified(Client(raise_request_exception=False), matrix.world.users[actor])
    before = AuditEvent.objects.count()
    response = client.get(url) if method == "GET" else client.post(url, {})
    got = outcome(response)
    want = expected(spec, actor)
    assert not got.startswith("error"), f"{method} {url} as {actor}: server error {response.status_code}"
    assert matches(want, got, method), (
        f"{method} {url} ({key}) as {actor}: expected {want}, got {got} "
        f"({response.status_code} {response.get('Location', '')})")
    if method == "POST" and want != "ok" and key not in LOGS_OUT:  # signing out is audited: it happened
        written = AuditEvent.objects.count() - before
        assert written == 0, f"POST {url} as {actor} was refused but wrote {written} audit event(s)"
