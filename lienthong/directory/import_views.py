"""Pages to import the directory from CSV/XLSX (system administrators) and to export it (any officer).

Importing takes two steps: the upload is checked and dry-run, the page shows every error or every change, and
only then "Áp dụng" writes it. Between the two steps the file waits in the file storage under a random name
kept in the session, so the second step applies exactly the bytes that were previewed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lienthong.core.errors import DomainError
from lienthong.core.spreadsheet import MAX_BYTES, Format

from .exporting import CONTENT_TYPES, export_directory, exportable_agencies
from .importing import ImportResult, import_directory, may_import
from .models import Person
from .tabular import COLUMNS

PENDING_DIR = "directory-imports"
SESSION_KEY = "directory_import_pending"
STALE_AFTER = timedelta(days=1)
SHOWN = 500  # rows of errors or changes listed on the page; the counts always cover everything


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh bạ (.xlsx hoặc .csv, tối đa 10 MB)"),
        help_text=gettext_lazy("Bảng tính đầu tiên, dòng 1 là tiêu đề. Xem hướng dẫn ở cuối trang."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn 10 MB; hãy chia thành nhiều tệp nhỏ hơn."), "file_size"
            )
        return upload


def _person(request: HttpRequest) -> Person | None:
    return request.user if isinstance(request.user, Person) else None


def _forbidden(request: HttpRequest) -> HttpResponse:
    message = _("Chỉ quản trị hệ thống được nhập danh bạ từ tệp.")
    return render(request, "directory/forbidden.html", {"message": message}, status=403)


def _pending_path(token: str) -> str:
    return f"{PENDING_DIR}/{token}.bin"


def _sweep_stale() -> None:
    """Delete files left waiting by sessions that never applied them."""
    if not default_storage.exists(PENDING_DIR):
        return
    cutoff = timezone.now() - STALE_AFTER
    for name in default_storage.listdir(PENDING_DIR)[1]:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and default_storage.exists(_pending_path(pending["token"])):
        default_storage.delete(_pending_path(pending["token"]))


def _page(
    request: HttpRequest, form: UploadForm, result: ImportResult | None = None, **extra: Any
) -> HttpResponse:
    context = {
        "form": form,
        "result": result,
        "errors_shown": result.errors[:SHOWN] if result else [],
        "changes_shown": result.changes[:SHOWN] if result else [],
        "shown_limit": SHOWN,
        "columns": COLUMNS,
        **extra,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "directory/import/upload.html", context, status=status)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file: check every row and show what applying it would change, writing nothing yet."""
    person = _person(request)
    if person is None or not may_import(person):
        return _forbidden(request)
    if request.method != "POST":
        return _page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        result = import_directory(actor=person, content=content, dry_run=True)
    except DomainError as error:
        form.add_error("file", error.message)
        return _page(request, form)
    _forget_pending(request)
    _sweep_stale()
    token = ""
    if not result.errors and result.changes:
        token = secrets.token_urlsafe(24)
        default_storage.save(_pending_path(token), ContentFile(content))
        request.session[SESSION_KEY] = {
            "token": token,
            "name": upload.name,
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    return _page(request, form, result, token=token, file_name=upload.name)


@login_required
@require_POST
def import_apply(request: HttpRequest) -> HttpResponse:
    """Apply the file previewed in this session; all rows or nothing, as in the preview."""
    person = _person(request)
    if person is None or not may_import(person):
        return _forbidden(request)
    pending = request.session.get(SESSION_KEY)
    path = _pending_path(pending["token"]) if pending else ""
    if not pending or request.POST.get("token") != pending["token"] or not default_storage.exists(path):
        messages.error(request, _("Không còn tệp chờ áp dụng; hãy tải tệp lên và kiểm tra lại."))
        return redirect("directory:import")
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != pending["sha256"]:
        _forget_pending(request)
        messages.error(request, _("Tệp chờ áp dụng đã bị thay đổi; hãy tải tệp lên lại."))
        return redirect("directory:import")
    try:
        result = import_directory(actor=person, content=content)
    except DomainError as error:
        _forget_pending(request)
        messages.error(request, error.message)
        return redirect("directory:import")
    if result.errors:  # the directory changed since the preview
        return _page(request, UploadForm(), result, file_name=pending["name"], stale=True)
    _forget_pending(request)
    messages.success(
        request,
        _("Đã nhập {name}: thêm {created}, sửa {updated}, {unchanged} dòng không đổi.").format(
            name=pending["name"], created=result.created, updated=result.updated, unchanged=result.unchanged
        ),
    )
    return redirect("directory:import")


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    """Download the agencies the officer may see, with their units, as XLSX or CSV."""
    person = _person(request)
    agencies = exportable_agencies(person).count() if person is not None else 0
    return render(
        request,
        "directory/import/export.html",
        {"agency_count": agencies, "may_import": person is not None and may_import(person)},
    )


@login_required
def export_download(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if person is None:
        return _forbidden(request)
    fmt: Format = "csv" if request.GET.get("dinh_dang") == "csv" else "xlsx"
    content = export_directory(viewer=person, fmt=fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="danh-ba-{stamp}.{fmt}"'
    return response
