"""Project-level pages: the staff home and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lienthong.directory.selectors import roles_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home page: who you are, where you act, and where to go next."""
    return render(request, "home.html", {"roles": roles_of(request.user)})


def healthz(request: HttpRequest) -> HttpResponse:
    """A constant answer for load balancers; also the baseline endpoint in the benchmarks."""
    return HttpResponse(b"ok", content_type="text/plain")
