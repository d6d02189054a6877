"""Dossier code allocation: 1..N without gaps or duplicates, per agency and per day, even under concurrency."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone

from lienthong.directory import services as directory
from lienthong.directory.models import Agency
from lienthong.onestop.codes import format_dossier_code, parse_dossier_code
from lienthong.onestop.codes_db import allocate_code
from lienthong.onestop.models import Dossier, DossierCodeCounter
from lienthong.onestop.services import receive_dossier

from .helpers import CODE_A, P_WORKING_DAYS, World, applicant

CODE = "000.00.03.H56"


def _agency(code: str = CODE) -> Agency:
    return directory.create_agency(
        actor=None, code=code, name=f"Cơ quan {code}", short_name="CQ", tier="province"
    )


@pytest.mark.django_db
def test_codes_of_one_agency_and_day_run_from_one_without_gaps() -> None:
    agency = _agency()
    codes = [allocate_code(agency, date(2026, 11, 20)) for _ in range(25)]
    assert codes[0] == "000.00.03.H56-261120-0001"
    assert [parse_dossier_code(c).number for c in codes] == list(range(1, 26))


@pytest.mark.django_db
def test_the_sequence_restarts_every_day_and_is_separate_per_agency() -> None:
    a, b = _agency(), _agency("000.00.04.H56")
    assert allocate_code(a, date(2026, 11, 20)).endswith("-261120-0001")
    assert allocate_code(a, date(2026, 11, 20)).endswith("-261120-0002")
    assert allocate_code(a, date(2026, 11, 21)).endswith("-261121-0001")
    assert allocate_code(b, date(2026, 11, 20)) == "000.00.04.H56-261120-0001"
    assert DossierCodeCounter.objects.get(agency=a, day=date(2026, 11, 20)).last_number == 2


@pytest.mark.django_db
def test_a_rolled_back_allocation_gives_its_number_back() -> None:
    agency = _agency()
    allocate_code(agency, date(2026, 11, 20))
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_code(agency, date(2026, 11, 20))
        raise RuntimeError("the dossier could not be stored")
    assert allocate_code(agency, date(2026, 11, 20)).endswith("-0002")


@pytest.mark.django_db
def test_the_ten_thousandth_code_of_a_day_gets_five_digits() -> None:
    agency = _agency()
    DossierCodeCounter.objects.create(agency=agency, day=date(2026, 11, 20), last_number=9999)
    assert allocate_code(agency, date(2026, 11, 20)) == "000.00.03.H56-261120-10000"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_threads_allocating_two_hundred_codes_get_exactly_0001_to_0200() -> None:
    agency = _agency()
    day = date(2026, 11, 20)
    barrier = threading.Barrier(8)
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(25):
                code = allocate_code(agency, day)
                with lock:
                    results.append(code)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [f"000.00.03.H56-261120-{n:04d}" for n in range(1, 201)]
    assert DossierCodeCounter.objects.get(agency=agency, day=day).last_number == 200


@pytest.mark.django_db
def test_a_received_dossier_after_9999_gets_the_code_the_python_rule_gives(world: World) -> None:
    # On PostgreSQL the code is formatted inside the intake's single statement: it must agree with
    # format_dossier_code at the four-digit boundary.
    today = timezone.localdate()
    DossierCodeCounter.objects.create(agency=world.a, day=today, last_number=9998)
    codes = [
        receive_dossier(
            actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="desk"
        ).code
        for _ in range(2)
    ]
    assert codes == [format_dossier_code(CODE_A, today, 9999), format_dossier_code(CODE_A, today, 10000)]
    stored = Dossier.objects.get(code=codes[1])
    assert stored.events.get().action == "receive" and stored.agency_id == world.a.pk
