"""Importing procedures through the API (system administrators, signed in): dry run, look, apply.

``POST /procedures/imports`` takes the file (national JSON, XLSX or CSV) and answers the dry-run report;
nothing is written to the catalogue until ``POST /procedures/imports/{id}/apply``. API credentials of external
systems may not import (403): an import changes the whole province's catalogue and must be a person's act.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from lienthong.core.errors import DomainError, PermissionDenied
from lienthong.directory.auth import api_auth
from lienthong.directory.models import ApiCredential, Person

from . import importing
from .models import CatalogImport
from .national import MAX_JSON_BYTES

router = Router(auth=api_auth, tags=["Nhập thủ tục"])


class ImportOut(Schema):
    id: int = Field(description="Số của lần nhập.")
    file_name: str = Field(description="Tên tệp đã tải lên.")
    file_format: str = Field(description="national (JSON theo CSDL quốc gia), xlsx hoặc csv.")
    sha256: str = Field(description="Mã băm SHA-256 của tệp.")
    created_at: datetime = Field(description="Thời điểm tải lên (chạy thử).")
    created_by: str = Field(description="Người tải lên.")
    applied_at: datetime | None = Field(description="Thời điểm áp dụng; null khi chưa áp dụng.")
    applied_by: str = Field(description="Người áp dụng; rỗng khi chưa áp dụng.")
    report: dict[str, Any] = Field(
        description=(
            "Báo cáo chạy thử: counts; new, changed (changes: {trường: [cũ, mới]}), unchanged, cancelled "
            "(reason: marked – tệp ghi đã bãi bỏ, missing – không có trong tệp); errors, warnings (where, code, "
            "field, rule, message, text); cancel_rule; fingerprint."
        )
    )


def _administrator(request: HttpRequest) -> Person:
    principal = getattr(request, "auth", None)
    if isinstance(principal, ApiCredential):
        raise PermissionDenied(
            _("Khóa API không được nhập thủ tục; quản trị hệ thống đăng nhập để nhập."),
            rule="session_required",
        )
    if not isinstance(principal, Person) or not importing.may_import(principal):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được nhập thủ tục hành chính."))
    return principal


@router.post(
    "/procedures/imports",
    response={201: ImportOut},
    summary="Tải tệp thủ tục lên và chạy thử (chưa ghi vào danh mục)",
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    missing_means_cancelled: Annotated[
        bool | None,
        Form(
            description=(
                "Thủ tục đang áp dụng mà không có trong tệp thì coi là đã bãi bỏ. Mặc định: true với tệp JSON "
                "quốc gia (tệp đầy đủ), false với XLSX/CSV."
            )
        ),
    ] = None,
) -> Status:
    person = _administrator(request)
    if file.size is not None and file.size > MAX_JSON_BYTES:
        raise DomainError(message=_("Tệp lớn hơn 50 MB."), rule="file_size", field="file", status=413)
    imported = importing.preview_import(
        actor=person,
        file_name=file.name or "tep",
        content=file.read(),
        missing_means_cancelled=missing_means_cancelled,
    )
    return Status(201, imported)


@router.get("/procedures/imports/{import_id}", response=ImportOut, summary="Xem một lần nhập thủ tục")
def get_import(request: HttpRequest, import_id: int) -> CatalogImport:
    _administrator(request)
    return importing.get_import(import_id)


@router.post(
    "/procedures/imports/{import_id}/apply",
    response=ImportOut,
    summary="Áp dụng lần nhập đã chạy thử (ghi vào danh mục, một lần)",
)
def apply_import(request: HttpRequest, import_id: int) -> CatalogImport:
    person = _administrator(request)
    importing.apply_import(actor=person, import_id=import_id)
    return importing.get_import(import_id)
