"""The documents home (Văn bản): the signed-in officer's queues with their counts, and what every documents
page shares (who the officer is, the refusal page, PDF answers).

Views only read input and call the services (:mod:`.services`), which check roles, statuses and versions and
audit; reads go through :mod:`.selectors` (scoped: outside it is 404) and :mod:`.page_selectors`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienthong.core.errors import DomainError
from lienthong.directory.models import Person, Role

from . import page_selectors
from .models import IncomingDocument, OutgoingDocument
from .selectors import processing_timeliness
from .timeliness import LABELS, Timeliness

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
LATE = (Timeliness.OVERDUE, Timeliness.LATE)

#: Which queues a role makes relevant (a tab is also shown whenever it holds something).
_QUEUES_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.SPECIALIST: ("du-thao", "xu-ly"),
    Role.UNIT_HEAD: ("du-thao", "tham-dinh", "xu-ly"),
    Role.LEADER: ("du-thao", "tham-dinh", "ky", "phan-cong", "xu-ly"),
    Role.CLERK: ("phat-hanh", "xu-ly"),
}


def officer(request: HttpRequest) -> Person:
    """The signed-in officer (``login_required`` guarantees someone is signed in)."""
    user = request.user
    assert isinstance(user, Person)
    return user


def held_roles(person: Person) -> set[str]:
    return set(person.roles.filter(is_active=True, agency__is_active=True).values_list("role", flat=True))


def refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A page that says why nothing was done (the service's message), with the refusal's status."""
    return render(request, "documents/problem.html", {"error": error}, status=error.status)


def stored_pdf(request: HttpRequest, read: Callable[[], bytes], name: str, what: object) -> HttpResponse:
    """Answer a stored PDF: inline (preview) or, with ``?tai=1``, as a download. A missing file or one that
    no longer matches its hash is a 410 page naming the problem, not a 500."""
    try:
        data = read()
    except FileNotFoundError:
        logger.error("stored file of %s is missing", what)
        error = DomainError(
            message=_("Tệp không còn trong kho lưu trữ."), rule="file_missing", field="file", status=410
        )
        return refusal(request, error)
    except DomainError as error:
        logger.error("stored file of %s does not match its hash", what)
        error.status = 410
        return refusal(request, error)
    return pdf_response(data, name, download=request.GET.get("tai") == "1")


def pdf_response(data: bytes, name: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(download, name) or "inline"
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def timeliness_label(value: Timeliness | None) -> dict[str, Any]:
    return {"label": LABELS[value] if value else "", "late": value in LATE}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The person's queues as tabs with counts; 50 documents a page."""
    person = officer(request)
    roles = held_roles(person)
    counts = page_selectors.queue_counts(person)
    relevant = {key for role in roles for key in _QUEUES_BY_ROLE.get(role, ())} | {"di", "den"}
    if person.is_superuser:
        relevant |= set(counts)
    shown = [q for q in page_selectors.QUEUES if q.key in relevant or counts[q.key]]
    key = request.GET.get("hang", "")
    if key not in {q.key for q in shown}:
        key = next((q.key for q in shown if counts[q.key] and q.key not in ("di", "den")), shown[0].key)
    current = page_selectors.QUEUE_BY_KEY[key]
    page = Paginator(page_selectors.queue(person, key), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows: list[dict[str, Any]] = []
    for document in page.object_list:
        if isinstance(document, OutgoingDocument):
            rows.append({"out": document})
        else:
            assert isinstance(document, IncomingDocument)
            rows.append({"in": document, "timeliness": timeliness_label(processing_timeliness(document))})
    context = {
        "section": "home",
        "tabs": [
            {"key": q.key, "label": q.label, "count": counts[q.key], "current": q.key == key} for q in shown
        ],
        "queue": current,
        "page": page,
        "rows": rows,
        "can_draft": bool(roles & {Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER}),
        "can_register": Role.CLERK in roles,
        "no_role": not roles and not person.is_superuser,
        "no_role_message": _(
            "Bạn chưa có vai trò nào trong phân hệ văn bản (chuyên viên, trưởng đơn vị, lãnh đạo, văn thư)."
        ),
    }
    return render(request, "documents/home.html", context)
