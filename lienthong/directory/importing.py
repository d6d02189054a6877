"""Importing the agency directory from CSV or XLSX: all rows or nothing, audited, idempotent.

:func:`import_directory` reads the file with :mod:`.tabular` against a snapshot of the directory taken in two
queries, and writes only if no row breaks a rule. Rows go through :func:`.services.upsert_agency` and
:func:`.services.upsert_unit` (each change audited there), parents before children. A row equal to what is
stored is skipped without a query, so importing the same file again — or a file just exported — changes
nothing and writes no audit entry. Columns absent from the file are left as they are.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lienthong.core import spreadsheet
from lienthong.core.errors import DomainError, FieldProblem, PermissionDenied

from . import tabular
from .exporting import agency_row, cells_of, unit_row
from .models import Agency, Person, Unit
from .services import upsert_agency, upsert_unit
from .tabular import HEADER, AgencyRow, Existing, RowError, UnitRow

# Column key → model field, for the columns each kind of row may change (the rest are keys or ignored).
AGENCY_COLUMNS = {
    "name": "name", "short_name": "short_name", "tier": "tier", "parent_code": "parent", "address": "address",
    "phone": "phone", "email": "email", "website": "website", "is_active": "is_active",
    "valid_from": "valid_from", "valid_to": "valid_to", "successor_code": "successor",
}  # fmt: skip
UNIT_COLUMNS = {
    "name": "name", "short_name": "short_name", "unit_kind": "kind", "parent_unit_code": "parent",
    "is_active": "is_active",
}  # fmt: skip
_ROW_ATTRIBUTE = {"unit_kind": "kind", "parent_unit_code": "parent_code"}


@dataclass(frozen=True)
class Change:
    """One record the import creates or updates; ``changes`` is ``{column header: [before, after]}``."""

    line: int
    record_type: str  # tabular.AGENCY or tabular.UNIT
    label: str  # the agency code, or "agency code / unit code"
    name: str
    created: bool
    changes: dict[str, list[Any]]


@dataclass
class ImportResult:
    """What an import found and did; ``applied`` only when something was written."""

    record_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False
    seconds: float = 0.0

    @property
    def created(self) -> int:
        return sum(1 for c in self.changes if c.created)

    @property
    def updated(self) -> int:
        return sum(1 for c in self.changes if not c.created)


def may_import(actor: Person | None) -> bool:
    """Only system administrators import (or the system itself, from the command line)."""
    return actor is None or (actor.is_active and actor.is_superuser)


def import_directory(*, actor: Person | None, content: bytes, dry_run: bool = False) -> ImportResult:
    """Check ``content`` and, when every row is valid and ``dry_run`` is false, write it in one transaction.

    Raises :class:`DomainError` (field ``file``) when the file cannot be read at all; row problems come back
    in ``result.errors``, with nothing written. A dry run checks every rule and lists the changes without
    calling the services, so a preview of a whole province takes under a second.
    """
    if not may_import(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được nhập danh bạ."))
    started = time.perf_counter()
    result = ImportResult(dry_run=dry_run)
    try:
        table = spreadsheet.read_table(content)  # before the transaction: reading a big sheet takes a while
        with transaction.atomic():
            state = _Snapshot()
            parsed = tabular.parse_table(table, state.existing())
            result.record_count, result.ignored_headers = parsed.record_count, parsed.ignored_headers
            result.errors = list(parsed.errors)
            if not result.errors:
                _Writer(actor, state, parsed.columns, result, dry_run).write(parsed.agencies, parsed.units)
                result.changes.sort(key=lambda change: change.line)
            if result.errors or dry_run or not result.changes:
                transaction.set_rollback(True)
            else:
                result.applied = True
    except spreadsheet.FileRejected as exc:
        raise DomainError(message=exc.message, rule=exc.rule, field="file") from exc
    result.seconds = time.perf_counter() - started
    return result


class _Snapshot:
    """Every agency and unit, loaded once; kept current as the import writes."""

    def __init__(self) -> None:
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.code_by_id = {a.pk: code for code, a in self.agencies.items()}
        self.units: dict[tuple[str, str], Unit] = {}
        self.unit_code_by_id: dict[int, str] = {}
        for unit in Unit.objects.all():
            self.remember_unit(self.code_by_id[unit.agency_id], unit)

    def remember_agency(self, agency: Agency) -> None:
        self.agencies[agency.code] = agency
        self.code_by_id[agency.pk] = agency.code

    def remember_unit(self, agency_code: str, unit: Unit) -> None:
        self.units[(agency_code, unit.code)] = unit
        self.unit_code_by_id[unit.pk] = unit.code

    def existing(self) -> Existing:
        return Existing(
            agency_parents={c: self.code_by_id.get(a.parent_id or 0, "") for c, a in self.agencies.items()},
            unit_parents={k: self.unit_code_by_id.get(u.parent_id or 0, "") for k, u in self.units.items()},
        )


def _diff(
    before: AgencyRow | UnitRow | None, after: AgencyRow | UnitRow, keys: list[str]
) -> dict[str, list[str]]:
    """``{header: [before, after]}`` as the file writes the values; for a new record, the filled columns."""
    new = cells_of(after)
    old = cells_of(before) if before is not None else dict.fromkeys(new)
    return {
        HEADER[k]: [tabular.cell_text(old[k]), tabular.cell_text(new[k])]
        for k in keys
        if old[k] != new[k] and (before is not None or new[k] not in ("", None))
    }


class _Writer:
    """Writes checked rows through the services; a service's refusal becomes a row error (and a rollback)."""

    def __init__(
        self,
        actor: Person | None,
        state: _Snapshot,
        columns: frozenset[str],
        result: ImportResult,
        dry_run: bool,
    ) -> None:
        self.actor, self.state, self.result, self.dry_run = actor, state, result, dry_run
        self.agency_keys = [k for k in AGENCY_COLUMNS if k in columns]
        self.unit_keys = [k for k in UNIT_COLUMNS if k in columns]

    def write(self, agencies: list[AgencyRow], units: list[UnitRow]) -> None:
        late = [row for row in agencies if self.agency(row)]
        for row in late:  # successors named before their own row: set once every agency exists
            self.upsert_agency(row, {"successor": row.successor_code})
        for unit in units:
            self.unit(unit)

    def agency(self, row: AgencyRow) -> bool:
        """Write ``row`` if it differs from the database; True when its successor waits for a second pass."""
        current = self.state.agencies.get(row.code)
        before = agency_row(current, self.state.code_by_id) if current else None
        changes = _diff(before, row, self.agency_keys)
        if before is not None and not changes:
            self.result.unchanged += 1
            return False
        change = Change(row.line, tabular.AGENCY, row.code, row.name, current is None, changes)
        if self.dry_run:
            self.result.changes.append(change)
            return False
        fields = {AGENCY_COLUMNS[k]: getattr(row, k) for k in self.agency_keys}
        late = bool(row.successor_code) and row.successor_code not in self.state.agencies
        if late:
            del fields["successor"]
        if self.upsert_agency(row, fields):
            self.result.changes.append(change)
        return late

    def upsert_agency(self, row: AgencyRow, fields: dict[str, Any]) -> bool:
        try:
            for name in ("parent", "successor"):
                if name in fields:
                    fields[name] = self.state.agencies[fields[name]] if fields[name] else None
            agency, _changed = upsert_agency(actor=self.actor, code=row.code, **fields)
        except (DomainError, KeyError) as exc:
            self.failed(row.line, exc, AGENCY_COLUMNS)
            return False
        self.state.remember_agency(agency)
        return True

    def unit(self, row: UnitRow) -> None:
        current = self.state.units.get(row.key)
        before = unit_row(current, row.agency_code, self.state.unit_code_by_id) if current else None
        changes = _diff(before, row, self.unit_keys)
        if before is not None and not changes:
            self.result.unchanged += 1
            return
        label = f"{row.agency_code} / {row.code}"
        change = Change(row.line, tabular.UNIT, label, row.name, current is None, changes)
        if self.dry_run:
            self.result.changes.append(change)
            return
        fields = {UNIT_COLUMNS[k]: getattr(row, _ROW_ATTRIBUTE.get(k, k)) for k in self.unit_keys}
        try:
            if "parent" in fields:
                fields["parent"] = (
                    self.state.units[(row.agency_code, fields["parent"])] if fields["parent"] else None
                )
            agency = self.state.agencies[row.agency_code]
            unit, _changed = upsert_unit(actor=self.actor, agency=agency, code=row.code, **fields)
        except (DomainError, KeyError) as exc:
            self.failed(row.line, exc, {**UNIT_COLUMNS, "unit_code": "code", "code": "agency"})
            return
        self.state.remember_unit(row.agency_code, unit)
        self.result.changes.append(change)

    def failed(self, line: int, exc: Exception, columns: dict[str, str]) -> None:
        if not isinstance(exc, DomainError):  # KeyError: a parent or agency whose own row failed before
            message = _("phụ thuộc một dòng khác bị lỗi ({code}).").format(
                code=exc.args[0] if exc.args else ""
            )
            self.result.errors.append(RowError(line, "", "dependency", message))
            return
        by_field = {"code": "code", **{model_field: key for key, model_field in columns.items()}}
        for problem in exc.problems or [FieldProblem("", exc.rule, exc.message)]:
            column = HEADER.get(by_field.get(problem.field, ""), "")
            self.result.errors.append(RowError(line, column, problem.rule, problem.message))
