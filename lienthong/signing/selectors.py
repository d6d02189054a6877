"""Reads of signing keys: a person's or an agency's active key, its image, the keys a principal may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lienthong.core import files
from lienthong.directory.models import Agency, Person, Role, RoleAssignment

from .models import Purpose, SigningKey


def personal_key_for(person: Person) -> SigningKey | None:
    """The person's active personal signing key, or ``None``."""
    return (
        SigningKey.objects.filter(purpose=Purpose.PERSONAL, person_id=person.pk, is_active=True)
        .select_related("person")
        .first()
    )


def agency_key_for(agency: Agency) -> SigningKey | None:
    """The agency's active signing key (applied by its clerk), or ``None``."""
    return (
        SigningKey.objects.filter(purpose=Purpose.AGENCY, agency_id=agency.pk, is_active=True)
        .select_related("agency")
        .first()
    )


def key_image(key: SigningKey) -> bytes | None:
    """The PNG drawn with the key's signatures (handwritten signature or seal), checked against its hash."""
    if not key.image_sha256:
        return None
    return files.read(files.storage_name_for(key.image_sha256), key.image_sha256)


def signing_keys_visible_to(principal: Any) -> QuerySet[SigningKey]:
    """Keys ``principal`` may see: all for a system administrator; for an agency administrator the agency's keys
    and the personal keys of people holding a role there; for anyone else their own personal keys."""
    if not getattr(principal, "is_authenticated", False) or not getattr(principal, "is_active", False):
        return SigningKey.objects.none()
    keys = SigningKey.objects.select_related("person", "agency")
    if principal.is_superuser:
        return keys
    administered = RoleAssignment.objects.filter(
        person_id=principal.pk, role=Role.AGENCY_ADMIN, is_active=True
    ).values("agency_id")
    staff = RoleAssignment.objects.filter(agency_id__in=administered, is_active=True).values("person_id")
    return keys.filter(Q(agency_id__in=administered) | Q(person_id__in=staff) | Q(person_id=principal.pk))
