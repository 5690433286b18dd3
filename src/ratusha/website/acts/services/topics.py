"""The controlled list of topics of decisions, edited by website editors."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_log
from ratusha.core.errors import ApplicationError, PermissionDeniedError
from ratusha.orgs.constants import InstallationRole
from ratusha.orgs.permissions import has_installation_role
from ratusha.website.acts.models import Topic
from ratusha.website.acts.services._common import number_slug


def topic_save(*, actor: Any, name: str, topic: Topic | None = None, position: int = 100, keywords: str = "",
               is_active: bool = True) -> Topic:
    """The controlled list is the council website's (one for the installation): its editors only — an
    installation role, not a registrar or administrator of some organisation (docs/architecture.md rule 5)."""
    if actor is not None and not has_installation_role(actor, InstallationRole.WEBSITE_EDITOR):
        raise PermissionDeniedError(_("Перелік тем рішень веде редактор сайту ради."))
    name = " ".join((name or "").split())[:120]
    if not name:
        raise ApplicationError(_("Вкажіть назву теми."), code="required", field="name")
    # Compared in Python: SQLite's case-insensitive match knows only ASCII letters.
    others = Topic.objects.exclude(pk=topic.pk) if topic is not None else Topic.objects.all()
    if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
        raise ApplicationError(_("Тема з такою назвою вже є."), code="duplicate", field="name")
    keywords = ", ".join(k.strip().lower() for k in (keywords or "").split(",") if k.strip())[:500]
    with transaction.atomic():
        if topic is None:
            base = slugify(number_slug(name))[:36] or "tema"
            slug, n = base, 2
            while Topic.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            topic = Topic.objects.create(slug=slug, name=name, position=position, keywords=keywords,
                                         is_active=is_active)
            audit_log(actor=actor, action="act_topic.create", obj=topic, params={"name": name})
        else:
            topic = Topic.objects.select_for_update().get(pk=topic.pk)
            changes = {f: [getattr(topic, f), v] for f, v in (("name", name), ("position", position),
                                                              ("keywords", keywords), ("is_active", is_active))
                       if getattr(topic, f) != v}
            if changes:
                for field, (_old, new) in changes.items():
                    setattr(topic, field, new)
                topic.save()
                audit_log(actor=actor, action="act_topic.update", obj=topic, params={"changes": changes})
    return topic
