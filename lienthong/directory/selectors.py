"""Reads of the directory, scoped to what the caller may see (agency scoping lives here, once).

The caller is a *principal*: a signed-in :class:`Person` or an :class:`ApiCredential` of an external system.

- A system administrator (``is_superuser``) sees every agency.
- An officer sees the agencies where they hold an *active* role (:class:`RoleAssignment`).
- An API credential is bound to one agency and sees only that one.

Anything outside that scope answers 404 — the same answer as for something that does not exist, so a caller
cannot learn what lies outside their scope. Seeing an agency is not enough to change it: only its agency
administrators and system administrators may (:func:`can_change_agency`); everyone else reads.
"""

from __future__ import annotations

import functools
import time as monotonic_clock
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import history_of
from lienthong.core.errors import PermissionDenied
from lienthong.core.text import fold

from .models import Agency, ApiCredential, Person, Role, RoleAssignment, Unit

# A signed-in person, an external system's credential, or anything else (an anonymous user sees nothing).
Principal = Person | ApiCredential | AbstractBaseUser | AnonymousUser

NOT_VISIBLE = "Không tìm thấy, hoặc nằm ngoài phạm vi cơ quan của bạn."


def roles_of(person: Any) -> QuerySet[RoleAssignment]:
    """The active roles a signed-in person holds, with their agency, unit and position."""
    if not getattr(person, "is_authenticated", False):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(person=person, is_active=True, agency__is_active=True)
        .select_related("agency", "unit", "position")
        .order_by("agency__code", "role")
    )


def _signed_in_person(principal: Principal) -> Person | None:
    if isinstance(principal, Person) and principal.is_authenticated and principal.is_active:
        return principal
    return None


def is_system_admin(principal: Principal) -> bool:
    person = _signed_in_person(principal)
    return bool(person is not None and person.is_superuser)


def visible_agencies(principal: Principal) -> QuerySet[Agency]:
    """Every agency ``principal`` may see, as a query to filter further."""
    if isinstance(principal, ApiCredential):
        if not principal.is_active:
            return Agency.objects.none()
        return Agency.objects.filter(pk=principal.agency_id)
    person = _signed_in_person(principal)
    if person is None:
        return Agency.objects.none()
    if person.is_superuser:
        return Agency.objects.all()
    held = RoleAssignment.objects.filter(person=person, is_active=True).values("agency_id")
    return Agency.objects.filter(pk__in=held)


def agency_for(principal: Principal, code: str) -> Agency:
    """The agency with ``code`` if ``principal`` may see it; otherwise :class:`Http404` (never says which)."""
    agency = visible_agencies(principal).select_related("parent", "successor").filter(code=code).first()
    if agency is None:
        raise Http404(NOT_VISIBLE)
    return agency


def can_change_agency(principal: Principal, agency: Agency) -> bool:
    """Whether ``principal`` may change ``agency``'s record, units, roles and credentials.

    System administrators may change every agency; an agency administrator the agency where that role is
    active. API credentials only read the directory.
    """
    person = _signed_in_person(principal)
    if person is None:
        return False
    if person.is_superuser:
        return True
    return RoleAssignment.objects.filter(
        person=person, agency=agency, role=Role.AGENCY_ADMIN, is_active=True
    ).exists()


def agency_for_change(principal: Principal, code: str) -> Agency:
    """The agency with ``code`` for a change: 404 outside the scope, 403 (rule ``role_required``) read-only."""
    agency = agency_for(principal, code)
    if not can_change_agency(principal, agency):
        raise PermissionDenied(
            "Chỉ quản trị của cơ quan này hoặc quản trị hệ thống được thay đổi thông tin cơ quan.",
            rule="role_required",
        )
    return agency


def search_agencies(
    principal: Principal, *, q: str = "", tier: str | None = None, active: bool | None = None
) -> list[Agency]:
    """The visible agencies matching ``q`` in code, name or short name, ignoring case and diacritics.

    "so noi vu" finds "Sở Nội vụ". Folding runs in Python so it behaves the same on SQLite and PostgreSQL;
    a province has hundreds of agencies, not millions.
    """
    agencies = visible_agencies(principal).select_related("parent", "successor").order_by("code")
    if tier:
        agencies = agencies.filter(tier=tier)
    if active is not None:
        agencies = agencies.filter(is_active=active)
    words = fold(q).split()
    if not words:
        return list(agencies)
    found = []
    for agency in agencies:
        haystack = fold(f"{agency.code} {agency.name} {agency.short_name}")
        if all(word in haystack for word in words):
            found.append(agency)
    return found


def children_of(principal: Principal, agency: Agency) -> QuerySet[Agency]:
    """The agencies directly under ``agency`` that ``principal`` may see."""
    return visible_agencies(principal).filter(parent=agency).order_by("code")


def predecessors_of(principal: Principal, agency: Agency) -> QuerySet[Agency]:
    """The agencies merged into ``agency`` (their successor) that ``principal`` may see."""
    return visible_agencies(principal).filter(successor=agency).order_by("code")


def related_is_visible(principal: Principal, agency: Agency | None) -> bool:
    """Whether a related agency (a parent, a successor) may be linked to from a page ``principal`` reads."""
    return agency is not None and visible_agencies(principal).filter(pk=agency.pk).exists()


def units_of(agency: Agency) -> QuerySet[Unit]:
    """The units of an agency the caller already may see."""
    return Unit.objects.filter(agency=agency).select_related("parent").order_by("code")


def unit_for(agency: Agency, pk: int) -> Unit:
    unit = units_of(agency).filter(pk=pk).first()
    if unit is None:
        raise Http404(NOT_VISIBLE)
    return unit


def people_of(agency: Agency) -> QuerySet[Person]:
    """People with an active role in ``agency``, each with ``agency_roles``: those roles, prefetched."""
    active_here = (
        RoleAssignment.objects.filter(agency=agency, is_active=True)
        .select_related("unit", "position")
        .order_by("role")
    )
    return (
        Person.objects.filter(roles__agency=agency, roles__is_active=True)
        .distinct()
        .order_by("full_name", "username")
        .prefetch_related(Prefetch("roles", queryset=active_here, to_attr="agency_roles"))
    )


def assignments_of(agency: Agency, *, include_revoked: bool = False) -> QuerySet[RoleAssignment]:
    assignments = RoleAssignment.objects.filter(agency=agency).select_related("person", "unit", "position")
    if not include_revoked:
        assignments = assignments.filter(is_active=True)
    return assignments.order_by("-is_active", "person__full_name", "role")


def assignment_for(agency: Agency, pk: int) -> RoleAssignment:
    assignment = assignments_of(agency, include_revoked=True).filter(pk=pk).first()
    if assignment is None:
        raise Http404(NOT_VISIBLE)
    return assignment


def credentials_of(agency: Agency) -> QuerySet[ApiCredential]:
    return ApiCredential.objects.filter(agency=agency).order_by("-is_active", "-created_at")


def credential_for(agency: Agency, pk: int) -> ApiCredential:
    credential = credentials_of(agency).filter(pk=pk).first()
    if credential is None:
        raise Http404(NOT_VISIBLE)
    return credential


def person_for(principal: Principal, pk: int) -> Person:
    """A person ``principal`` may see: themselves, or someone with an active role in a visible agency."""
    viewer = _signed_in_person(principal)
    if viewer is not None and viewer.pk == pk:
        return viewer
    agencies = visible_agencies(principal)
    person = (
        Person.objects.filter(pk=pk)
        .filter(Q(roles__agency__in=agencies, roles__is_active=True))
        .distinct()
        .first()
    )
    if person is None:
        raise Http404(NOT_VISIBLE)
    return person


def roles_seen_by(principal: Principal, person: Person) -> QuerySet[RoleAssignment]:
    """``person``'s active roles in the agencies ``principal`` may see (others stay hidden)."""
    return (
        RoleAssignment.objects.filter(person=person, is_active=True, agency__in=visible_agencies(principal))
        .select_related("agency", "unit", "position")
        .order_by("agency__code", "role")
    )


def agency_history(agency: Agency, *, newest_first: bool = False) -> QuerySet[AuditEntry]:
    """Audit entries about ``agency``'s own record (creation, edits, mergers)."""
    entries = history_of(agency)
    return entries.order_by("-id") if newest_first else entries


# --- API credentials ------------------------------------------------------------------------------------

_credentials: dict[str, tuple[ApiCredential, float]] = {}


def _credential_cache_seconds() -> float:
    return float(getattr(settings, "LIENTHONG_CREDENTIAL_CACHE_SECONDS", 2))


def forget_cached_credentials() -> None:
    _credentials.clear()


def credential_for_key(key_id: str) -> ApiCredential | None:
    """The credential with ``key_id`` and its agency (active or not: the caller decides), or ``None``.

    Every API call of an external system asks this, so a found credential is kept in this process for
    ``LIENTHONG_CREDENTIAL_CACHE_SECONDS`` (2 s by default): a revocation reaches the other app servers at most
    that late (the server that revokes forgets at once). An unknown key id is never kept.
    """
    now = monotonic_clock.monotonic()
    cached = _credentials.get(key_id)
    if cached is not None and now - cached[1] < _credential_cache_seconds():
        return cached[0]
    credential = _read_credential(key_id)
    if credential is None:
        _credentials.pop(key_id, None)
        return None
    if len(_credentials) > 10_000:  # never grow without bound, whatever callers send
        _credentials.clear()
    _credentials[key_id] = (credential, now)
    return credential


@functools.cache
def _credential_query(vendor: str) -> tuple[str, list[Any], list[Any]]:
    """The SQL and, per column, the field and its converters (built once per process and database)."""
    quote = connection.ops.quote_name
    columns: list[str] = []
    plans: list[list[Any]] = []
    for alias, model in (("c", ApiCredential), ("a", Agency)):
        plan = []
        for field in model._meta.concrete_fields:
            columns.append(f"{alias}.{quote(field.column)}")
            expression = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            plan.append((field.attname, expression, converters))
        plans.append(plan)
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(ApiCredential._meta.db_table)} c "
        f"JOIN {quote(Agency._meta.db_table)} a ON a.id = c.agency_id WHERE c.key_id = %s"
    )
    return sql, plans[0], plans[1]


def _build(model: Any, plan: list[Any], values: tuple[Any, ...]) -> Any:
    converted = []
    for (_name, expression, converters), value in zip(plan, values, strict=True):
        for converter in converters:
            value = converter(value, expression, connection)
        converted.append(value)
    # from_db is how the ORM itself builds instances from rows.
    return model.from_db(connection.alias, [name for name, _e, _c in plan], converted)


def _read_credential(key_id: str) -> ApiCredential | None:
    """One plain query for the credential and its agency: building it through the ORM cost several times the
    query itself (bench/README.md, dossier intake)."""
    sql, credential_plan, agency_plan = _credential_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(credential_plan)
    credential: ApiCredential = _build(ApiCredential, credential_plan, row[:split])
    credential.agency = _build(Agency, agency_plan, row[split:])
    return credential
