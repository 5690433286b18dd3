"""Who may edit the website at ``/cms/``: the people with the orgs role «Редактор вебсайту» or
«Адміністратор» (an active appointment) — and nobody else. They are members of the Wagtail group
«Редактори сайту» (page add/edit/publish, images, documents, site settings); the group is created by a
data migration (``ensure_editors_group``) and its membership follows the roles: ``website_editor_sync``
runs whenever an appointment is saved (``Employee`` post_save, connected in ``models``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ratusha.orgs.constants import Role

GROUP_NAME = "Редактори сайту"
EDITOR_ROLES = frozenset({Role.WEB_EDITOR, Role.ADMIN})
PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
COLLECTION_PERMISSIONS = {"wagtailimages": ("image", ("add", "change", "choose")),
                          "wagtaildocs": ("document", ("add", "change", "choose"))}


def _permission(apps: Any, app_label: str, model: str, codename: str, name: str) -> Any:
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model)
    permission, _created = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name})
    return permission


def ensure_editors_group(apps: Any) -> Any:
    """Create (or complete) the editors' group with its permissions; ``apps`` as in a data migration."""
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(_permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"))
    group.permissions.add(_permission(apps, "website", "sitesettings", "change_sitesettings",
                                      "Can change налаштування сайту"))
    Page = apps.get_model("wagtailcore", "Page")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        for kind in PAGE_PERMISSIONS:
            permission = _permission(apps, "wagtailcore", "page", f"{kind}_page", f"{kind} page")
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = Collection.objects.filter(depth=1).order_by("path").first()
    if collection is not None:
        GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
        for app_label, (model, kinds) in COLLECTION_PERMISSIONS.items():
            for kind in kinds:
                permission = _permission(apps, app_label, model, f"{kind}_{model}", f"Can {kind} {model}")
                GroupCollectionPermission.objects.get_or_create(group=group, collection=collection,
                                                                permission=permission)
    return group


def is_web_editor(user: Any) -> bool:
    """An active appointment holding the web-editor or administrator role (or a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from ratusha.orgs.models import Employee

    for roles in Employee.objects.filter(user=user, is_active=True).values_list("roles", flat=True):
        if EDITOR_ROLES & set(roles or []):
            return True
    return False


def website_editor_sync(*, actor: Any | None, user: Any) -> bool | None:
    """Put ``user`` into the editors' group or take them out, following their roles.

    Returns True (added), False (removed) or None (nothing changed). Audited when it changes."""
    from django.apps import apps

    from ratusha.core.audit import audit_log

    with transaction.atomic():
        group = (apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
                 or ensure_editors_group(apps))
        wanted = is_web_editor(user) and not user.is_superuser
        member = user.groups.filter(pk=group.pk).exists()
        if wanted == member:
            return None
        if wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)
        audit_log(actor=actor, action="website.editor_add" if wanted else "website.editor_remove", obj=user,
                  params={"group": GROUP_NAME})
        return wanted


def on_employee_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: an appointment (roles, activity) changed — keep the editors' group in step."""
    if kwargs.get("raw"):
        return
    website_editor_sync(actor=None, user=instance.user)
