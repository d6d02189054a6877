"""Every change to the catalogue: saving a procedure as a new version, cancelling it, internal processes.

Each function is atomic, audited, and raises :class:`DomainError` naming the field and the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lienthong.audit.services import record as audit
from lienthong.core.errors import DomainError, FieldProblem
from lienthong.core.text import fold
from lienthong.directory.models import Agency, Person, Unit

from .models import Field, InternalProcess, InternalStep, Procedure, ProcedureAgency, ProcedureVersion, Status
from .record import ProcedureRecord, diff, local_code
from .selectors import forget_cached_procedures

Actor = Person | None


@dataclass(frozen=True)
class SaveResult:
    procedure: Procedure
    version: ProcedureVersion | None  # None when the record equals the current version
    created: bool
    changes: dict[str, tuple[Any, Any]]


def _actor_label(actor: Actor) -> str:
    return actor.get_username() if actor is not None else "hệ thống"


def validate_record(record: ProcedureRecord) -> None:
    problems = [FieldProblem(field, rule, message) for field, rule, message in record.problems()]
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise DomainError(
            message=_("Thủ tục %(code)s không hợp lệ – %(summary)s")
            % {"code": record.code, "summary": summary},
            rule="validation",
            problems=problems,
        )


def search_text_of(record: ProcedureRecord) -> str:
    return fold(f"{record.code} {record.name} {record.field_name} {record.field_code}")


def _agencies(codes: Sequence[str]) -> list[Agency]:
    found = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise DomainError(
            message=_("Cơ quan thực hiện chưa có trong danh bạ: %(codes)s.") % {"codes": ", ".join(missing)},
            rule="unknown_agency",
            field="agencies",
        )
    return [found[code] for code in codes]


@transaction.atomic
def save_procedure(*, actor: Actor, record: ProcedureRecord, source: str = "") -> SaveResult:
    """Create the procedure, or give it a new version when ``record`` differs from the current one."""
    validate_record(record)
    agencies = _agencies(record.agencies)
    field, _created = Field.objects.get_or_create(
        code=record.field_code, defaults={"name": record.field_name}
    )
    if field.name != record.field_name and record.field_name:
        field.name = record.field_name
        field.save(update_fields=["name"])
    data = record.as_dict()
    procedure = Procedure.objects.select_for_update().filter(code=record.code).first()
    created = procedure is None
    current = procedure.current_version.record if procedure and procedure.current_version else None
    changes = diff(current, data)
    if procedure is not None and not changes:
        return SaveResult(procedure, None, False, {})
    if procedure is None:
        procedure = Procedure(code=record.code)
    procedure.name = record.name
    procedure.field = field
    procedure.online_level = record.online_level
    procedure.status = record.status
    procedure.tiers = list(record.tiers)
    procedure.processing_value = record.processing_value
    procedure.processing_unit = record.processing_unit
    procedure.search_text = search_text_of(record)
    procedure.save()
    number = (procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=number, record=data, created_by=_actor_label(actor), source=source[:200]
    )
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    _sync_implementations(procedure, agencies)
    # This process sees the change at once (and again after commit, in case a request cached the old one
    # meanwhile); other app servers within LIENTHONG_CATALOG_CACHE_SECONDS.
    forget_cached_procedures()
    transaction.on_commit(forget_cached_procedures)
    audit(
        actor=actor,
        action="procedure.create" if created else "procedure.new_version",
        obj=procedure,
        changes={"version": [number - 1 or None, number], **{k: list(v) for k, v in changes.items()}},
    )
    return SaveResult(procedure, version, created, changes)


def _sync_implementations(procedure: Procedure, agencies: list[Agency]) -> None:
    wanted = {a.pk: a for a in agencies}
    procedure.implementations.exclude(agency_id__in=wanted).delete()
    existing = set(procedure.implementations.values_list("agency_id", flat=True))
    ProcedureAgency.objects.bulk_create(
        ProcedureAgency(procedure=procedure, agency=a, local_code=local_code(procedure.code, a.code))
        for pk, a in wanted.items()
        if pk not in existing
    )


@transaction.atomic
def cancel_procedure(*, actor: Actor, procedure: Procedure, source: str = "") -> SaveResult:
    """Cancel (bãi bỏ) a procedure: a new version with status cancelled. It is never deleted, because dossiers
    keep pointing at their version; it leaves the public portal."""
    procedure = (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=procedure.pk)
    )
    if procedure.status == Status.CANCELLED or procedure.current_version is None:
        return SaveResult(procedure, None, False, {})
    record = ProcedureRecord.from_dict(procedure.current_version.record)
    return save_procedure(actor=actor, record=replace(record, status=Status.CANCELLED), source=source)


@dataclass(frozen=True)
class StepInput:
    title: str
    allowance_hours: Decimal
    unit_id: int | None = None
    role: str = ""


def legal_hours(procedure: Procedure, hours_per_day: Decimal = Decimal(8)) -> Decimal:
    """The legal processing time in working hours; calendar days count as that many working days at most."""
    value = Decimal(str(procedure.processing_value))
    if procedure.processing_unit == "working_hours":
        return value
    return value * hours_per_day


@transaction.atomic
def set_internal_process(
    *, actor: Actor, procedure: Procedure, agency: Agency, steps: Sequence[StepInput]
) -> InternalProcess:
    """Replace the agency's internal process for ``procedure``; the allowances must fit the legal time."""
    if not steps:
        raise DomainError(message=_("Quy trình phải có ít nhất một bước."), rule="required", field="steps")
    for index, step in enumerate(steps):
        if not step.title.strip():
            raise DomainError(
                message=_("Bước %(n)d chưa có tên.") % {"n": index + 1},
                rule="required",
                field=f"steps[{index}].title",
            )
        if step.allowance_hours <= 0:
            raise DomainError(
                message=_("Bước %(n)d phải có thời gian lớn hơn 0.") % {"n": index + 1},
                rule="min",
                field=f"steps[{index}].allowance_hours",
            )
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[s.unit_id for s in steps if s.unit_id], agency=agency)
    }
    for index, step in enumerate(steps):
        if step.unit_id and step.unit_id not in units:
            raise DomainError(
                message=_("Đơn vị ở bước %(n)d không thuộc cơ quan %(agency)s.")
                % {"n": index + 1, "agency": agency.code},
                rule="unit_in_agency",
                field=f"steps[{index}].unit",
            )
    total = sum((s.allowance_hours for s in steps), Decimal(0))
    limit = legal_hours(procedure)
    if total > limit:
        raise DomainError(
            message=_(
                "Tổng thời gian các bước là %(total)s giờ làm việc, vượt thời hạn luật định %(limit)s giờ "
                "là %(over)s giờ. Hãy rút ngắn các bước."
            )
            % {"total": _hours(total), "limit": _hours(limit), "over": _hours(total - limit)},
            rule="allowance_exceeds_legal_time",
            field="steps",
        )
    process, _created = InternalProcess.objects.select_for_update().get_or_create(
        procedure=procedure, agency=agency
    )
    before = [[s.title, str(s.allowance_hours), s.unit_id, s.role] for s in process.steps.order_by("order")]
    process.steps.all().delete()
    InternalStep.objects.bulk_create(
        InternalStep(
            process=process,
            order=i + 1,
            title=s.title.strip(),
            allowance_hours=s.allowance_hours,
            unit_id=s.unit_id,
            role=s.role,
        )
        for i, s in enumerate(steps)
    )
    after = [[s.title.strip(), str(s.allowance_hours), s.unit_id, s.role] for s in steps]
    process.save()
    audit(
        actor=actor,
        action="internal_process.set",
        obj=process,
        agency_code=agency.code,
        changes={"steps": [before, after]},
    )
    return process


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")
