"""Who may edit the council's website at ``/cms/``: the holders of the installation role «Редактор сайту
ради» (``InstallationRole.WEBSITE_EDITOR``; an installation administrator holds it too) — and nobody
else. A role in an organisation (web editor or administrator of a municipal enterprise, say) gives no
access to the council's site (docs/architecture.md rule 5). The holders are members of the Wagtail group «Редактори
сайту» (page add/edit/publish, images, documents, site settings); the group is created by a data
migration (``ensure_editors_group``) and its membership follows the grants: ``website_editor_sync`` runs
whenever a grant is saved (``InstallationRoleGrant`` post_save, connected in ``models``) and, for a
person's deactivation, when an appointment is saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ratusha.orgs.constants import InstallationRole

GROUP_NAME = "Редактори сайту"
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
    """A holder of the council website editor's installation role (a superuser holds every role)."""
    from ratusha.orgs.permissions import forget_installation_roles, has_installation_role

    forget_installation_roles(user)  # the group follows the grants as they are now
    return has_installation_role(user, InstallationRole.WEBSITE_EDITOR)


def editors_group_resync(apps: Any) -> int:
    """Make the group's membership follow the grants (website migration 0004; ``apps`` as in a data
    migration): organisation roles no longer put anybody into it. Returns the number of changes."""
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is None:
        return 0
    Grant = apps.get_model("orgs", "InstallationRoleGrant")
    User = apps.get_model("orgs", "User")
    granted = Grant.objects.filter(revoked_at__isnull=True, role__in=[
        str(InstallationRole.WEBSITE_EDITOR), str(InstallationRole.INSTALLATION_ADMIN)]).values("user_id")
    wanted = set(User.objects.filter(pk__in=granted, is_active=True, is_superuser=False).values_list("pk", flat=True))
    members = set(User.objects.filter(groups=group).values_list("pk", flat=True))
    for pk in members - wanted:
        User.objects.get(pk=pk).groups.remove(group)
    for pk in wanted - members:
        User.objects.get(pk=pk).groups.add(group)
    return len(members ^ wanted)


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
    """Signal receiver: an appointment or an installation role grant changed — keep the group in step."""
    if kwargs.get("raw"):
        return
    website_editor_sync(actor=None, user=instance.user)
