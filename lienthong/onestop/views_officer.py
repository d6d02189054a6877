"""Officer pages of the one-stop desk: the queues of dossiers and a dossier's page with its actions.

Views only read input and call :mod:`.services` / :mod:`.actions`; those check roles, statuses and versions and
audit. A dossier outside the officer's agencies answers 404 (:func:`.selectors.dossier_for`). A refusal
(:class:`DomainError`) is shown next to the form of the action that caused it, with the page's fresh state and
the refusal's HTTP status (400 input, 403 role, 409 someone acted first or wrong status).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from lienthong.core.errors import DomainError

from . import actions, selectors, services
from .forms import ActionForm, NoteForm, ReasonForm, ReturnForm
from .models import Dossier, NationalStatus
from .timeliness import LABELS, Timeliness, classify, vietnam_date

PAGE_SIZE = 50
S = NationalStatus

Runner = Callable[[Any, Dossier, int, dict[str, Any]], Dossier]


@dataclass(frozen=True)
class OfficerAction:
    """One action offered on the dossier page: when it is offered, its form, and the function it calls."""

    key: str
    label: Promise
    form: type[ActionForm]
    statuses: tuple[int, ...]
    run: Runner
    danger: bool = False


ACTIONS: tuple[OfficerAction, ...] = (
    OfficerAction(
        "accept",
        _("Tiếp nhận hồ sơ"),
        ActionForm,
        (S.SUBMITTED,),
        lambda actor, d, v, data: services.accept_dossier(actor=actor, dossier=d, expected_version=v),
    ),
    OfficerAction(
        "refuse",
        _("Từ chối tiếp nhận"),
        ReasonForm,
        (S.SUBMITTED,),
        lambda actor, d, v, data: actions.refuse_at_intake(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        danger=True,
    ),
    OfficerAction(
        "start_processing",
        _("Bắt đầu xử lý"),
        ActionForm,
        (S.ACCEPTED,),
        lambda actor, d, v, data: actions.start_processing(actor=actor, dossier=d, expected_version=v),
    ),
    OfficerAction(
        "request_supplement",
        _("Yêu cầu bổ sung hồ sơ"),
        ReasonForm,
        (S.ACCEPTED, S.PROCESSING),
        lambda actor, d, v, data: actions.request_supplement(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
    ),
    OfficerAction(
        "answer_supplement",
        _("Nhận hồ sơ bổ sung"),
        NoteForm,
        (S.SUPPLEMENT_REQUESTED,),
        lambda actor, d, v, data: actions.answer_supplement(
            actor=actor, dossier=d, note=data["reason"], expected_version=v
        ),
    ),
    OfficerAction(
        "finish",
        _("Hoàn thành xử lý"),
        ActionForm,
        (S.PROCESSING,),
        lambda actor, d, v, data: actions.finish(actor=actor, dossier=d, expected_version=v),
    ),
    OfficerAction(
        "return_result",
        _("Trả kết quả"),
        ReturnForm,
        (S.FINISHED,),
        lambda actor, d, v, data: actions.return_result(
            actor=actor,
            dossier=d,
            method=data["method"],
            tracking_number=data["tracking_number"],
            expected_version=v,
        ),
    ),
    OfficerAction(
        "withdraw",
        _("Rút hồ sơ theo yêu cầu"),
        NoteForm,
        (S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED),
        lambda actor, d, v, data: actions.withdraw(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        danger=True,
    ),
    OfficerAction(
        "stop",
        _("Dừng xử lý"),
        ReasonForm,
        (S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED),
        lambda actor, d, v, data: actions.stop_processing(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        danger=True,
    ),
)
ACTIONS_BY_KEY = {action.key: action for action in ACTIONS}


@login_required
@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    """The officer's queues: one tab per queue, 50 dossiers a page."""
    queue = request.GET.get("hang", "receive")
    if queue not in selectors.QUEUE_LABELS:
        queue = "receive"
    now = timezone.now()
    today = vietnam_date(now)
    page = Paginator(selectors.officer_queue(request.user, queue, now), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    rows = []
    for dossier in page.object_list:
        timeliness = classify(dossier.due_at, dossier.finished_at, today, dossier.paused_at)
        rows.append(
            {
                "dossier": dossier,
                "status": NationalStatus(dossier.national_status).label,
                "timeliness": LABELS[timeliness] if timeliness else "",
                "late": timeliness in (Timeliness.OVERDUE, Timeliness.LATE),
            }
        )
    counts = selectors.queue_counts(request.user, now)
    tabs = [
        {"key": key, "label": label, "count": counts[key], "current": key == queue}
        for key, label in selectors.QUEUE_LABELS.items()
    ]
    context = {
        "tabs": tabs,
        "queue": queue,
        "queue_label": selectors.QUEUE_LABELS[queue],
        "page": page,
        "rows": rows,
    }
    return render(request, "onestop/officer/queues.html", context)


def _offered(dossier: Dossier) -> list[OfficerAction]:
    return [action for action in ACTIONS if int(dossier.national_status) in action.statuses]


def _detail_context(
    dossier: Dossier, failed: str | None = None, failed_form: forms.Form | None = None
) -> dict[str, Any]:
    today = vietnam_date(timezone.now())
    timeliness = classify(dossier.due_at, dossier.finished_at, today, dossier.paused_at)
    offered = []
    for action in _offered(dossier):
        if action.key == failed and failed_form is not None:
            form = failed_form
        else:
            form = action.form(initial={"version": dossier.version}, prefix=action.key)
        offered.append({"action": action, "form": form})
    return {
        "dossier": dossier,
        "status": NationalStatus(dossier.national_status).label,
        "timeliness": LABELS[timeliness] if timeliness else "",
        "paused_hours": round(dossier.paused_seconds / 3600, 1),
        "timeline": selectors.officer_timeline(dossier),
        "offered": offered,
    }


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.dossier_for(request.user, code)
    return render(request, "onestop/officer/detail.html", _detail_context(dossier))


def _attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form field it names (or above the form)."""
    placed = False
    for problem in error.problems or []:
        if problem.field in form.fields and problem.field != "version":
            form.add_error(problem.field, problem.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


@login_required
@require_POST
def act(request: HttpRequest, code: str) -> HttpResponse:
    """Run one action on the dossier (the ``action`` field names it) and come back to the dossier page."""
    dossier = selectors.dossier_for(request.user, code)
    action = ACTIONS_BY_KEY.get(request.POST.get("action", ""))
    if action is None:
        raise Http404(gettext_now("Không có thao tác này."))
    form = action.form(request.POST, prefix=action.key)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            action.run(request.user, dossier, data["version"], data)
        except DomainError as error:
            status = error.status
            # The fresh state (someone may have acted first); the refused form keeps what was typed.
            dossier = selectors.dossier_for(request.user, code)
            bound = action.form(
                {**request.POST.dict(), f"{action.key}-version": dossier.version}, prefix=action.key
            )
            bound.is_valid()
            _attach(bound, error)
            context = _detail_context(dossier, action.key, bound)
            if action not in _offered(dossier):
                context["refusal"] = error.message
            return render(request, "onestop/officer/detail.html", context, status=status)
        messages.success(
            request,
            gettext_now("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.")
            % {"action": action.label, "code": dossier.code},
        )
        return redirect("onestop:detail", code=dossier.code)
    context = _detail_context(dossier, action.key, form)
    if action not in _offered(dossier):
        context["refusal"] = gettext_now("Thao tác không hợp lệ; hãy tải lại trang.")
    return render(request, "onestop/officer/detail.html", context, status=status)
