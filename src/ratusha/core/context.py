from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def office(request: HttpRequest) -> dict[str, Any]:
    """Header data for the office layout: the user's organisations and roles."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    from ratusha.orgs.models import Employee

    employments = list(Employee.objects.filter(user=user, is_active=True)
                       .select_related("organisation", "unit", "position"))
    return {"employments": employments, "primary_employment": employments[0] if employments else None}
