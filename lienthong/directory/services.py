"""Every change to the directory: agencies, units, people, roles, API credentials.

Each function is one business action: atomic, audited, and raising :class:`DomainError` naming the field and
the rule on bad input. ``upsert_*`` variants exist for the demo loader and imports, where running twice must
change nothing (and write no audit entry when nothing changed).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from lienthong.audit.services import diff, record
from lienthong.core.errors import DomainError, FieldProblem

from .models import Agency, ApiCredential, Person, Position, Role, RoleAssignment, Unit
from .selectors import forget_cached_credentials

Actor = Person | None


def _validation_to_domain(label: str, error: ValidationError) -> DomainError:
    problems = (
        [
            FieldProblem(
                field=name, rule=str(getattr(e, "code", None) or "invalid"), message=" ".join(e.messages)
            )
            for name, errors in error.error_dict.items()
            for e in errors
        ]
        if hasattr(error, "error_dict")
        else [FieldProblem("__all__", "invalid", " ".join(error.messages))]
    )
    summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return DomainError(
        message=_("%(label)s không hợp lệ – %(summary)s") % {"label": label, "summary": summary},
        rule="validation",
        problems=problems,
    )


def _snapshot(obj: Model, fields: list[str]) -> dict[str, Any]:
    return {
        name: getattr(obj, f"{name}_id" if obj._meta.get_field(name).is_relation else name) for name in fields
    }


def _save_validated(obj: Model, label: str) -> None:
    try:
        obj.full_clean()
        with transaction.atomic():
            obj.save()
    except ValidationError as exc:
        raise _validation_to_domain(label, exc) from exc
    except IntegrityError as exc:
        raise DomainError(
            message=_("%(label)s vi phạm ràng buộc dữ liệu: %(error)s") % {"label": label, "error": exc},
            rule="integrity",
        ) from exc


def _apply(obj: Model, fields: Mapping[str, Any]) -> list[str]:
    for name, value in fields.items():
        obj._meta.get_field(name)  # raises FieldDoesNotExist for a typo instead of silently ignoring it
        setattr(obj, name, value)
    return list(fields)


AGENCY_FIELDS = [
    "code",
    "name",
    "short_name",
    "tier",
    "parent",
    "address",
    "phone",
    "email",
    "website",
    "is_active",
    "valid_from",
    "valid_to",
    "successor",
]
UNIT_FIELDS = ["agency", "code", "name", "short_name", "kind", "parent", "is_active"]


@transaction.atomic
def create_agency(*, actor: Actor, **fields: Any) -> Agency:
    agency = Agency()
    _apply(agency, fields)
    _save_validated(agency, _("Cơ quan"))
    record(
        actor=actor,
        action="agency.create",
        obj=agency,
        agency_code=agency.code,
        changes=diff({}, _snapshot(agency, AGENCY_FIELDS)),
    )
    return agency


@transaction.atomic
def update_agency(*, actor: Actor, agency: Agency, **fields: Any) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = _snapshot(agency, AGENCY_FIELDS)
    _apply(agency, fields)
    changes = diff(before, _snapshot(agency, AGENCY_FIELDS))
    if changes:
        _save_validated(agency, _("Cơ quan"))
        record(actor=actor, action="agency.update", obj=agency, agency_code=agency.code, changes=changes)
    return agency


@transaction.atomic
def upsert_agency(*, actor: Actor, code: str, **fields: Any) -> tuple[Agency, bool]:
    """Create the agency with ``code`` or bring it to ``fields``; return it and whether anything changed."""
    existing = Agency.objects.filter(code=code).first()
    if existing is None:
        return create_agency(actor=actor, code=code, **fields), True
    before = _snapshot(existing, AGENCY_FIELDS)
    updated = update_agency(actor=actor, agency=existing, **fields)
    return updated, before != _snapshot(updated, AGENCY_FIELDS)


@transaction.atomic
def create_unit(*, actor: Actor, **fields: Any) -> Unit:
    unit = Unit()
    _apply(unit, fields)
    _save_validated(unit, _("Đơn vị"))
    record(
        actor=actor,
        action="unit.create",
        obj=unit,
        agency_code=unit.agency.code,
        changes=diff({}, _snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def update_unit(*, actor: Actor, unit: Unit, **fields: Any) -> Unit:
    unit = Unit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
    before = _snapshot(unit, UNIT_FIELDS)
    _apply(unit, fields)
    changes = diff(before, _snapshot(unit, UNIT_FIELDS))
    if changes:
        _save_validated(unit, _("Đơn vị"))
        record(actor=actor, action="unit.update", obj=unit, agency_code=unit.agency.code, changes=changes)
    return unit


@transaction.atomic
def upsert_unit(*, actor: Actor, agency: Agency, code: str, **fields: Any) -> tuple[Unit, bool]:
    existing = Unit.objects.filter(agency=agency, code=code).first()
    if existing is None:
        return create_unit(actor=actor, agency=agency, code=code, **fields), True
    before = _snapshot(existing, UNIT_FIELDS)
    updated = update_unit(actor=actor, unit=existing, **fields)
    return updated, before != _snapshot(updated, UNIT_FIELDS)


@transaction.atomic
def ensure_position(*, actor: Actor, name: str, rank: int = 100) -> Position:
    position, created = Position.objects.get_or_create(name=name, defaults={"rank": rank})
    if created:
        record(actor=actor, action="position.create", obj=position, changes={"name": [None, name]})
    return position


PERSON_FIELDS = ["username", "full_name", "email", "phone", "is_active", "is_staff", "is_superuser"]


@transaction.atomic
def create_person(
    *, actor: Actor, username: str, full_name: str, password: str | None = None, **fields: Any
) -> Person:
    """Create an officer account. Without a password the account cannot sign in until one is set."""
    if Person.objects.filter(username__iexact=username).exists():
        raise DomainError(
            message=_("Tên đăng nhập '%(username)s' đã có người dùng.") % {"username": username},
            rule="unique",
            field="username",
        )
    person = Person(username=username, full_name=full_name)
    _apply(person, fields)
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    try:
        person.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise _validation_to_domain(_("Cán bộ"), exc) from exc
    person.save()
    record(
        actor=actor, action="person.create", obj=person, changes=diff({}, _snapshot(person, PERSON_FIELDS))
    )
    return person


@transaction.atomic
def update_person(*, actor: Actor, person: Person, **fields: Any) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person, PERSON_FIELDS)
    _apply(person, fields)
    changes = diff(before, _snapshot(person, PERSON_FIELDS))
    if changes:
        try:
            person.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise _validation_to_domain(_("Cán bộ"), exc) from exc
        person.save()
        record(actor=actor, action="person.update", obj=person, changes=changes)
    return person


@transaction.atomic
def set_password(*, actor: Actor, person: Person, password: str) -> None:
    person.set_password(password)
    person.save(update_fields=["password"])
    record(actor=actor, action="person.set_password", obj=person, changes={"password": ["***", "***"]})


@transaction.atomic
def grant_role(
    *,
    actor: Actor,
    person: Person,
    agency: Agency,
    role: str,
    unit: Unit | None = None,
    position: Position | None = None,
) -> tuple[RoleAssignment, bool]:
    """Give ``person`` ``role`` in ``agency``; idempotent. Returns the assignment and whether it changed."""
    if role not in Role.values:
        raise DomainError(
            message=_("Vai trò '%(role)s' không tồn tại; chọn một trong %(choices)s.")
            % {"role": role, "choices": ", ".join(Role.values)},
            rule="choice",
            field="role",
        )
    if unit is not None and unit.agency_id != agency.pk:
        raise DomainError(
            message=_("Đơn vị '%(unit)s' không thuộc cơ quan %(agency)s.")
            % {"unit": unit.name, "agency": agency.code},
            rule="unit_in_agency",
            field="unit",
        )
    assignment = (
        RoleAssignment.objects.select_for_update().filter(person=person, agency=agency, role=role).first()
    )
    wanted = {
        "unit": unit.pk if unit else None,
        "position": position.pk if position else None,
        "is_active": True,
    }
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            person=person, agency=agency, role=role, unit=unit, position=position
        )
        changes = diff({}, {"role": role, **wanted})
    else:
        before = {
            "unit": assignment.unit_id,
            "position": assignment.position_id,
            "is_active": assignment.is_active,
        }
        changes = diff(before, wanted)
        if not changes:
            return assignment, False
        assignment.unit, assignment.position, assignment.is_active = unit, position, True
        assignment.save()
    if role == Role.SYSTEM_ADMIN and not (person.is_staff and person.is_superuser):
        Person.objects.filter(pk=person.pk).update(is_staff=True, is_superuser=True)
    record(
        actor=actor,
        action="role.grant",
        obj=assignment,
        agency_code=agency.code,
        changes={"person": person.username, **changes},
    )
    return assignment, True


@transaction.atomic
def revoke_role(*, actor: Actor, assignment: RoleAssignment) -> None:
    assignment = RoleAssignment.objects.select_for_update().select_related("agency").get(pk=assignment.pk)
    if not assignment.is_active:
        return
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        agency_code=assignment.agency.code,
        changes={"is_active": [True, False]},
    )


@transaction.atomic
def create_api_credential(*, actor: Actor, agency: Agency, name: str) -> tuple[ApiCredential, str]:
    """Issue a credential for an external system; the returned token is shown once and never stored."""
    if not name.strip():
        raise DomainError(message=_("Tên hệ thống không được để trống."), rule="required", field="name")
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    credential = ApiCredential.objects.create(
        name=name.strip(), agency=agency, key_id=key_id, secret_hash=ApiCredential.hash_secret(secret)
    )
    record(
        actor=actor,
        action="api_credential.create",
        obj=credential,
        agency_code=agency.code,
        changes={"name": [None, credential.name], "key_id": [None, key_id]},
    )
    return credential, f"{key_id}.{secret}"


@transaction.atomic
def revoke_api_credential(*, actor: Actor, credential: ApiCredential) -> None:
    credential = ApiCredential.objects.select_for_update().select_related("agency").get(pk=credential.pk)
    if credential.is_active:
        credential.is_active = False
        credential.save(update_fields=["is_active"])
        record(
            actor=actor,
            action="api_credential.revoke",
            obj=credential,
            agency_code=credential.agency.code,
            changes={"is_active": [True, False]},
        )
    forget_cached_credentials()
    transaction.on_commit(forget_cached_credentials)


@transaction.atomic
def add_unit(*, actor: Actor, agency: Agency, code: str, **fields: Any) -> Unit:
    """Create a unit from a page or the API: a code already used in the agency is refused on ``code``.

    ``create_unit`` would refuse it too, but as a constraint of the whole row; people need to know which
    field to fix.
    """
    code = code.strip()
    if Unit.objects.filter(agency=agency, code__iexact=code).exists():
        raise DomainError(
            message=_("Cơ quan %(agency)s đã có đơn vị mang mã '%(code)s'.")
            % {"agency": agency.code, "code": code},
            rule="unique",
            field="code",
        )
    return create_unit(actor=actor, agency=agency, code=code, **fields)


def mark_api_credential_used(*, credential: ApiCredential, at: datetime, every: timedelta) -> bool:
    """Note when a credential was last used, at most once per ``every``; return whether it wrote.

    Bookkeeping, not a business action: it writes no audit entry (one per minute per caller would drown
    the log) and touches only ``last_used_at``.
    """
    if credential.last_used_at is not None and at - credential.last_used_at < every:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=at - every)
    written = ApiCredential.objects.filter(stale, pk=credential.pk).update(last_used_at=at) > 0
    # Written now, or by another app server within ``every``: either way this copy (which may be cached for
    # later requests) need not try again before ``every`` has passed.
    credential.last_used_at = at
    return written
