"""Two officers acting on one dossier's workflow at the same moment (PostgreSQL): one wins, the other gets a
clear conflict, and nothing is half-applied — no second open step, no payment counted twice."""

from __future__ import annotations

import pytest

from lienthong.core.errors import DomainError
from lienthong.onestop import actions, fees, workflow
from lienthong.onestop.models import DossierEvent, DossierStep, NationalStatus
from lienthong.onestop.services import receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import applicant, build_world
from .test_concurrency import _run
from .workflow_world import P_LINKED, add_staff


def _processing():
    world = build_world()
    seed_calendar([2026, 2027])
    staff = add_staff(world)
    dossier = receive_dossier(
        actor=world.officer_a, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="desk"
    )
    return world, staff, actions.start_processing(actor=world.officer_a, dossier=dossier)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_head_forwarding_while_a_leader_approves_moves_the_dossier_one_step() -> None:
    _world, staff, dossier = _processing()
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            if index == 0:
                workflow.forward(actor=staff.head_a, dossier=dossier, expected_version=dossier.version)
            else:
                workflow.approve(actor=staff.leader_a, dossier=dossier, expected_version=dossier.version)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(f"{error.status}:{error.rule}")

    assert _run(2, work) == []
    assert sorted(outcomes) == ["409:stale_version", "ok"]
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("sequence"))
    assert [s.outcome for s in steps] == ["forwarded", "open"]
    assert steps[1].step_order == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_paid_at_once_count_the_payment_once() -> None:
    world, _staff, dossier = _processing()
    waiting = fees.request_payment(actor=world.specialist_a, dossier=dossier, amount=40_000, reason="Lệ phí")
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            fees.record_payment(actor=world.officer_a, dossier=waiting, amount=40_000)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(f"{error.status}:{error.rule}")

    assert _run(2, work) == []
    assert sorted(outcomes) == ["409:status", "ok"]
    waiting.refresh_from_db()
    assert (waiting.national_status, waiting.fee_paid) == (NationalStatus.PROCESSING, 40_000)
    assert DossierEvent.objects.filter(dossier=waiting, action="pay").count() == 1
