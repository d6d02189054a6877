"""Work files (hồ sơ công việc): opened by a staff member, filled with the agency's documents, closed when
the matter ends. A closed file takes and gives up no document."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Agency, Person, Role, Unit

from ..models import (
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    RetentionPeriod,
    WorkFile,
    WorkFileItem,
    WorkFileStatus,
)
from .common import KEEPER_ROLES, audit, clean_text, require_person, require_role, roles_in, units_in

STAFF_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK)
_CODE = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ.\-_/]{1,50}$")


def _can_manage(person: Person, work_file: WorkFile) -> bool:
    held = roles_in(person, work_file.agency)
    if held & {*KEEPER_ROLES, Role.UNIT_HEAD}:
        return True
    if work_file.responsible_person_id == person.pk:
        return True
    return work_file.responsible_unit_id is not None and work_file.responsible_unit_id in units_in(
        person, work_file.agency
    )


def _require_manager(person: Person, work_file: WorkFile) -> None:
    if not _can_manage(person, work_file):
        raise PermissionDenied(
            _("Chỉ người, đơn vị lập hồ sơ, trưởng đơn vị, lãnh đạo hoặc văn thư được thay đổi hồ sơ này."),
            rule="work_file_manager_required",
        )


def create_work_file(
    *,
    actor: Person,
    agency: Agency,
    year: int,
    code: str,
    title: str,
    retention: RetentionPeriod,
    responsible_unit: Unit | None = None,
    responsible_person: Person | None = None,
    description: str = "",
) -> WorkFile:
    actor = require_person(actor)
    require_role(
        actor,
        agency,
        STAFF_ROLES,
        rule="staff_role_required",
        message=_("Chỉ cán bộ của %(agency)s được lập hồ sơ công việc.") % {"agency": agency.name},
    )
    code = clean_text(code, field="code", label=_("Số, ký hiệu hồ sơ"), limit=50)
    if not _CODE.match(code):
        raise DomainError(
            message=_("Ký hiệu hồ sơ chỉ gồm chữ, số và các dấu . - _ /, không có khoảng trắng."),
            rule="code_shape",
            field="code",
        )
    title = clean_text(title, field="title", label=_("Tiêu đề hồ sơ"), limit=500)
    description = clean_text(description, field="description", label=_("Ghi chú"), limit=4000, required=False)
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        raise DomainError(
            message=_("Năm của hồ sơ phải từ 2000 đến %(max)d.") % {"max": this_year + 1},
            rule="range",
            field="year",
        )
    if not isinstance(retention, RetentionPeriod):
        raise DomainError(message=_("Cần chọn thời hạn bảo quản."), rule="required", field="retention")
    if responsible_unit is not None and responsible_unit.agency_id != agency.pk:
        raise DomainError(
            message=_("Đơn vị lập hồ sơ phải thuộc %(agency)s.") % {"agency": agency.name},
            rule="unit_other_agency",
            field="responsible_unit",
        )
    responsible_person = responsible_person or actor
    if not roles_in(responsible_person, agency):
        raise DomainError(
            message=_("Người lập hồ sơ phải là cán bộ của %(agency)s.") % {"agency": agency.name},
            rule="person_other_agency",
            field="responsible_person",
        )
    with transaction.atomic():
        if WorkFile.objects.filter(agency=agency, year=year, code=code).exists():
            raise Conflict(
                _("Năm %(year)d đã có hồ sơ ký hiệu %(code)s.") % {"year": year, "code": code},
                rule="duplicate_code",
                field="code",
            )
        work_file = WorkFile.objects.create(
            agency=agency,
            year=year,
            code=code,
            title=title,
            description=description,
            retention=retention,
            responsible_unit=responsible_unit,
            responsible_person=responsible_person,
            created_by=actor,
            opened_at=timezone.now(),
        )
        audit(
            actor,
            "work_file.create",
            work_file,
            agency,
            {"year": year, "code": code, "title": title, "retention": retention.name},
        )
    return work_file


def _locked(work_file: WorkFile) -> WorkFile:
    locked = WorkFile.objects.select_for_update(of=("self",)).select_related("agency").get(pk=work_file.pk)
    if locked.status == WorkFileStatus.CLOSED:
        raise Conflict(_("Hồ sơ đã đóng."), rule="work_file_closed", field="status")
    return locked


def _document_fields(work_file: WorkFile, document: OutgoingDocument | IncomingDocument) -> dict[str, object]:
    if isinstance(document, OutgoingDocument):
        if document.status != OutgoingStatus.ISSUED:
            raise DomainError(
                message=_("Chỉ văn bản đi đã phát hành được đưa vào hồ sơ."),
                rule="not_issued",
                field="document",
            )
        found: dict[str, object] = {"outgoing": document}
    elif isinstance(document, IncomingDocument):
        found = {"incoming": document}
    else:
        raise DomainError(
            message=_("Chỉ văn bản đi hoặc đến được đưa vào hồ sơ."), rule="type", field="document"
        )
    if document.agency_id != work_file.agency_id:
        raise DomainError(
            message=_("Văn bản phải thuộc cơ quan lập hồ sơ."), rule="document_other_agency", field="document"
        )
    return found


def add_to_work_file(
    *, actor: Person, work_file: WorkFile, document: OutgoingDocument | IncomingDocument
) -> WorkFileItem:
    actor = require_person(actor)
    _require_manager(actor, work_file)
    with transaction.atomic():
        locked = _locked(work_file)
        fields = _document_fields(locked, document)
        if locked.items.filter(**fields).exists():
            raise Conflict(_("Văn bản đã có trong hồ sơ."), rule="already_in_file", field="document")
        last = locked.items.aggregate(last=Max("ordinal"))["last"] or 0
        item = WorkFileItem.objects.create(
            work_file=locked, ordinal=last + 1, added_by=actor, added_at=timezone.now(), **fields
        )
        audit(
            actor,
            "work_file.add",
            locked,
            locked.agency,
            {"document": str(document), "ordinal": item.ordinal},
        )
    return item


def remove_from_work_file(
    *, actor: Person, work_file: WorkFile, document: OutgoingDocument | IncomingDocument
) -> None:
    actor = require_person(actor)
    _require_manager(actor, work_file)
    with transaction.atomic():
        locked = _locked(work_file)
        fields = (
            _document_fields(locked, document)
            if not isinstance(document, OutgoingDocument)
            else {"outgoing": document}
        )
        item = locked.items.filter(**fields).first()
        if item is None:
            raise DomainError(
                message=_("Văn bản không có trong hồ sơ."), rule="not_in_file", field="document", status=404
            )
        item.delete()
        audit(
            actor,
            "work_file.remove",
            locked,
            locked.agency,
            {"document": str(document), "ordinal": item.ordinal},
        )


def close_work_file(*, actor: Person, work_file: WorkFile) -> WorkFile:
    actor = require_person(actor)
    _require_manager(actor, work_file)
    with transaction.atomic():
        locked = _locked(work_file)
        locked.status = WorkFileStatus.CLOSED
        locked.closed_at, locked.closed_by = timezone.now(), actor
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        audit(actor, "work_file.close", locked, locked.agency, {"items": locked.items.count()})
    return locked
