"""RFC 9457 problem details: the body of every API error.

``{"type", "title", "status", "detail", "errors": [{"field", "rule", "message"}]}`` served as
``application/problem+json``, so an integrator's code can read which field broke which rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from .errors import DomainError, FieldProblem

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://lienthong.gov.vn/problems/"

_TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột trạng thái",
    413: "Dữ liệu quá lớn",
    415: "Loại dữ liệu không được hỗ trợ",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu",
}


def problem_body(
    status: int, detail: str, rule: str = "invalid", problems: Iterable[FieldProblem] = ()
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + rule,
        "title": _TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": detail,
    }
    errors = [p.as_dict() for p in problems]
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    status: int, detail: str, rule: str = "invalid", problems: Iterable[FieldProblem] = ()
) -> HttpResponse:
    return HttpResponse(
        json.dumps(problem_body(status, detail, rule, problems), ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def from_domain_error(error: DomainError) -> HttpResponse:
    return problem_response(error.status, error.message, error.rule, error.problems)
