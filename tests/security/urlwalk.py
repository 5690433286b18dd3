"""The walk over the URLconf: every pattern of ``ratusha.urls``, through every include."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Third-party trees the table may cover by a prefix rule (every own pattern still needs its own row).
THIRD_PARTY_PREFIXES = ("cms/", "django-admin/")


@dataclass(frozen=True)
class Route:
    key: str  # the row's key in the access table: the URL name, or "name route" when a name repeats
    name: str | None
    route: str  # the pattern text, includes joined
    module: str  # the view's module

    @property
    def own(self) -> bool:
        return self.module.startswith("ratusha.") or (self.name or "").startswith("api-v1:")

    @property
    def kwarg_names(self) -> tuple[str, ...]:
        return tuple(a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", self.route))


def _walk(resolver: URLResolver, prefix: str, namespace: str | None, out: list[tuple[str | None, str, str]]) -> None:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            _walk(pattern, prefix + str(pattern.pattern), ns, out)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            callback = pattern.callback
            module = getattr(callback, "__module__", "") or ""
            if module.startswith("functools") or module.startswith("ninja"):
                module = "ninja"
            out.append((name, prefix + str(pattern.pattern), module))


def all_routes() -> list[Route]:
    raw: list[tuple[str | None, str, str]] = []
    _walk(get_resolver(), "", None, raw)
    counts: dict[str | None, int] = {}
    for name, _route, _module in raw:
        counts[name] = counts.get(name, 0) + 1
    routes = []
    for name, route, module in raw:
        key = name if name and counts[name] == 1 else f"{name or '-'} {route}"
        routes.append(Route(key=key, name=name, route=route, module=module))
    return routes
