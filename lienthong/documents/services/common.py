"""What every documents service shares: who may act (roles in the agency), audit, events after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal
from django.utils.translation import gettext as _

from lienthong.audit.services import record
from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Agency, Person, Role, RoleAssignment, Unit

logger = logging.getLogger("lienthong.documents")

#: Roles that may draft an outgoing document.
DRAFTER_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER)
#: Roles that may review a draft before it goes to the signer.
REVIEWER_ROLES = (Role.UNIT_HEAD, Role.LEADER)
#: Roles that keep the agency's documents (see everything, manage work files).
KEEPER_ROLES = (Role.LEADER, Role.CLERK)


def roles_in(person: Person | None, agency: Agency) -> set[str]:
    """The active roles ``person`` holds in ``agency`` (empty for nobody, an inactive account or agency)."""
    if person is None or not person.is_active or not agency.is_active:
        return set()
    return set(
        RoleAssignment.objects.filter(person_id=person.pk, agency_id=agency.pk, is_active=True).values_list(
            "role", flat=True
        )
    )


def units_in(person: Person, agency: Agency) -> set[int]:
    """The units of ``agency`` ``person`` belongs to through an active role."""
    return set(
        RoleAssignment.objects.filter(
            person_id=person.pk, agency_id=agency.pk, is_active=True, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )


def first_unit(person: Person, agency: Agency) -> Unit | None:
    assignment = (
        RoleAssignment.objects.filter(
            person_id=person.pk, agency_id=agency.pk, is_active=True, unit__isnull=False
        )
        .select_related("unit")
        .order_by("id")
        .first()
    )
    return assignment.unit if assignment is not None else None


def position_in(person: Person, agency: Agency, role: str) -> str:
    """The title (chức vụ) of ``person``'s ``role`` in ``agency``, or empty."""
    assignment = (
        RoleAssignment.objects.filter(person_id=person.pk, agency_id=agency.pk, role=role, is_active=True)
        .select_related("position")
        .first()
    )
    return assignment.position.name if assignment is not None and assignment.position is not None else ""


def require_person(actor: Any) -> Person:
    """Documents are handled by people: the system and API credentials cannot draft, sign or assign."""
    if not isinstance(actor, Person) or not actor.is_active:
        raise PermissionDenied(_("Thao tác này cần một cán bộ đã đăng nhập."), rule="person_required")
    return actor


def require_role(actor: Person, agency: Agency, roles: Iterable[str], *, rule: str, message: str) -> set[str]:
    held = roles_in(actor, agency)
    if not held & set(roles):
        raise PermissionDenied(message, rule=rule)
    return held


def require_status(obj: Any, allowed: Iterable[str], message: str, rule: str = "wrong_status") -> None:
    if obj.status not in set(allowed):
        raise Conflict(message, rule=rule, field="status")


def check_version(obj: Any, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise Conflict(
            _("Dự thảo đã được sửa (phiên bản %(now)d, bạn đang xem phiên bản %(seen)d); hãy tải lại.")
            % {"now": obj.version, "seen": expected},
            rule="stale_version",
            field="expected_version",
        )


def clean_text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(
            message=_("%(label)s phải là chuỗi ký tự.") % {"label": label}, rule="type", field=field
        )
    text = value.strip()
    if required and not text:
        raise DomainError(
            message=_("%(label)s không được để trống.") % {"label": label}, rule="required", field=field
        )
    if len(text) > limit:
        raise DomainError(
            message=_("%(label)s không được dài quá %(n)d ký tự.") % {"label": label, "n": limit},
            rule="max_length",
            field=field,
        )
    return text


def audit(actor: Person | None, action: str, obj: Model, agency: Agency, changes: Mapping[str, Any]) -> None:
    """One audit entry. Services call it last in their transaction: on PostgreSQL it takes the audit chain's
    lock until commit, and slow work (signing) must not run while every writer waits for it."""
    record(actor=actor, action=f"documents.{action}", obj=obj, agency_code=agency.code, changes=changes)


def announce(signal: Signal, sender: type[Model], **kwargs: Any) -> None:
    """Send ``signal`` after the current transaction commits; a failing receiver is logged, never undoes it."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("receiver %r of %s failed", receiver, signal, exc_info=result)

    transaction.on_commit(send)
