"""The steps of a dossier's internal workflow: opening, closing and moving them (no roles, no audit).

Used by :mod:`.actions` (processing starts at the first step; finishing or stopping closes the open step; a
stopped clock moves the open step's due moment) and :mod:`.workflow` (forward, send back, hand over).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max

from lienthong.catalog.models import InternalStep
from lienthong.directory.models import Agency, Person
from lienthong.worktime import arith
from lienthong.worktime.selectors import calendar_for

from .models import Dossier, DossierStep, StepOutcome

#: The title of the one step of an agency that has set no internal process for the procedure.
GENERIC_STEP = "Xử lý hồ sơ"


def process_steps(dossier: Dossier, agency: Agency) -> list[InternalStep]:
    """The steps ``agency`` set for the dossier's procedure, in order (empty when it set none)."""
    return list(
        InternalStep.objects.filter(process__procedure_id=dossier.procedure_id, process__agency=agency)
        .select_related("unit")
        .order_by("order")
    )


def step_orders(dossier: Dossier, agency: Agency) -> list[int]:
    """The orders of ``agency``'s steps for the dossier's procedure; ``[1]`` (the generic step) when it set none."""
    return [s.order for s in process_steps(dossier, agency)] or [1]


def open_step_of(dossier: Dossier) -> DossierStep | None:
    return DossierStep.objects.filter(dossier=dossier, outcome=StepOutcome.OPEN).first()


def open_step(
    dossier: Dossier, agency: Agency, order: int, at: datetime, assignee: Person | None = None
) -> DossierStep:
    """Open step ``order`` of ``agency``'s process for the dossier at ``at``, with its own due moment.

    Without a process the one generic step gets the working time left until the appointment (at least an
    hour), so its lateness matches the dossier's.
    """
    calendar = calendar_for(agency.code)
    steps = {s.order: s for s in process_steps(dossier, agency)}
    template = steps.get(order)
    if template is not None:
        title, unit, role, hours = (
            template.title,
            template.unit,
            template.role,
            Decimal(template.allowance_hours),
        )
    else:
        left = arith.working_time_between(calendar, at, dossier.due_at) if dossier.due_at else timedelta(0)
        hours = max(Decimal(round(left.total_seconds() / 3600, 2)), Decimal(1))
        title, unit, role = GENERIC_STEP, None, ""
    last = DossierStep.objects.filter(dossier=dossier).aggregate(n=Max("sequence"))["n"] or 0
    return DossierStep.objects.create(
        dossier=dossier,
        sequence=last + 1,
        step_order=order,
        title=title,
        agency=agency,
        unit=unit,
        role=role,
        assignee=assignee,
        allowance_hours=hours,
        started_at=at,
        due_at=arith.add_working_hours(calendar, at, float(hours)),
    )


def close_step(dossier: Dossier, at: datetime, outcome: str) -> DossierStep | None:
    """Close the dossier's open step, if any, with ``outcome``."""
    step = open_step_of(dossier)
    if step is not None:
        step.finished_at = at
        step.outcome = outcome
        step.save(update_fields=["finished_at", "outcome"])
    return step


def move_open_step(dossier: Dossier, paused: timedelta) -> None:
    """A stopped clock also stops the open step's clock: move its due moment by the paused working time."""
    step = open_step_of(dossier)
    if step is not None and paused > timedelta(0):
        step.due_at = arith.add_working_time(calendar_for(step.agency.code), step.due_at, paused)
        step.save(update_fields=["due_at"])
