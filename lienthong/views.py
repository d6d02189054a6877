"""Project-level pages: the staff home, the health check, and error pages (problem+json under /api/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lienthong.core.problems import problem_response
from lienthong.directory.models import Role
from lienthong.directory.selectors import roles_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home page: who you are, where you act, and where to go next."""
    roles = list(roles_of(request.user))
    admin_agencies = list({r.agency.pk: r.agency for r in roles if r.role == Role.AGENCY_ADMIN}.values())
    return render(request, "home.html", {"roles": roles, "admin_agencies": admin_agencies})


def healthz(request: HttpRequest) -> HttpResponse:
    """A constant answer for load balancers; also the baseline endpoint in the benchmarks."""
    return HttpResponse(b"ok", content_type="text/plain")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(404, f"Không có tài nguyên {request.path}.", "not_found")
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return problem_response(403, "Bạn không có quyền thực hiện việc này.", "forbidden")
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem_response(500, "Lỗi hệ thống; sự cố đã được ghi lại.", "server_error")
    return render(request, "errors/500.html", status=500)
