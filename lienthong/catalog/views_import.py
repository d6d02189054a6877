"""Pages to import procedures (system administrators): upload → dry-run report → "Áp dụng".

The upload is stored with its report (:class:`CatalogImport`), so the preview has its own address, can be
reopened, and "Áp dụng" applies exactly the previewed bytes. Every write goes through
:mod:`lienthong.catalog.importing`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lienthong.core.errors import DomainError, NotFound
from lienthong.directory.models import Person

from . import importing
from .models import Procedure
from .national import MAX_JSON_BYTES
from .record import ProcedureRecord
from .xlsx import HEADER, LEVEL_WORDS, STATUS_WORDS, TIER_WORDS, UNIT_WORDS, write_table

SHOWN = 500  # rows listed per group on the page; the counts always cover everything
CANCEL_CHOICES = [
    ("auto", gettext_lazy("Theo loại tệp: có với tệp JSON quốc gia, không với Excel/CSV")),
    ("yes", gettext_lazy("Có: thủ tục không có trong tệp là đã bãi bỏ")),
    ("no", gettext_lazy("Không: chỉ bãi bỏ thủ tục mà tệp ghi là đã bãi bỏ")),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp thủ tục (.json theo CSDL quốc gia, .xlsx hoặc .csv)"),
        help_text=gettext_lazy("Chưa có gì được ghi: trang sau cho xem kết quả chạy thử."),
    )
    missing = forms.ChoiceField(
        label=gettext_lazy("Thủ tục không có trong tệp"), choices=CANCEL_CHOICES, initial="auto"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_JSON_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn 50 MB; hãy chia thành nhiều tệp nhỏ hơn."), "file_size"
            )
        return upload


def _admin(request: HttpRequest) -> Person | None:
    user = request.user
    return user if isinstance(user, Person) and importing.may_import(user) else None


def _forbidden(request: HttpRequest) -> HttpResponse:
    message = _("Chỉ quản trị hệ thống được nhập thủ tục hành chính.")
    return render(request, "catalog/import/forbidden.html", {"message": message}, status=403)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is checked and stored with its dry-run report, then the report page opens."""
    person = _admin(request)
    if person is None:
        return _forbidden(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        choice = form.cleaned_data["missing"]
        try:
            imported = importing.preview_import(
                actor=person,
                file_name=upload.name,
                content=upload.read(),
                missing_means_cancelled=None if choice == "auto" else choice == "yes",
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("catalog:import_detail", pk=imported.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "imports": importing.recent_imports(), "headers": HEADER}
    return render(request, "catalog/import/upload.html", context, status=status)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The dry-run report: errors, warnings, and the new, changed, cancelled and unchanged procedures."""
    if _admin(request) is None:
        return _forbidden(request)
    try:
        imported = importing.get_import(pk)
    except NotFound as error:
        return render(request, "catalog/import/forbidden.html", {"message": error.message}, status=404)
    report = imported.report
    counts = report.get("counts", {})
    writes = counts.get("new", 0) + counts.get("changed", 0) + counts.get("cancelled", 0)
    context = {
        "imported": imported,
        "report": report,
        "counts": counts,
        "errors": report.get("errors", [])[:SHOWN],
        "warnings": report.get("warnings", [])[:SHOWN],
        "new": [_new_row(row) for row in report.get("new", [])[:SHOWN]],
        "changed": [_changed_row(row) for row in report.get("changed", [])[:SHOWN]],
        "cancelled": report.get("cancelled", [])[:SHOWN],
        "unchanged": report.get("unchanged", [])[:SHOWN],
        "shown": SHOWN,
        "may_apply": imported.applied_at is None and not counts.get("errors") and writes > 0,
    }
    return render(request, "catalog/import/detail.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    person = _admin(request)
    if person is None:
        return _forbidden(request)
    try:
        report = importing.apply_import(actor=person, import_id=pk)
    except NotFound as error:
        return render(request, "catalog/import/forbidden.html", {"message": error.message}, status=404)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog:import_detail", pk=pk)
    counts = report["counts"]
    messages.success(
        request,
        _("Đã áp dụng: thêm %(new)d, sửa %(changed)d, bãi bỏ %(cancelled)d thủ tục.")
        % {"new": counts["new"], "changed": counts["changed"], "cancelled": counts["cancelled"]},
    )
    return redirect("catalog:import_detail", pk=pk)


@login_required
def export_sheet(request: HttpRequest) -> HttpResponse:
    """The current catalogue as a sheet in the import layout: a template to edit and import back."""
    if _admin(request) is None:
        return _forbidden(request)
    fmt = "csv" if request.GET.get("dinh_dang") == "csv" else "xlsx"
    versions = (
        Procedure.objects.select_related("current_version").exclude(current_version=None).order_by("code")
    )
    records = [ProcedureRecord.from_dict(p.current_version.record) for p in versions if p.current_version]
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(write_table(records, fmt), content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
    return response


# --- showing a field-by-field diff ---------------------------------------------------------------------------


def _money(amount: Any) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đ" if isinstance(amount, int | float) else str(amount)


def show_value(key: str, value: Any) -> list[str]:
    """A stored record value as lines a person reads (the diff shows these)."""
    if value in (None, "", []):
        return []
    if isinstance(value, float):
        return [f"{value:g}".replace(".", ",")]
    if key == "processing_unit":
        return [UNIT_WORDS.get(value, str(value))]
    if key == "online_level":
        return [LEVEL_WORDS.get(value, str(value))]
    if key == "status":
        return [STATUS_WORDS.get(value, str(value))]
    if key == "tiers":
        return [", ".join(TIER_WORDS.get(t, str(t)) for t in value)]
    if not isinstance(value, list):
        return str(value).splitlines() or [str(value)]
    lines = []
    for item in value:
        if not isinstance(item, dict):
            lines.append(str(item))
        elif key == "fees":
            case = f"{item.get('case')}: " if item.get("case") else ""
            lines.append(f"{case}{_money(item.get('amount'))} ({item.get('kind', '')})")
        elif key == "components":
            lines.append(
                _("%(name)s – %(o)s bản chính, %(c)s bản sao, %(req)s")
                % {
                    "name": item.get("name"),
                    "o": item.get("originals"),
                    "c": item.get("copies"),
                    "req": _("bắt buộc") if item.get("required") else _("không bắt buộc"),
                }
            )
        elif key == "results":
            lines.append(
                f"{item.get('name')}" + (f" ({_('điện tử')})" if item.get("kind") == "electronic" else "")
            )
        elif key == "legal_basis":
            lines.append(" – ".join(p for p in (item.get("number"), item.get("title")) if p))
        else:
            lines.append(", ".join(f"{k}: {v}" for k, v in item.items()))
    return lines


def _new_row(row: dict[str, Any]) -> dict[str, Any]:
    value = f"{float(row.get('processing_value') or 0):g}".replace(".", ",")
    return {**row, "processing": f"{value} {UNIT_WORDS.get(row.get('processing_unit', ''), '')}".strip()}


def _changed_row(row: dict[str, Any]) -> dict[str, Any]:
    changes = [
        {"label": HEADER.get(key, key), "old": show_value(key, pair[0]), "new": show_value(key, pair[1])}
        for key, pair in row.get("changes", {}).items()
    ]
    return {**row, "changes": changes}
