"""Two officers acting on one dossier at the same moment (PostgreSQL): one wins, the other gets a conflict,
and nothing is half-applied."""

from __future__ import annotations

import pytest

from lienthong.core.errors import DomainError
from lienthong.onestop import actions
from lienthong.onestop.models import DossierEvent, NationalStatus
from lienthong.onestop.services import receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import P_WORKING_DAYS, applicant, build_world
from .test_concurrency import _run


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_finishing_and_stopping_one_dossier_at_once_one_wins_the_other_gets_a_status_conflict() -> None:
    world = build_world()
    seed_calendar([2026, 2027])
    dossier = receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
    )
    dossier = actions.start_processing(actor=world.specialist_a, dossier=dossier)
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            if index == 0:
                actions.finish(actor=world.specialist_a, dossier=dossier)
                outcomes.append("finished")
            else:
                actions.stop_processing(
                    actor=world.officer_a, dossier=dossier, reason="Người nộp đề nghị dừng"
                )
                outcomes.append("stopped")
        except DomainError as error:
            outcomes.append(f"{error.status}:{error.rule}")

    assert _run(2, work) == []
    assert len(outcomes) == 2 and "409:status" in outcomes
    dossier.refresh_from_db()
    assert dossier.national_status in (NationalStatus.FINISHED, NationalStatus.STOPPED)
    assert dossier.version == 3  # received 1, processing 2, one winner 3
    assert DossierEvent.objects.filter(dossier=dossier, action__in=("finish", "stop")).count() == 1
    assert (dossier.finished_at is not None) == (dossier.national_status == NationalStatus.FINISHED)
