"""Importing procedures from a national JSON file or a sheet: a dry run first, then applying exactly that.

:func:`preview_import` reads the file (:mod:`.national` or :mod:`.xlsx`), compares every record with the
catalogue and stores the bytes with a report — new, changed (field by field), unchanged and cancelled
procedures, errors and warnings — writing nothing to the catalogue. :func:`apply_import` writes that report
through :func:`.services.save_procedure` and :func:`.services.cancel_procedure` in one transaction and records
who applied it and when.

Rules (described for administrators in ``docs/thu-tuc-nhap.md``):

- A field the file does not give keeps the catalogue's value (a new procedure gets the default); a component
  keeps its required flag, template and file types when the file leaves them out and the name matches. So a
  national record without a status keeps a local suspension, but a cancelled procedure that the national file
  lists again is reinstated (active).
- Agencies: the codes that exist in our directory. Unknown codes in a national file are dropped with a warning
  (a national file lists other provinces' agencies); in a sheet — the province's own file — they are errors.
  When the file names none of our agencies, the procedure keeps the agencies it has.
- Cancelled: a procedure still in force in the catalogue (active or suspended) that the file marks cancelled,
  or — when ``missing_means_cancelled``, the default for a national file (a full export of the national
  catalogue) but not for a sheet — that the file does not contain. Cancelling makes a new version with status
  cancelled; nothing is ever deleted.
- Any error: applying is refused; nothing is written.
- If the catalogue changed between the dry run and "apply" so that the plan is no longer the one previewed,
  applying is refused (409, rule ``catalogue_changed``) and the stored report is refreshed, so the
  administrator applies only what they have seen.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.audit.services import record as audit
from lienthong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from lienthong.directory.models import Agency, Person

from . import services
from .incoming import ImportFileError, ParsedRecord, ParseResult, RecordProblem
from .models import CatalogImport, Procedure, Status
from .national import MAX_JSON_BYTES, parse_national
from .record import ProcedureRecord, diff
from .xlsx import REQUIRED_FOR_NEW, parse_table

REPORT_VERSION = 1
_RECORD_FIELDS = tuple(f.name for f in fields(ProcedureRecord))


def may_import(actor: Person | None) -> bool:
    """Only system administrators import (or the system itself, from the command line)."""
    return actor is None or bool(actor.is_active and actor.is_superuser)


def _require_admin(actor: Person | None) -> None:
    if not may_import(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được nhập thủ tục hành chính."))


def is_json(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def parse_file(content: bytes) -> ParseResult:
    """Read a national JSON file or a CSV/XLSX sheet (told by content); :class:`DomainError` on field ``file``
    when the file as a whole is unreadable."""
    try:
        return parse_national(content) if is_json(content) else parse_table(content)
    except ImportFileError as exc:
        raise DomainError(message=exc.message, rule=exc.rule, field="file") from exc


@dataclass
class Plan:
    """What applying the file would do to the catalogue as it is now."""

    parsed: ParseResult
    missing_means_cancelled: bool
    errors: list[RecordProblem] = field(default_factory=list)
    warnings: list[RecordProblem] = field(default_factory=list)
    new: list[tuple[str, ProcedureRecord]] = field(default_factory=list)  # (where, record)
    changed: list[tuple[str, ProcedureRecord, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    unchanged: list[tuple[str, str, str]] = field(default_factory=list)  # (where, code, name)
    cancelled: list[tuple[str, str, str, str]] = field(default_factory=list)  # (where, code, name, reason)

    def fingerprint(self) -> str:
        """Equal for two plans that would write the same things."""
        payload = {
            "new": [r.as_dict() for _w, r in self.new],
            "changed": [[r.code, r.as_dict()] for _w, r, _c in self.changed],
            "cancelled": sorted(code for _w, code, _n, _r in self.cancelled),
            "errors": len(self.errors),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def report(self) -> dict[str, Any]:
        counts = {
            "records": self.parsed.record_count,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "cancelled": len(self.cancelled),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }
        versions = dict(
            Procedure.objects.filter(code__in=[c for _w, c, _n, _r in self.cancelled])
            .annotate(n=Count("versions"))
            .values_list("code", "n")
        )
        return {
            "version": REPORT_VERSION,
            "format": self.parsed.format,
            "missing_means_cancelled": self.missing_means_cancelled,
            "cancel_rule": "marked_or_missing" if self.missing_means_cancelled else "marked_only",
            "counts": counts,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "new": [
                {
                    "where": where,
                    "code": r.code,
                    "name": r.name,
                    "field_name": r.field_name,
                    "processing_value": r.processing_value,
                    "processing_unit": r.processing_unit,
                    "agencies": list(r.agencies),
                }
                for where, r in self.new
            ],
            "changed": [
                {
                    "where": where,
                    "code": r.code,
                    "name": r.name,
                    "changes": {k: list(v) for k, v in c.items()},
                }
                for where, r, c in self.changed
            ],
            "unchanged": [{"where": w, "code": c, "name": n} for w, c, n in self.unchanged],
            "cancelled": [
                {"where": w, "code": c, "name": n, "reason": reason, "versions": versions.get(c, 0)}
                for w, c, n, reason in self.cancelled
            ],
            "fingerprint": self.fingerprint(),
        }


@dataclass(frozen=True)
class _Current:
    status: str
    name: str
    stored: dict[str, Any]
    record: ProcedureRecord | None


def _catalogue() -> dict[str, _Current]:
    current: dict[str, _Current] = {}
    rows = Procedure.objects.values_list("code", "status", "name", "current_version__record")
    for code, status, name, stored in rows.iterator(chunk_size=2000):
        record = ProcedureRecord.from_dict(stored) if stored else None
        current[code] = _Current(status, name, stored or {}, record)
    return current


def plan_import(parsed: ParseResult, *, missing_means_cancelled: bool) -> Plan:
    """Compare ``parsed`` with the catalogue; reads only."""
    plan = Plan(parsed, missing_means_cancelled, list(parsed.errors), list(parsed.warnings))
    catalogue = _catalogue()
    known_agencies = set(Agency.objects.values_list("code", flat=True))
    for item in parsed.records:
        now = catalogue.get(item.code)
        record = _complete(plan, item, now.record if now else None, known_agencies)
        if record is None:
            continue
        if record.status == Status.CANCELLED:
            if now is None:
                plan.warnings.append(
                    RecordProblem(
                        item.where,
                        item.code,
                        "",
                        "cancelled_unknown",
                        _("đã bãi bỏ và chưa có trong danh mục; bỏ qua."),
                    )
                )
            elif now.status == Status.CANCELLED:
                plan.unchanged.append((item.where, item.code, now.name))
            else:
                plan.cancelled.append((item.where, item.code, now.name, "marked"))
            continue
        changes = diff(now.stored if now else None, record.as_dict())
        if now is None or now.record is None:
            plan.new.append((item.where, record))
        elif changes:
            plan.changed.append((item.where, record, changes))
        else:
            plan.unchanged.append((item.where, item.code, now.name))
    if missing_means_cancelled:
        for code, now in sorted(catalogue.items()):
            if code not in parsed.codes and now.status != Status.CANCELLED:
                plan.cancelled.append(("", code, now.name, "missing"))
    return plan


def _complete(
    plan: Plan, item: ParsedRecord, current: ProcedureRecord | None, known_agencies: set[str]
) -> ProcedureRecord | None:
    """The record to save: the file's fields over the catalogue's, our agencies only; ``None`` on errors."""
    parsed = plan.parsed

    def problem(path: str, rule: str, message: str) -> RecordProblem:
        return RecordProblem(item.where, item.code, parsed.label(path) if path else "", rule, message)

    errors: list[RecordProblem] = []
    record = item.record
    if current is None:
        for name in REQUIRED_FOR_NEW:
            if name not in item.provided:
                errors.append(problem(name, "required_for_new", _("bắt buộc khi thêm thủ tục mới.")))
    else:
        kept = {name: getattr(current, name) for name in _RECORD_FIELDS if name not in item.provided}
        kept.pop("agencies", None)
        if kept.get("status") == "cancelled" and parsed.format == "national":
            kept.pop("status")  # listed again by the national database without a status: in force again
        record = replace(record, **kept)
        if "components" in item.provided and item.unspecified:
            by_name = {c.name: c for c in current.components}
            merged = []
            for component, unsaid in zip(record.components, item.unspecified, strict=False):
                before = by_name.get(component.name)
                if before is not None and unsaid:
                    component = replace(component, **{attr: getattr(before, attr) for attr in unsaid})
                merged.append(component)
            record = replace(record, components=tuple(merged))
    ours = tuple(code for code in record.agencies if code in known_agencies)
    unknown = [label for label in item.agency_labels if label not in known_agencies]
    if unknown and parsed.format == "national":
        plan.warnings.append(
            problem(
                "agencies",
                "unknown_agency",
                _("không có trong danh bạ, bỏ qua: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        )
    elif unknown:
        errors.append(
            problem(
                "agencies",
                "unknown_agency",
                _("chưa có trong danh bạ: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        )
    record = replace(record, agencies=ours or (current.agencies if current else ()))
    if not errors:  # a missing required field would also break the shape rules: say it once
        errors.extend(problem(path, rule, message) for path, rule, message in record.problems())
    plan.errors.extend(errors)
    return None if errors else record


def _options(content: bytes, missing_means_cancelled: bool | None) -> tuple[ParseResult, bool]:
    parsed = parse_file(content)
    if missing_means_cancelled is None:
        missing_means_cancelled = parsed.format == "national"
    return parsed, missing_means_cancelled


def preview_import(
    *, actor: Person | None, file_name: str, content: bytes, missing_means_cancelled: bool | None = None
) -> CatalogImport:
    """Check ``content`` against the catalogue and store it with the dry-run report; writes no procedure."""
    _require_admin(actor)
    if len(content) > MAX_JSON_BYTES:
        raise DomainError(message=_("Tệp lớn hơn 50 MB."), rule="file_size", field="file")
    started = time.perf_counter()
    parsed, missing = _options(content, missing_means_cancelled)
    report = plan_import(parsed, missing_means_cancelled=missing).report()
    report["seconds"] = round(time.perf_counter() - started, 3)
    with transaction.atomic():
        imported = CatalogImport.objects.create(
            file_name=(file_name or "tep")[:300],
            file_format=parsed.format,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            report=report,
            created_by=actor.get_username() if actor is not None else "hệ thống",
        )
        changes = {"file_name": [None, imported.file_name], "counts": [None, report["counts"]]}
        audit(actor=actor, action="catalog_import.preview", obj=imported, changes=changes)
    return imported


def get_import(import_id: int) -> CatalogImport:
    found = CatalogImport.objects.filter(pk=import_id).first()
    if found is None:
        raise NotFound(_("Không có lần nhập thủ tục số %(id)s.") % {"id": import_id})
    return found


def recent_imports(limit: int = 20) -> QuerySet[CatalogImport]:
    return CatalogImport.objects.defer("content", "report").order_by("-created_at", "-pk")[:limit]


def apply_import(*, actor: Person | None, import_id: int) -> dict[str, Any]:
    """Write the previewed import in one transaction; returns the report with who applied it and when.

    Refuses (409) an import already applied, or one whose plan no longer matches the catalogue (the stored
    report is then refreshed); refuses (400) while the file has errors. Nothing is written when it refuses.
    """
    _require_admin(actor)
    with transaction.atomic():
        imported = CatalogImport.objects.select_for_update().filter(pk=import_id).first()
        if imported is None:
            raise NotFound(_("Không có lần nhập thủ tục số %(id)s.") % {"id": import_id})
        if imported.applied_at is not None:
            at = timezone.localtime(imported.applied_at).strftime("%H:%M %d/%m/%Y")
            raise Conflict(
                _("Lần nhập này đã được áp dụng lúc %(at)s bởi %(who)s.")
                % {"at": at, "who": imported.applied_by},
                rule="already_applied",
            )
        parsed, missing = _options(bytes(imported.content), imported.report.get("missing_means_cancelled"))
        plan = plan_import(parsed, missing_means_cancelled=missing)
        if plan.errors:
            raise DomainError(
                message=_("Tệp còn %(n)d lỗi; sửa tệp rồi tải lên lại. Không có gì được ghi.")
                % {"n": len(plan.errors)},
                rule="import_has_errors",
                field="file",
            )
        report = plan.report()
        if report["fingerprint"] == imported.report.get("fingerprint"):
            _write(plan, actor, imported)
            imported.applied_at = timezone.now()
            imported.applied_by = actor.get_username() if actor is not None else "hệ thống"
            report.update(
                seconds=imported.report.get("seconds"),
                applied_at=imported.applied_at.isoformat(),
                applied_by=imported.applied_by,
            )
            imported.report = report
            imported.save(update_fields=["applied_at", "applied_by", "report"])
            audit(
                actor=actor,
                action="catalog_import.apply",
                obj=imported,
                changes={"counts": [None, report["counts"]]},
            )
            return report
    with transaction.atomic():  # the catalogue moved since the dry run: show the new plan, apply nothing
        report["seconds"] = imported.report.get("seconds")
        CatalogImport.objects.filter(pk=import_id, applied_at__isnull=True).update(report=report)
        audit(
            actor=actor,
            action="catalog_import.refresh",
            obj=imported,
            changes={"counts": [None, report["counts"]]},
        )
    message = _(
        "Danh mục thủ tục đã thay đổi từ lúc chạy thử; kết quả chạy thử đã được tính lại. Hãy xem lại rồi áp dụng."
    )
    raise Conflict(message, rule="catalogue_changed")


def _write(plan: Plan, actor: Person | None, imported: CatalogImport) -> None:
    source = _("Nhập tệp %(name)s (lần nhập %(id)d)") % {"name": imported.file_name, "id": imported.pk}
    for _where, record in plan.new:
        services.save_procedure(actor=actor, record=record, source=source)
    for _where, record, _changes in plan.changed:
        services.save_procedure(actor=actor, record=record, source=source)
    codes = [code for _w, code, _n, _r in plan.cancelled]
    for procedure in Procedure.objects.filter(code__in=codes).order_by("code"):
        services.cancel_procedure(actor=actor, procedure=procedure, source=source)
