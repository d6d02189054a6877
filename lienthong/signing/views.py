"""The signature check page: an officer uploads any PDF (a document received by e-mail, a scan returned by
another agency) and reads, for every signature, whether it is intact and trusted. Nothing is stored."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lienthong.core.errors import DomainError
from lienthong.core.files import check_upload

from .validation import validate_pdf

CHANGE_LABELS = {
    "none": gettext_lazy("không thay đổi"),
    "signatures": gettext_lazy("chỉ thêm chữ ký"),
    "form_filling": gettext_lazy("chỉ điền biểu mẫu"),
    "annotations": gettext_lazy("thêm ghi chú"),
    "other": gettext_lazy("có thay đổi khác"),
}


@login_required
def verify_pdf_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(message=_("Hãy chọn tệp PDF cần kiểm tra."), rule="required", field="file")
            data = upload.read()
            check_upload(data, field="file", allowed=("pdf",))
            report = validate_pdf(data)
        except DomainError as error:
            context["error"] = error
            status = 400
        else:
            context["file_name"] = upload.name
            context["report"] = report
            context["changes"] = [
                (signature, CHANGE_LABELS.get(signature.changes_after, signature.changes_after))
                for signature in report.signatures
            ]
    return render(request, "signing/verify.html", context, status=status)
