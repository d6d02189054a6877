"""Read queries about dossiers, scoped to what the caller may see.

A caller (a signed-in officer or an API credential) sees the dossiers received by the agencies it may see
(:func:`lienthong.directory.selectors.visible_agencies`); anything else answers 404 like a dossier that does
not exist. The public status page reads through :func:`public_status`, which needs a second factor.
"""

from __future__ import annotations

import hmac

from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lienthong.directory.selectors import NOT_VISIBLE, Principal, visible_agencies

from .models import Dossier, DossierEvent

#: Labels of the timeline's actions, shown to officers and on the public status page.
ACTION_LABELS: dict[str, Promise] = {
    "receive": _("Nhận hồ sơ"),
    "accept": _("Tiếp nhận hồ sơ"),
    "refuse": _("Từ chối tiếp nhận"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "supplement": _("Nhận hồ sơ bổ sung"),
    "answer_supplement": _("Nhận hồ sơ bổ sung"),
    "start_processing": _("Bắt đầu xử lý"),
    "forward": _("Chuyển xử lý"),
    "send_back": _("Trả lại bước trước"),
    "assign": _("Phân công xử lý"),
    "approve": _("Phê duyệt"),
    "attach_result": _("Đính kèm kết quả"),
    "sign_result": _("Ký kết quả"),
    "finish": _("Hoàn thành xử lý"),
    "return": _("Trả kết quả"),
    "return_result": _("Trả kết quả"),
    "withdraw": _("Rút hồ sơ theo yêu cầu"),
    "stop": _("Dừng xử lý"),
    "hand_over": _("Chuyển cơ quan liên thông"),
    "apologise": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "request_payment": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "pay": _("Đã thực hiện nghĩa vụ tài chính"),
}

#: How many trailing phone digits the public status page asks for.
PHONE_DIGITS = 4


def action_label(action: str) -> str | Promise:
    """The Vietnamese label of a timeline action (the code itself for an action not listed yet)."""
    return ACTION_LABELS.get(action, action)


def dossier_by_code(code: str) -> Dossier | None:
    return (
        Dossier.objects.select_related("procedure", "procedure_version", "agency")
        .filter(code=code.strip())
        .first()
    )


def visible_dossiers(principal: Principal) -> QuerySet[Dossier]:
    """Every dossier ``principal`` may see: those received by an agency in its scope."""
    return Dossier.objects.filter(agency__in=visible_agencies(principal)).select_related(
        "procedure", "procedure_version", "agency"
    )


def dossier_for(principal: Principal, code: str) -> Dossier:
    """The dossier with ``code`` if ``principal`` may see it; otherwise :class:`Http404` (never says which)."""
    dossier = visible_dossiers(principal).filter(code=code.strip()).first()
    if dossier is None:
        raise Http404(NOT_VISIBLE)
    return dossier


def timeline_of(dossier: Dossier) -> QuerySet[DossierEvent]:
    """The dossier's events in the order they happened."""
    return DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def public_status(code: str, phone_tail: str) -> Dossier | None:
    """The dossier for the public status page, or ``None`` when the code or the phone digits do not match.

    Both failures answer the same, so the page never reveals whether a code exists. A dossier without a phone
    number cannot be looked up publicly.
    """
    tail = _digits(phone_tail or "")
    if len(tail) != PHONE_DIGITS:
        return None
    dossier = dossier_by_code(code or "")
    phone = _digits(dossier.applicant_phone) if dossier is not None else ""
    expected = phone[-PHONE_DIGITS:] if len(phone) >= PHONE_DIGITS else "\x00" * PHONE_DIGITS
    matches = hmac.compare_digest(expected.encode(), tail.encode())
    if dossier is None or not matches:
        return None
    return dossier
