"""The one JSON API of the platform, mounted at ``/api/v1/``; schema at ``/api/v1/openapi.json``.

Every error leaves as an RFC 9457 problem document (see :mod:`lienthong.core.problems`).
"""

from __future__ import annotations

from typing import Any

import pydantic_core
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from lienthong.catalog.api import router as catalog_router
from lienthong.core.errors import DomainError, FieldProblem
from lienthong.core.problems import from_domain_error, problem_response
from lienthong.directory.api import router as directory_router
from lienthong.onestop.api_routes import router as onestop_router
from lienthong.worktime.api import router as worktime_router


class JsonBodyParser(Parser):
    """Request bodies read by pydantic-core's JSON reader instead of the standard library's.

    For an intake with two 100 KB components (a 270 KB body) it takes ~25 µs where ``json.loads`` takes ~320 µs
    (bench/README.md, dossier intake). It is also stricter where the standard library is lax, as RFC 8259 asks
    of JSON between systems: the body must be UTF-8 (``json.loads`` guesses UTF-16 and UTF-32 too), and a lone
    surrogate escape (``"\\ud800"``) is an error, not a string PostgreSQL would later refuse to store.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        return pydantic_core.from_json(request.body)


class CompactJsonRenderer(JSONRenderer):
    """Answers as compact UTF-8 JSON: Vietnamese text as its own bytes rather than ``\\uXXXX`` escapes, no spaces
    after separators (a dossier's answer is a fifth smaller). The dossier intake writes its answer with
    pydantic-core in exactly this form (:func:`lienthong.onestop.api._json_answer`)."""

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


api = NinjaAPI(
    parser=JsonBodyParser(),
    renderer=CompactJsonRenderer(),
    title="LiênThông API",
    version="1",
    description=(
        "API của nền tảng LiênThông. Hệ thống ngoài xác thực bằng khóa cấp cho một cơ quan "
        "(`Authorization: Bearer <mã khóa>.<bí mật>`); cán bộ dùng phiên đăng nhập. "
        "Lỗi trả về theo RFC 9457 (application/problem+json), nêu trường và quy tắc bị vi phạm."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


def _location(loc: list[Any]) -> str:
    # ninja reports ["query", "start"] or ["body", "payload", "name"]; the first part is where, not what.
    parts = [str(p) for p in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    if len(parts) > 1 and parts[0] in {"payload", "data"}:
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [
        FieldProblem(
            field=_location(list(err.get("loc", []))),
            rule=str(err.get("type", "invalid")),
            message=str(err.get("msg", "")),
        )
        for err in exc.errors
    ]
    fields = ", ".join(p.field for p in problems) or "?"
    return problem_response(422, f"Dữ liệu không hợp lệ ở: {fields}.", "validation", problems)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return from_domain_error(exc)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "Không tìm thấy, hoặc nằm ngoài phạm vi cơ quan của bạn.", "not_found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        401, "Cần đăng nhập, hoặc gửi khóa API hợp lệ trong tiêu đề Authorization.", "authentication_required"
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja wraps whatever the body parser raised; the parser's own words say where the JSON broke.
        reason = str(exc.__cause__)
        return problem_response(
            400,
            f"Nội dung yêu cầu không phải JSON hợp lệ mã hóa UTF-8: {reason}.",
            "json",
            [FieldProblem(field="body", rule="json", message=reason)],
        )
    return problem_response(exc.status_code, str(exc), "http_error")


api.add_router("/worktime/", worktime_router, tags=["Lịch làm việc"])
api.add_router("/directory/", directory_router, tags=["Danh bạ"])
api.add_router("/", catalog_router, tags=["Thủ tục hành chính"])
api.add_router("/dossiers", onestop_router, tags=["Hồ sơ một cửa"])
api.add_router("/documents/", "lienthong.documents.api.router", tags=["Văn bản điều hành"])
api.add_router("/signing/", "lienthong.signing.api.router", tags=["Ký số"])
