"""Officer pages of the one-stop desk: the queues of dossiers, a dossier's page with its actions, its files.

Views only read input and call the services (:mod:`.services`, :mod:`.actions`, :mod:`.workflow`, :mod:`.fees`,
:mod:`.apology`); those check roles, statuses and versions and audit. Which actions the page offers is decided
in :mod:`.views_workflow`. A dossier outside the officer's agencies answers 404
(:func:`.selectors.dossier_for`). A refusal (:class:`DomainError`) is shown next to the form of the action
that caused it, with the page's fresh state and the refusal's HTTP status (400 input, 403 role, 409 someone
acted first or wrong status).
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lienthong.catalog.selectors import format_vnd
from lienthong.core import files as storage
from lienthong.core.errors import DomainError
from lienthong.core.plans import planned_for_their_values

from . import selectors
from .files import read_file
from .models import Dossier, DossierStep, FileKind, NationalStatus, StepOutcome
from .slips import SLIP_FORMS, available_slips
from .timeliness import LABELS, Timeliness, classify, step_timeliness, vietnam_date
from .views_intake import desk_agencies
from .views_workflow import ACTIONS_BY_KEY, OfficerAction, abilities, offered, page_state

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
LATE = (Timeliness.OVERDUE, Timeliness.LATE)


class _KnownCountPaginator(Paginator):
    """A paginator told the count (the tab's count) instead of counting the queue a second time."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _open_steps(dossier_ids: list[int]) -> dict[int, DossierStep]:
    """The open step (with its assignee) of each dossier of a page, in one query."""
    rows = (
        DossierStep.objects.filter(dossier_id__in=dossier_ids, outcome=StepOutcome.OPEN)
        .select_related("assignee")
        .only("dossier_id", "title", "assignee__username", "assignee__full_name")
    )
    return {step.dossier_id: step for step in rows}


@login_required
@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    """The officer's queues: one tab per queue, 50 dossiers a page, each row with its step and assignee."""
    queue = request.GET.get("hang", "receive")
    if queue not in selectors.QUEUE_LABELS:
        queue = "receive"
    now = timezone.now()
    today = vietnam_date(now)
    agencies = selectors.agencies_of(request.user)
    # One agency's queue among many is best read off a different index than all agencies' (bench/README.md).
    with planned_for_their_values():
        counts = selectors.queue_counts(request.user, now, agencies)
        paginator = _KnownCountPaginator(
            selectors.officer_queue(request.user, queue, now, agencies), PAGE_SIZE, counts[queue]
        )
        page = paginator.get_page(request.GET.get("trang"))
        dossiers = list(page.object_list)
        steps = _open_steps([d.pk for d in dossiers])
    rows = []
    for dossier in dossiers:
        timeliness = classify(dossier.due_at, dossier.finished_at, today, dossier.paused_at)
        step = steps.get(dossier.pk)
        rows.append(
            {
                "dossier": dossier,
                "status": NationalStatus(dossier.national_status).label,
                "timeliness": LABELS[timeliness] if timeliness else "",
                "late": timeliness in LATE,
                "step": step.title if step else "",
                "assignee": (step.assignee.full_name or step.assignee.username)
                if step and step.assignee
                else "",
            }
        )
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
        "can_receive": desk_agencies(request.user).exists(),
    }
    return render(request, "onestop/officer/queues.html", context)


def _step_rows(steps: list[DossierStep], dossier: Dossier, now: datetime) -> list[dict[str, Any]]:
    # While the clock is stopped the open step's clock is stopped too: judge it as of the pause.
    as_of = min(now, dossier.paused_at) if dossier.paused_at else now
    rows = []
    for step in steps:
        verdict = step_timeliness(step.due_at, step.finished_at, as_of)
        rows.append({"step": step, "timeliness": LABELS[verdict], "late": verdict in LATE})
    return rows


def _file_rows(dossier: Dossier, files: list[Any]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {kind: [] for kind in FileKind.values}
    for row in files:
        grouped[row.kind].append(
            {
                "file": row,
                "type": storage.SHORT_NAMES.get(row.content_type, row.content_type).upper(),
                "url": reverse("onestop:file", args=[dossier.code, row.pk]),
            }
        )
    return grouped


def _detail_context(
    request: HttpRequest,
    dossier: Dossier,
    failed: str | None = None,
    failed_form: forms.Form | None = None,
) -> dict[str, Any]:
    now = timezone.now()
    timeliness = classify(dossier.due_at, dossier.finished_at, vietnam_date(now), dossier.paused_at)
    state = page_state(dossier)
    able = abilities(request.user, dossier, state.open_step)
    offers = []
    for action in offered(state, able):
        if action.key == failed and failed_form is not None:
            form = failed_form
        else:
            form = action.form(initial={"version": dossier.version}, prefix=action.key, dossier=dossier)
        offers.append({"action": action, "form": form})
    ready = available_slips(dossier)
    slips = [
        {
            "form": form,
            "title": SLIP_FORMS[form],
            "url": reverse("onestop:slip_pdf", args=[dossier.code, form]),
        }
        for form in ready
    ]
    open_step = state.open_step
    return {
        "dossier": dossier,
        "status": NationalStatus(dossier.national_status).label,
        "timeliness": LABELS[timeliness] if timeliness else "",
        "late": timeliness in LATE,
        "paused_hours": round(dossier.paused_seconds / 3600, 1),
        "timeline": selectors.officer_timeline(dossier),
        "offered": offers,
        "open_step": open_step,
        "steps": _step_rows(state.steps, dossier, now),
        "files": _file_rows(dossier, state.files),
        "apologies": state.apologies,
        "fees": {
            "due": format_vnd(dossier.fee_due),
            "paid": format_vnd(dossier.fee_paid),
            "left": format_vnd(dossier.fee_due - dossier.fee_paid)
            if dossier.fee_due > dossier.fee_paid
            else "",
        },
        "slips": slips,
        # Just received at the desk: the receipt is what the applicant waits for.
        "receipt_url": slips[0]["url"]
        if dossier.national_status == NationalStatus.ACCEPTED and ready[:1] == ["01"]
        else "",
    }


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.dossier_for(request.user, code)
    return render(request, "onestop/officer/detail.html", _detail_context(request, dossier))


def _attach(form: forms.Form, action: OfficerAction, error: DomainError) -> None:
    """Show a service's refusal on the form field it names (or above the form)."""
    placed = False
    for problem in error.problems or []:
        name = action.form_field(problem.field)
        if name in form.fields and name != "version":
            form.add_error(name, problem.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _offered_to(request: HttpRequest, dossier: Dossier, action: OfficerAction) -> bool:
    state = page_state(dossier)
    return action in offered(state, abilities(request.user, dossier, state.open_step))


@login_required
@require_POST
def act(request: HttpRequest, code: str) -> HttpResponse:
    """Run one action on the dossier (the ``action`` field names it) and come back to the dossier page."""
    dossier = selectors.dossier_for(request.user, code)
    action = ACTIONS_BY_KEY.get(request.POST.get("action", ""))
    if action is None:
        raise Http404(_("Không có thao tác này."))
    form = action.form(request.POST, request.FILES, prefix=action.key, dossier=dossier)
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
                {**request.POST.dict(), f"{action.key}-version": dossier.version},
                request.FILES,
                prefix=action.key,
                dossier=dossier,
            )
            bound.is_valid()
            _attach(bound, action, error)
            context = _detail_context(request, dossier, action.key, bound)
            if not _offered_to(request, dossier, action):
                context["refusal"] = error.message
            return render(request, "onestop/officer/detail.html", context, status=status)
        messages.success(
            request,
            _("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.")
            % {"action": action.label, "code": dossier.code},
        )
        return redirect("onestop:detail", code=dossier.code)
    context = _detail_context(request, dossier, action.key, form)
    if not _offered_to(request, dossier, action):
        context["refusal"] = _("Thao tác không hợp lệ; hãy tải lại trang.")
    return render(request, "onestop/officer/detail.html", context, status=status)


@login_required
@require_GET
def download(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """A file of the dossier (component, supplement, result) as stored, checked against its hash."""
    dossier = selectors.dossier_for(request.user, code)
    row = selectors.file_of(dossier, file_id)
    try:
        data = read_file(row)
    except FileNotFoundError:
        logger.error("stored file %s of dossier %s is missing", row.storage_name, dossier.code)
        error = DomainError(
            message=_("Tệp không còn trong kho lưu trữ."), rule="file_missing", field="file", status=410
        )
        return render(request, "onestop/officer/problem.html", {"error": error}, status=410)
    except DomainError as error:
        logger.error("stored file %s of dossier %s does not match its hash", row.storage_name, dossier.code)
        return render(request, "onestop/officer/problem.html", {"error": error}, status=410)
    response = HttpResponse(data, content_type=row.content_type)
    response["Content-Disposition"] = content_disposition_header(True, row.file_name) or "attachment"
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
