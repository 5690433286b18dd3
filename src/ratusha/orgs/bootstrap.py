"""The first administrator of a real installation (`ratusha createadmin`)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from ratusha.core.audit import audit_log
from ratusha.orgs.constants import InstallationRole, OrgKind, Role
from ratusha.orgs.models import Employee, Organisation, User
from ratusha.orgs.services_installation import installation_role_grant


def administrator_create(*, username: str, email: str, password: str, organisation_name: str = "") -> User:
    """A superuser who is also the administrator of an organisation (created if there is none) and holds
    the installation administrator's role explicitly (so it stays if the superuser flag is ever taken).

    The account must set up TOTP at first login (administrators always use a second factor).
    """
    if User.objects.filter(username=username).exists():
        raise ValueError(f"Користувач «{username}» уже існує.")
    user = User(username=username, email=email, is_staff=True, is_superuser=True)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        organisation = Organisation.objects.filter(parent__isnull=True).order_by("created_at").first()
        if organisation is None:
            name = organisation_name or "Міська рада"
            organisation = Organisation.objects.create(
                kind=OrgKind.CITY_COUNCIL, name=name, short_name=name[:120],
                code=slugify(name, allow_unicode=False) or "council",
            )
            audit_log(actor=user, action="organisation.create", obj=organisation, params={"name": name})
        Employee.objects.create(user=user, organisation=organisation, roles=[Role.ADMIN.value])
        audit_log(actor=user, action="user.create_admin", obj=user,
                  params={"username": username, "organisation": str(organisation.pk)})
        installation_role_grant(actor=None, user=user, role=InstallationRole.INSTALLATION_ADMIN,
                                note="ratusha createadmin")
    return user
