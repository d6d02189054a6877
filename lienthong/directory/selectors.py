"""Reads of the directory, scoped to what the caller may see (agency scoping lives here, once)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import RoleAssignment


def roles_of(person: Any) -> QuerySet[RoleAssignment]:
    """The active roles a signed-in person holds, with their agency, unit and position."""
    if not getattr(person, "is_authenticated", False):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(person=person, is_active=True, agency__is_active=True)
        .select_related("agency", "unit", "position")
        .order_by("agency__code", "role")
    )
