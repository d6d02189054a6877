"""Calendar pages: a year's holidays, days off and worked Saturdays; working hours; the history of changes.

Any signed-in officer reads them; a system administrator (``is_superuser``) also edits through the forms.
Views only read input and call services; the services check, audit and renew the version stamp.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lienthong.audit.selectors import history_of
from lienthong.core.errors import DomainError

from . import arith, selectors, services
from .forms import DayEditForm, DayForm, HoursForm

FIRST_YEAR, LAST_YEAR = services.FIRST_YEAR, services.LAST_YEAR


def _require_admin(request: HttpRequest) -> None:
    if not getattr(request.user, "is_superuser", False):
        raise PermissionDenied


def _attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form field it names (or above the form)."""
    for problem in error.problems or []:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)
    if not error.problems:
        form.add_error(None, error.message)


def _year_context(year: int) -> dict[str, Any]:
    cal = selectors.calendar_for("")
    first, last = date(year, 1, 1), date(year, 12, 31)
    return {
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "days": selectors.days_of_year(year),
        "removed": selectors.days_of_year(year, include_removed=True).filter(is_active=False),
        "working_dates": arith.working_dates_between(cal, first, last),
        "years": selectors.years_with_entries(),
        "hours": selectors.all_working_hours(),
        "default_periods": selectors.format_periods(selectors.working_hours_of("")),
        "changes": selectors.recent_changes(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The calendar of one year (this year by default); a system administrator adds entries here."""
    if year is None:
        year = timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    form = DayForm(initial={"date": date(year, 1, 1)})
    if request.method == "POST":
        _require_admin(request)
        form = DayForm(request.POST)
        if form.is_valid():
            try:
                entry = services.add_day(
                    actor=request.user,  # type: ignore[arg-type]
                    day=form.cleaned_data["date"],
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                )
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(
                    request, _("Đã thêm ngày %(date)s vào lịch.") % {"date": f"{entry.date:%d/%m/%Y}"}
                )
                return redirect("worktime:calendar_year", year=entry.date.year)
    context = _year_context(year)
    context["form"] = form
    return render(request, "worktime/calendar.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def day(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry with its history; a system administrator edits its kind and name here."""
    entry = selectors.day_by_id(pk)
    if entry is None:
        raise Http404
    form = DayEditForm(initial={"kind": entry.kind, "name": entry.name})
    if request.method == "POST":
        _require_admin(request)
        form = DayEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_day(
                    actor=request.user,  # type: ignore[arg-type]
                    entry_id=entry.pk,
                    kind=form.cleaned_data["kind"],
                    name=form.cleaned_data["name"],
                )
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("worktime:day", pk=entry.pk)
    return render(
        request,
        "worktime/day.html",
        {"entry": entry, "form": form, "history": selectors.describe(history_of(entry))},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    try:
        entry = services.remove_day(actor=request.user, entry_id=pk)  # type: ignore[arg-type]
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        raise
    messages.success(
        request,
        _("Đã bỏ ngày %(date)s khỏi lịch; nó trở thành ngày thường.") % {"date": f"{entry.date:%d/%m/%Y}"},
    )
    return redirect("worktime:calendar_year", year=entry.date.year)


@login_required
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest) -> HttpResponse:
    """Working hours: province-wide and per agency; a system administrator sets them here."""
    ms, me, as_, ae = selectors.default_hours_row()
    form = HoursForm(
        initial={"morning_start": ms, "morning_end": me, "afternoon_start": as_, "afternoon_end": ae}
    )
    if request.method == "POST":
        _require_admin(request)
        form = HoursForm(request.POST)
        if form.is_valid():
            try:
                row = services.set_working_hours(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(request, _("Đã lưu giờ làm việc: %(hours)s.") % {"hours": str(row)})
                return redirect("worktime:hours")
    rows = selectors.all_working_hours()
    return render(
        request,
        "worktime/hours.html",
        {
            "form": form,
            "rows": rows,
            "default_periods": selectors.format_periods(selectors.working_hours_of("")),
            "changes": selectors.recent_changes(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def hours_reset(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    code = request.POST.get("agency_code", "")
    try:
        services.reset_working_hours(actor=request.user, agency_code=code)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã bỏ giờ làm việc riêng; áp dụng giờ chung."))
    return redirect("worktime:hours")
