"""Work files over the API: list, read, open, add and remove documents, close."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from lienthong.core.errors import DomainError
from lienthong.directory.auth import api_auth
from lienthong.directory.selectors import agency_for

from .. import selectors, services
from ..models import IncomingDocument, OutgoingDocument, RetentionPeriod
from .common import actor, person_in, principal, unit_in
from .outputs import WorkFileOut, work_file_out
from .schemas import ItemIn, WorkFileIn

router = Router(auth=api_auth)


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return work_file_out(selectors.work_file_for(principal(request), pk))


@router.get(
    "/work-files",
    response=list[WorkFileOut],
    url_name="documents_work_files",
    summary="Danh sách hồ sơ công việc",
)
def work_file_list(
    request: HttpRequest, agency: str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    found = selectors.work_files(principal(request))
    if agency:
        found = found.filter(agency__code=agency)
    if year:
        found = found.filter(year=year)
    return [work_file_out(w) for w in found[:500]]


@router.post(
    "/work-files",
    response={201: WorkFileOut},
    url_name="documents_work_file_create",
    summary="Lập hồ sơ công việc",
)
def work_file_create(request: HttpRequest, payload: WorkFileIn) -> Status[dict[str, Any]]:
    agency = agency_for(principal(request), payload.agency.strip())
    retention = RetentionPeriod.objects.filter(name=payload.retention.strip()).first()
    if retention is None:
        raise DomainError(
            message=_("Không có thời hạn bảo quản “%(name)s” trong danh mục.")
            % {"name": payload.retention[:100]},
            rule="unknown_retention",
            field="retention",
        )
    work_file = services.create_work_file(
        actor=actor(request),
        agency=agency,
        year=payload.year,
        code=payload.code,
        title=payload.title,
        retention=retention,
        responsible_unit=unit_in(agency, payload.responsible_unit, "responsible_unit")
        if payload.responsible_unit
        else None,
        responsible_person=(
            person_in(agency, payload.responsible_person, "responsible_person")
            if payload.responsible_person
            else None
        ),
        description=payload.description,
    )
    return Status(201, _fresh(request, work_file.pk))


@router.get(
    "/work-files/{pk}",
    response=WorkFileOut,
    url_name="documents_work_file_detail",
    summary="Xem hồ sơ công việc",
)
def work_file_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _fresh(request, pk)


def _document(request: HttpRequest, item: ItemIn) -> OutgoingDocument | IncomingDocument:
    if item.kind == "outgoing":
        return selectors.outgoing_for(principal(request), item.id)
    return selectors.incoming_for(principal(request), item.id)


@router.post(
    "/work-files/{pk}/items",
    response=WorkFileOut,
    url_name="documents_work_file_add",
    summary="Thêm văn bản vào hồ sơ",
)
def work_file_add(request: HttpRequest, pk: int, payload: ItemIn) -> dict[str, Any]:
    work_file = selectors.work_file_for(principal(request), pk)
    services.add_to_work_file(actor=actor(request), work_file=work_file, document=_document(request, payload))
    return _fresh(request, pk)


@router.post(
    "/work-files/{pk}/items/remove",
    response=WorkFileOut,
    url_name="documents_work_file_remove",
    summary="Bỏ văn bản khỏi hồ sơ",
)
def work_file_remove(request: HttpRequest, pk: int, payload: ItemIn) -> dict[str, Any]:
    work_file = selectors.work_file_for(principal(request), pk)
    services.remove_from_work_file(
        actor=actor(request), work_file=work_file, document=_document(request, payload)
    )
    return _fresh(request, pk)


@router.post(
    "/work-files/{pk}/close", response=WorkFileOut, url_name="documents_work_file_close", summary="Đóng hồ sơ"
)
def work_file_close(request: HttpRequest, pk: int) -> dict[str, Any]:
    services.close_work_file(actor=actor(request), work_file=selectors.work_file_for(principal(request), pk))
    return _fresh(request, pk)
