"""Officers acting at the same moment on PostgreSQL: codes stay gap-free, and one acceptance wins."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from lienthong.audit.selectors import verify_chain
from lienthong.core.errors import DomainError
from lienthong.onestop.models import Dossier, DossierEvent, NationalStatus
from lienthong.onestop.services import accept_dossier, receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import CODE_A, P_WORKING_DAYS, applicant, build_world


def _run(threads: int, work: Callable[[int], None]) -> list[BaseException]:
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    started = [threading.Thread(target=body, args=(i,)) for i in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_desks_receiving_at_once_get_consecutive_codes() -> None:
    world = build_world()
    seed_calendar([2026, 2027])

    def work(index: int) -> None:
        for _ in range(10):
            receive_dossier(
                actor=world.officer_a,
                procedure_code=P_WORKING_DAYS,
                agency=world.a,
                applicant=applicant(),
                channel="desk",
            )

    assert _run(4, work) == []
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in Dossier.objects.values_list("code", flat=True))
    assert numbers == list(range(1, 41))
    assert all(code.startswith(CODE_A) for code in Dossier.objects.values_list("code", flat=True))
    # Each dossier has its first timeline line, and the audit entries of all forty form one unbroken chain.
    assert DossierEvent.objects.filter(action="receive").count() == 40
    assert set(DossierEvent.objects.values_list("dossier_id", flat=True)) == set(
        Dossier.objects.values_list("id", flat=True)
    )
    entries, broken = verify_chain()
    assert broken is None and entries >= 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_one_dossier_at_once_one_wins_the_other_gets_a_conflict() -> None:
    world = build_world()
    seed_calendar([2026, 2027])
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            accept_dossier(actor=world.officer_a, dossier=dossier, expected_version=1)
            outcomes.append("accepted")
        except DomainError as error:
            outcomes.append(f"{error.status}:{error.rule}")

    assert _run(2, work) == []
    assert sorted(outcomes) == ["409:stale_version", "accepted"]
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.ACCEPTED and dossier.version == 2
    assert DossierEvent.objects.filter(dossier=dossier, action="accept").count() == 1
