"""The engine of the access matrix: URL kwargs from the world, the outcome of a response, the check of
one cell (URL × method × actor) against the table."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.security.access_table import rows
from tests.security.urlwalk import Route, all_routes
from tests.security.world import INSTALLATION_ROLES, OTHER_ROLES, World, actor_names


def _o(name: str, attr: str = "pk"):
    return lambda w: getattr(w.objects[name], attr)


def _first(qs_factory, attr="pk"):
    return lambda w: getattr(qs_factory(w), attr)


def _registry_kind(w):
    from ratusha.registry.views import REGISTER_KINDS

    return next(iter(REGISTER_KINDS))


def _appeal_kind(w):
    from ratusha.appeals.forms import REGISTER_KINDS

    return next(iter(REGISTER_KINDS))


def _dataset(w):
    from ratusha.website.opendata.datasets import DATASETS

    return next(iter(DATASETS))


def _sitemap_section(w):
    from django.test import RequestFactory

    from ratusha.website.sitemaps import sitemap_instances

    return next(iter(sitemap_instances(RequestFactory().get("/sitemap.xml"))))


def _act(attr):
    def get(w):
        act = w.objects["act"]
        return {"segment": act.segment, "year": act.year, "slug": act.slug}[attr] if attr != "pk" else act.pk

    return get


def _settings_model(attr):
    return lambda w: {"app_name": "website", "model_name": "sitesettings"}[attr]


def _settings_pk(w):
    return w.objects["site_settings"].site_id  # a site setting is edited per site: the URL's pk is the Site's


def _revision(w):
    return w.objects["revision"].pk


def _group(w):
    from django.contrib.auth.models import Group

    return Group.objects.order_by("pk").first().pk


def _wagtail_user(w):
    return w.users["own:executor"].pk


# URL key -> {kwarg: getter(world)}; a getter that fails (or a kwarg not listed) fails that URL's tests.
KWARGS: dict[str, dict[str, Any]] = {
    "- ^media/(?P<path>.*)$": {"path": lambda w: "missing.png"},
    "registry:register": {"kind": _registry_kind},
    "registry:file_version": {"pk": _o("document"), "file_pk": _o("file")},
    "registry:file_download": {"pk": _o("file")},
    "registry:file_view": {"pk": _o("file")},
    "registry:journal": {"pk": _o("journal")},
    "registry:generation:draft_created": {"pk": _o("generated_draft")},
    "registry:generation:draft_docx": {"pk": _o("generated_draft")},
    "orgs:delegation-revoke": {"pk": _o("delegation")},
    "orgs:installation-role-revoke": {"pk": _o("installation_grant")},
    "workcalendar:period-edit": {"pk": _o("period")},
    "workcalendar:period-remove": {"pk": _o("period")},
    "workcalendar:override-remove": {"pk": _o("override")},
    "notifications:read": {"pk": _o("notification")},
    "notifications:open": {"pk": _o("notification")},
    "workflow:resolve": {"document_pk": _o("document")},
    "workflow:deadline_decide": {"pk": lambda w: w.objects["deadline_request"].pk},
    "approvals:decide": {"pk": _o("draft"), "task_pk": _o("route_task")},
    "approvals:sign": {"pk": _o("draft"), "task_pk": _o("route_task")},
    "approvals:version_download": {"pk": _o("draft_version")},
    "approvals:version_view": {"pk": _o("draft_version")},
    "approvals:template": {"pk": _o("route_template")},
    "approvals:template_edit": {"pk": _o("route_template")},
    "approvals:template_step_add": {"pk": _o("route_template")},
    "approvals:template_step_remove": {"pk": _o("route_template"), "step_pk": _o("route_step")},
    "appeals:register": {"kind": _appeal_kind},
    "appeals:attachment": {"pk": _o("appeal"), "att_pk": _o("appeal_attachment")},
    "appeals_public:sent": {"token": lambda w: "not-a-token"},
    "appeals_public:answer": {"pk": _o("appeal")},
    "reception:book": {"pk": _o("schedule")},
    "reception:booked": {"token": lambda w: "not-a-token"},
    "reception:cancel": {"token": lambda w: "not-a-token"},
    "reception:office_mark": {"pk": _o("booking")},
    "reception:office_register": {"pk": _o("booking")},
    "reception:office_schedule_edit": {"pk": _o("schedule")},
    "open311:discovery": {"fmt": lambda w: "json"},
    "open311:services": {"fmt": lambda w: "json"},
    "open311:service": {"fmt": lambda w: "json", "service_code": lambda w: "missing"},
    "open311:requests": {"fmt": lambda w: "json"},
    "open311:request": {"fmt": lambda w: "json", "service_request_id": lambda w: "missing"},
    "open311:token": {"fmt": lambda w: "json", "token": lambda w: "missing"},
    "open311:not-found": {"rest": lambda w: "nothing"},
    "exchange:inbox_item": {"pk": _o("delivery")},
    "exchange:inbox_file": {"pk": _o("delivery"), "file_pk": _o("delivery_file")},
    "exchange:inbox_package": {"pk": _o("delivery")},
    "exchange:send": {"pk": _o("letter")},
    "exchange:ops_outbox_retry": {"pk": lambda w: w.objects["outbox"].pk},
    "exchange:ops_outbox_resend": {"pk": lambda w: w.objects["outbox"].pk},
    "exchange:ops_peer_edit": {"pk": lambda w: w.objects["peer"].pk},
    "exchange:ops_peer_active": {"pk": lambda w: w.objects["peer"].pk},
    "exchange:ops_participant_disable": {"pk": lambda w: w.objects["participant"].pk},
    "exchange:ops_card": {"pk": lambda w: w.objects["participant"].pk},
    "api_office:key_revoke": {"pk": _o("api_key")},
    "api_office:webhook_disable": {"pk": _o("webhook")},
    "api-v1:journal_documents": {"journal_id": _o("journal")},
    "api-v1:incoming_get": {"delivery_id": _o("delivery")},
    "api-v1:incoming_file": {"delivery_id": _o("delivery"), "file_id": _o("delivery_file")},
    "api-v1:incoming_register": {"delivery_id": _o("delivery")},
    "api-v1:incoming_reject": {"delivery_id": _o("delivery")},
    "api-v1:outgoing_receipts": {"document_id": _o("letter")},
    "signatures:certificate": {"pk": _o("credential")},
    "signatures:revoke": {"pk": _o("credential")},
    "signatures:trust_remove": {"pk": lambda w: w.objects["trusted_ca"].pk},
    "signatures:file_cades": {"pk": _o("document"), "file_pk": _o("file")},
    "signatures:record_download": {"pk": lambda w: w.objects["signature_record"].pk},
    "signatures_public:ocsp": {"ca_id": _o("ca")},
    "signatures_public:crl": {"ca_id": _o("ca")},
    "signatures_public:ca_certificate": {"ca_id": _o("ca")},
    "acts:office_topic": {"pk": _o("topic")},
    "acts:detail": {"segment": _act("segment"), "year": _act("year"), "slug": _act("slug")},
    "acts:pdf": {"segment": _act("segment"), "year": _act("year"), "slug": _act("slug")},
    "opendata:passport": {"identifier": _dataset},
    "opendata:passport_json": {"identifier": _dataset},
    "opendata:data": {"identifier": _dataset, "fmt": lambda w: "json"},
    "website:sitemap_section": {"section": _sitemap_section},
    "website:subscribe_confirm": {"token": lambda w: "not-a-token"},
    "website:unsubscribe": {"token": lambda w: "not-a-token"},
    "wagtail_serve": {"args": lambda w: [""]},
    "wagtaildocs_serve": {"args": lambda w: ["999999", "missing.pdf"]},
    "wagtaildocs_authenticate_with_password": {"restriction_id": lambda w: 999999},
    "wagtailcore_authenticate_with_password": {"page_view_restriction_id": lambda w: 999999,
                                               "page_id": _o("page", "pk")},
    "wagtailadmin_explore": {"parent_page_id": _o("page")},
    "wagtailadmin_pages:add": {"content_type_app_name": lambda w: "website",
                               "content_type_model_name": lambda w: "standardpage", "parent_page_id": _o("page")},
    "wagtailadmin_pages:add_subpage": {"parent_page_id": _o("page")},
    "wagtailadmin_pages:move": {"page_to_move_id": _o("page")},
    "wagtailadmin_pages:revisions_revert": {"page_id": _o("page"), "revision_id": _revision},
    "wagtailsettings:edit cms/settings/<slug:app_name>/<slug:model_name>/": {
        "app_name": _settings_model("app_name"), "model_name": _settings_model("model_name")},
    "wagtailsettings:edit cms/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": {
        "app_name": _settings_model("app_name"), "model_name": _settings_model("model_name"), "pk": _settings_pk},
    "wagtailsites:edit": {"pk": lambda w: __import__("wagtail.models", fromlist=["Site"]).Site.objects.first().pk},
    "wagtailusers_users:edit": {"pk": _wagtail_user},
    "wagtailusers_users:delete": {"pk": _wagtail_user},
    "wagtailusers_groups:edit": {"pk": _group},
    "wagtailusers_groups:delete": {"pk": _group},
    "admin:orgs_user_change": {"object_id": lambda w: str(w.users["own:executor"].pk)},
}

# Default objects of a bare ``pk`` / ``page_id`` per URL-name prefix.
PK_DEFAULTS = (
    ("registry:generation:", "document"), ("registry:", "document"), ("workflow:resolution", "resolution"),
    ("workflow:", "assignment"), ("approvals:", "draft"), ("appeals:", "appeal"), ("signatures:", "document"),
    ("acts:", "act"), ("wagtailadmin_pages:", "page"),
)


def url_for(route: Route, world: World) -> str:
    spec = KWARGS.get(route.key, {})
    if "args" in spec:
        return reverse(route.name, args=spec["args"](world))
    names = route.kwarg_names
    kwargs = {}
    for name in names:
        if name in spec:
            kwargs[name] = spec[name](world)
            continue
        if name in ("pk", "page_id"):
            default = next((obj for prefix, obj in PK_DEFAULTS if (route.name or "").startswith(prefix)), None)
            if default is None:
                raise LookupError(f"no object for the parameter {name!r} of {route.key}")
            if default not in world.objects:
                raise LookupError(f"{route.key}: the object {default!r} was not built: {world.errors.get(default)}")
            kwargs[name] = world.objects[default].pk
            continue
        raise LookupError(f"no value for the parameter {name!r} of {route.key}")
    if route.name is None:
        return "/" + route.route.lstrip("^").replace("(?P<path>.*)$", kwargs.get("path", ""))
    return reverse(route.name, kwargs=kwargs)


# --- actors and expectations ------------------------------------------------------------------------

def expand(spec: str) -> tuple[str, set[str]]:
    """``anon=login; ok=own:registrar+head, super`` -> ("login", {actor names})."""
    actors = [a for a in _all_actor_names() if a != "anon"]
    if spec == "public":
        return "ok", set(actors)
    parts = dict(part.strip().split("=", 1) for part in spec.split(";"))
    allowed: set[str] = set()
    for token in (t.strip() for t in parts.get("ok", "").split(",")):
        if not token:
            continue
        if token == "all":
            allowed.update(actors)
        elif token == "super":
            allowed.add("super")
        elif ":" in token:
            cls, roles = token.split(":", 1)
            for role in roles.split("+"):
                allowed.add(f"{cls}:{role}")
                if cls == "inst":
                    allowed.add("inst:installation_admin")
        else:
            allowed.update(a for a in actors if a.startswith(token + ":"))
    unknown = allowed - set(actors)
    if unknown:
        raise ValueError(f"unknown actors {sorted(unknown)} in {spec!r}")
    return parts["anon"], allowed


def _all_actor_names() -> list[str]:
    from ratusha.orgs.constants import Role

    return ["anon", *(f"own:{r}" for r in Role.values), *(f"other:{r}" for r in OTHER_ROLES),
            *(f"ent:{r}" for r in OTHER_ROLES), "super", *(f"inst:{r}" for r in INSTALLATION_ROLES)]


def expected(spec: str, actor: str) -> str:
    anon, allowed = expand(spec)
    if actor == "anon":
        return anon
    return "ok" if actor in allowed else "deny"


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status in (401, 403, 404):
        return "deny"
    if status == 405:
        return "method-not-allowed"
    if 300 <= status < 400:
        location = response.get("Location", "")
        if "/login/" in location or "/login?" in location:
            return "login"
        if location == "/cms/":  # Wagtail's "no permission" answer: back to the admin's home with a message
            return "deny"
        return "ok"
    if status == 400:
        return "bad-request"
    return "ok"


def matches(expect: str, got: str, method: str) -> bool:
    if expect == got:
        return True
    if expect == "deny" and got == "login":  # a signed-in person sent to sign in again gets nothing
        return True
    # A POST with empty data may be refused as a bad request: a form with errors for the allowed, and —
    # the form checked before the permission — for the others too; nothing is written either way (asserted).
    if method == "POST" and got == "bad-request":
        return True
    # A GET form (e.g. a download asking which format) answers 400 once past the permission check.
    return method == "GET" and expect == "ok" and got == "bad-request"


# --- the cells ------------------------------------------------------------------------------------

def cells(namespaces: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(key, method, actor, spec) for every table row whose key starts with one of ``namespaces``."""
    out = []
    for key, method, spec in rows():
        if not key.startswith(namespaces):
            continue
        for actor in actor_names():
            out.append((key, method, actor, spec))
    return out


ROUTES_BY_KEY: dict[str, Route] = {}


def route(key: str) -> Route:
    if not ROUTES_BY_KEY:
        ROUTES_BY_KEY.update({r.key: r for r in all_routes()})
    return ROUTES_BY_KEY[key]
