"""Helpers shared by the documents endpoints: who calls, how names in a body become rows."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError
from lienthong.core.files import decode_base64
from lienthong.directory.models import Agency, ApiCredential, Person, RoleAssignment, Unit

from ..services import AttachmentInput
from .schemas import FileIn

_Row = TypeVar("_Row", bound=Model)


def principal(request: HttpRequest) -> Person | ApiCredential:
    return request.auth  # type: ignore[attr-defined]


def actor(request: HttpRequest) -> Person:
    """The signed-in officer; an API credential is not a person and the services refuse it (403)."""
    return request.auth  # type: ignore[attr-defined]


def decode(value: str, field: str) -> bytes:
    return decode_base64(value, field=field)


def files(items: list[FileIn] | None, field: str) -> list[AttachmentInput] | None:
    if items is None:
        return None
    return [
        AttachmentInput(
            item.title, item.file_name, decode(item.content_base64, f"{field}[{i}].content_base64")
        )
        for i, item in enumerate(items)
    ]


def person_in(agency: Agency, username: str, field: str) -> Person:
    """A person with an active role in ``agency`` by user name, or a 400 naming ``field``."""
    found = Person.objects.filter(
        username=username,
        is_active=True,
        pk__in=RoleAssignment.objects.filter(agency=agency, is_active=True).values("person_id"),
    ).first()
    if found is None:
        raise DomainError(
            message=_("Không có cán bộ “%(name)s” ở %(agency)s.")
            % {"name": username[:150], "agency": agency.name},
            rule="unknown_person",
            field=field,
        )
    return found


def unit_in(agency: Agency, code: str, field: str) -> Unit:
    found = Unit.objects.filter(agency=agency, code=code).first()
    if found is None:
        raise DomainError(
            message=_("Không có đơn vị mã “%(code)s” ở %(agency)s.")
            % {"code": code[:30], "agency": agency.name},
            rule="unknown_unit",
            field=field,
        )
    return found


def pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def filtered_page(
    rows: QuerySet[_Row],
    *,
    agency: str | None,
    status: str | None,
    limit: int,
    offset: int,
    order: tuple[str, ...],
) -> list[_Row]:
    """One page of a listing: rows of one agency (by code) and status when asked, ``limit`` kept within 1–200."""
    if agency:
        rows = rows.filter(agency__code=agency)
    if status:
        rows = rows.filter(status=status)
    limit, offset = min(max(limit, 1), 200), max(offset, 0)
    return list(rows.order_by(*order)[offset : offset + limit])
