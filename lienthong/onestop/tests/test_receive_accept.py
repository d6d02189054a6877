"""Receiving and accepting dossiers: statuses, exact appointments across Tết 2027 and a swapped working Saturday,
refusals that name the field, the desk role, and the timeline, audit entries and events every action leaves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pytest

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import history_of, verify_chain
from lienthong.catalog.models import Procedure
from lienthong.catalog.services import save_procedure
from lienthong.core.errors import Conflict, DomainError
from lienthong.onestop.files import Upload
from lienthong.onestop.models import Dossier, NationalStatus
from lienthong.onestop.selectors import dossier_by_code, timeline_of
from lienthong.onestop.services import accept_dossier, receive_and_return_rows, receive_dossier
from lienthong.onestop.signals import dossier_status_changed
from lienthong.worktime.services import seed_calendar

from .helpers import (
    CODE_A,
    P_CALENDAR_DAYS,
    P_CANCELLED,
    P_HOURS,
    P_ONLY_B,
    P_SUSPENDED,
    P_TWO_DAYS,
    P_WORKING_DAYS,
    World,
    applicant,
    change_record,
    vn,
)
from .test_intake_page import pdf_bytes

Clock = Callable[[datetime], None]


@pytest.fixture
def calendar(world: World) -> None:
    seed_calendar([2026, 2027])


@pytest.fixture
def events() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        seen.append(kwargs)

    dossier_status_changed.connect(receiver, weak=False)
    yield seen
    dossier_status_changed.disconnect(receiver)


def _desk(world: World, procedure: str, at: datetime, clock: Clock) -> Dossier:
    clock(at)
    return receive_dossier(
        actor=world.officer_a, procedure_code=procedure, agency=world.a, applicant=applicant(), channel="desk"
    )


# --- statuses and appointments ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_online_dossier_waits_for_acceptance_and_gets_its_appointment_when_accepted(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2026, 11, 20, 21, 15))  # Friday evening, after hours
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    assert dossier.code == f"{CODE_A}-261120-0001"
    assert dossier.national_status == NationalStatus.SUBMITTED
    assert dossier.due_at is None
    clock(vn(2026, 11, 23, 8, 30))  # Monday morning
    accepted = accept_dossier(actor=world.officer_a, dossier=dossier)
    assert accepted.national_status == NationalStatus.ACCEPTED
    assert accepted.accepted_at == vn(2026, 11, 23, 8, 30)
    # 3 working days from Monday 08:30 (Tuesday 24/11 is Vietnam Cultural Day): Friday 27/11 at 08:30.
    assert accepted.due_at == vn(2026, 11, 27, 8, 30)
    assert accepted.version == 2


@pytest.mark.django_db
def test_accepting_just_before_tet_2027_skips_the_whole_holiday(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2027, 2, 3, 9, 0))
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    clock(vn(2027, 2, 3, 15, 0))  # Wednesday 3/2/2027, the last working afternoon before Tết
    accepted = accept_dossier(actor=world.officer_a, dossier=dossier)
    # Tết 2027: Thursday 4/2 to Wednesday 10/2 off. 2 h on 3/2, 8 h on 11/2 and 12/2, 6 h on Monday 15/2.
    assert accepted.due_at == vn(2027, 2, 15, 15, 0)


@pytest.mark.django_db
def test_a_desk_dossier_handed_in_after_hours_before_tet_starts_counting_after_tet(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, P_TWO_DAYS, vn(2027, 2, 3, 18, 0), clock)
    assert dossier.national_status == NationalStatus.ACCEPTED
    assert dossier.accepted_at == vn(2027, 2, 3, 18, 0)
    # Counting starts Thursday 11/2 07:00; two working days end Friday 12/2 at 17:00.
    assert dossier.due_at == vn(2027, 2, 12, 17, 0)


@pytest.mark.django_db
def test_calendar_day_and_working_hour_deadlines_across_tet_2027(
    world: World, calendar: None, clock: Clock
) -> None:
    six_days = _desk(world, P_CALENDAR_DAYS, vn(2027, 2, 3, 10, 0), clock)
    # 3/2 + 6 days = Tuesday 9/2, inside Tết: the term ends at the close of the next working day, Thursday 11/2.
    assert six_days.due_at == vn(2027, 2, 11, 17, 0)
    four_hours = _desk(world, P_HOURS, vn(2027, 2, 3, 16, 0), clock)
    # 1 h on 3/2, then 3 h from 07:00 on 11/2.
    assert four_hours.due_at == vn(2027, 2, 11, 10, 0)


@pytest.mark.django_db
def test_the_swapped_working_saturday_22_august_2026_counts_as_a_working_day(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, P_TWO_DAYS, vn(2026, 8, 21, 10, 0), clock)  # Friday
    # Saturday 22/8/2026 is worked (swapped for Monday 31/8): day 1 ends Saturday 10:00, day 2 Monday 24/8 10:00.
    assert dossier.due_at == vn(2026, 8, 24, 10, 0)


@pytest.mark.django_db
def test_the_day_off_swapped_for_that_saturday_and_national_day_are_skipped(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, P_TWO_DAYS, vn(2026, 8, 28, 10, 0), clock)  # Friday
    # Monday 31/8 (swapped day off), Tuesday 1/9 and Wednesday 2/9 (National Day) are off.
    assert dossier.due_at == vn(2026, 9, 4, 10, 0)


@pytest.mark.django_db
def test_a_postal_dossier_is_accepted_on_arrival(world: World, calendar: None, clock: Clock) -> None:
    clock(vn(2026, 11, 20, 10, 0))
    dossier = receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(kind="organisation", name="Công ty TNHH Minh Phát", id_number="2801234567-001"),
        channel="postal",
        received_at=vn(2026, 11, 19, 16, 0),
        representative={"name": "Đỗ Văn Minh", "id_number": "038095001234", "relation": "Giám đốc"},
    )
    assert dossier.national_status == NationalStatus.ACCEPTED
    assert dossier.code == f"{CODE_A}-261119-0001"  # the day it was received, not the day it was keyed in
    assert dossier.due_at == vn(2026, 11, 25, 16, 0)  # Thu 16:00 + 3 days, skipping the weekend and 24/11
    assert dossier.representative == {
        "name": "Đỗ Văn Minh",
        "id_number": "038095001234",
        "relation": "Giám đốc",
    }


@pytest.mark.django_db
def test_the_dossier_keeps_the_procedure_version_it_was_received_under(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2026, 11, 20, 9, 0))
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    first_version = dossier.procedure_version
    save_procedure(actor=None, record=change_record(P_WORKING_DAYS, 10))
    assert Procedure.objects.get(code=P_WORKING_DAYS).current_version != first_version
    accepted = accept_dossier(actor=world.officer_a, dossier=dossier)
    assert accepted.procedure_version == first_version
    assert accepted.due_at == vn(2026, 11, 26, 9, 0)  # 3 days as in its version, not 10


# --- refusals -------------------------------------------------------------------------------------------


def _refusal(world: World, **changes: Any) -> DomainError:
    arguments: dict[str, Any] = {
        "actor": world.officer_a,
        "procedure_code": P_WORKING_DAYS,
        "agency": world.a,
        "applicant": applicant(),
        "channel": "desk",
    }
    arguments.update(changes)
    with pytest.raises(DomainError) as caught:
        receive_dossier(**arguments)
    return caught.value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"procedure_code": "1.999999"}, "procedure_code", "unknown_procedure"),
        ({"procedure_code": P_CANCELLED}, "procedure_code", "procedure_cancelled"),
        ({"procedure_code": P_SUSPENDED}, "procedure_code", "procedure_suspended"),
        ({"procedure_code": P_ONLY_B}, "agency", "agency_not_implementing"),
        ({"channel": "fax"}, "channel", "choice"),
        ({"applicant": applicant(id_number="12345")}, "applicant.id_number", "citizen_id_shape"),
        (
            {"applicant": applicant(kind="organisation", id_number="038095001234")},
            "applicant.id_number",
            "tax_code_shape",
        ),
        ({"applicant": applicant(kind="robot")}, "applicant.kind", "choice"),
        ({"applicant": applicant(name="  ")}, "applicant.name", "required"),
        ({"applicant": applicant(email="minh@")}, "applicant.email", "email_shape"),
        ({"applicant": applicant(phone="09-abc")}, "applicant.phone", "phone_shape"),
        (
            {"applicant": {"kind": "person", "name": "A", "id_number": "038095001234", "cmnd": "1"}},
            "applicant.cmnd",
            "unknown_field",
        ),
        ({"applicant": {"name": "A", "id_number": "038095001234"}}, "applicant.kind", "choice"),
        (
            {"applicant": {"kind": "person", "name": 42, "id_number": "038095001234"}},
            "applicant.name",
            "type",
        ),
        (
            {
                "applicant": {
                    "kind": "person",
                    "name": "A",
                    "id_number": "038095001234",
                    "date_of_birth": "2001-13-01",
                }
            },
            "applicant.date_of_birth",
            "date_shape",
        ),
        ({"applicant": applicant(date_of_birth=date(2099, 1, 1))}, "applicant.date_of_birth", "not_future"),
        ({"representative": ["not", "an", "object"]}, "representative", "type"),
        ({"received_at": datetime(2026, 11, 20, 9, 0)}, "received_at", "aware"),
        ({"received_at": vn(2030, 1, 1)}, "received_at", "not_future"),
    ],
)
def test_receiving_is_refused_with_the_field_and_rule_named(
    world: World, changes: dict[str, Any], field: str, rule: str
) -> None:
    error = _refusal(world, **changes)
    assert error.status == 400
    assert field in [p.field for p in error.problems]
    assert rule in [p.rule for p in error.problems]
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_intake_spends_no_code(world: World, calendar: None, clock: Clock) -> None:
    clock(vn(2026, 11, 20, 9, 0))
    _refusal(world, applicant=applicant(id_number="1"))
    dossier = _desk(world, P_WORKING_DAYS, vn(2026, 11, 20, 9, 5), clock)
    assert dossier.code.endswith("-0001")


@pytest.mark.django_db
def test_an_officer_without_the_desk_role_is_refused(world: World) -> None:
    error = _refusal(world, actor=world.specialist_a)
    assert error.status == 403
    assert error.rule == "onestop_officer_required"


@pytest.mark.django_db
def test_a_desk_officer_of_another_agency_is_refused(world: World) -> None:
    error = _refusal(world, actor=world.officer_b)
    assert error.status == 403


@pytest.mark.django_db
def test_a_system_administrator_may_receive_anywhere(world: World, calendar: None) -> None:
    dossier = receive_dossier(
        actor=world.sysadmin,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
    )
    assert dossier.national_status == NationalStatus.ACCEPTED


@pytest.mark.django_db
def test_only_a_desk_officer_of_the_receiving_agency_may_accept(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2026, 11, 20, 9, 0))
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    for outsider in (world.specialist_a, world.officer_b):
        with pytest.raises(DomainError) as caught:
            accept_dossier(actor=outsider, dossier=dossier)
        assert caught.value.status == 403
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.SUBMITTED
    assert dossier.version == 1


@pytest.mark.django_db
def test_accepting_twice_or_from_a_stale_page_is_a_conflict(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2026, 11, 20, 9, 0))
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    with pytest.raises(Conflict) as stale:
        accept_dossier(actor=world.officer_a, dossier=dossier, expected_version=7)
    assert stale.value.field == "version"
    accept_dossier(actor=world.officer_a, dossier=dossier, expected_version=1)
    with pytest.raises(Conflict) as again:
        accept_dossier(actor=world.officer_a, dossier=dossier)
    assert again.value.status == 409
    assert again.value.field == "national_status"


# --- timeline, audit, events ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_each_action_writes_a_timeline_line_an_audit_entry_and_one_event_after_commit(
    world: World, calendar: None, clock: Clock, events: list[dict[str, Any]]
) -> None:
    clock(vn(2026, 11, 20, 9, 0))
    dossier = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    clock(vn(2026, 11, 20, 10, 0))
    accept_dossier(actor=world.officer_a, dossier=dossier)
    assert dossier_by_code(f" {dossier.code} ") == dossier
    timeline = list(timeline_of(dossier).values_list("action", "from_status", "to_status", "actor"))
    assert timeline == [("receive", None, 1, "hệ thống"), ("accept", 1, 2, "motcua.a")]
    assert [e.action for e in history_of(dossier)][-2:] in (
        ["dossier.receive", "dossier.accept"],
        ["dossier.accept", "dossier.receive"],
    )
    entry = AuditEntry.objects.get(action="dossier.accept")
    assert entry.agency_code == CODE_A and entry.actor == "motcua.a"
    assert [(e["action"], e["from_status"], e["to_status"], e["dossier"].code) for e in events] == [
        ("receive", None, 1, dossier.code),
        ("accept", 1, 2, dossier.code),
    ]
    count, broken = verify_chain()
    assert broken is None and count > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_files", [False, True], ids=["no components", "two components"])
def test_the_receipt_audit_entry_names_the_new_code_and_key_and_keeps_the_chain_intact(
    world: World, calendar: None, clock: Clock, with_files: bool
) -> None:
    clock(vn(2026, 11, 20, 9, 0))
    components = [
        Upload("Tờ khai", "to-khai.pdf", pdf_bytes()),
        Upload("Giấy tờ", "giay-to.pdf", pdf_bytes()),
    ]
    dossier = receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
        components=components if with_files else [],
    )

    entry = AuditEntry.objects.get(action="dossier.receive")
    assert (entry.object_id, entry.object_label) == (str(dossier.pk), dossier.code)
    assert entry.changes["code"] == [None, dossier.code]
    assert [c["title"] for c in entry.changes["components"][1]] == (
        ["Tờ khai", "Giấy tờ"] if with_files else []
    )
    assert dossier.files.count() == (2 if with_files else 0)
    assert "<code " not in str(entry.changes) and "<id " not in entry.object_id
    count, broken = verify_chain()
    assert broken is None and count >= 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_dossier_with_files_is_written_in_one_statement_that_is_its_whole_transaction(
    world: World, calendar: None
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    components = [
        Upload("Tờ khai", "to-khai.pdf", pdf_bytes()),
        Upload("Giấy tờ", "giay-to.pdf", pdf_bytes()),
    ]
    with CaptureQueriesContext(connection) as queries:
        received = receive_and_return_rows(
            actor=world.officer_a,
            procedure_code=P_WORKING_DAYS,
            agency=world.a,
            applicant=applicant(),
            channel="desk",
            components=components,
        )
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    # One statement (autocommit): the agency's counter row is locked while it runs, not across round trips.
    assert len(writes) == 1 and "onestop_dossierfile" in writes[0]
    rows = list(received.dossier.files.order_by("id"))
    assert [f.pk for f in received.files] == [f.pk for f in rows]
    assert [(f.title, f.file_name) for f in rows] == [("Tờ khai", "to-khai.pdf"), ("Giấy tờ", "giay-to.pdf")]
    stored_as = ["sha256", "size", "content_type", "storage_name", "uploaded_at", "uploaded_by", "signed_at"]
    assert [[getattr(f, a) for a in stored_as] for f in rows] == [
        [getattr(f, a) for a in stored_as] for f in received.files
    ]
    assert rows[0].uploaded_at == received.dossier.received_at and rows[0].signed_by == ""


def test_on_postgresql_the_intake_statement_is_the_same_text_for_any_number_of_files(
    world: World, calendar: None
) -> None:
    """psycopg keeps a statement's converted text, and the server its plan, only for one text: the files travel
    as one parameter, so one file or three make the same statement."""
    from django.db import connection

    texts: list[str] = []

    def keep_text(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "INSERT" in sql:
            texts.append(sql)
        return execute(sql, params, many, context)

    for count in (1, 3):
        with connection.execute_wrapper(keep_text):
            receive_and_return_rows(
                actor=world.officer_a,
                procedure_code=P_WORKING_DAYS,
                agency=world.a,
                applicant=applicant(),
                channel="desk",
                components=[Upload(f"Giấy {i}", f"giay-{i}.pdf", pdf_bytes()) for i in range(count)],
            )
    assert len(texts) == 2 and texts[0] == texts[1]
    assert texts[0].count("%s") <= 50  # psycopg converts and caches statements of at most 50 parameters


@pytest.mark.django_db(transaction=True)
def test_no_event_is_sent_when_the_transaction_rolls_back(
    world: World, calendar: None, events: list[dict[str, Any]]
) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        receive_dossier(
            actor=world.officer_a,
            procedure_code=P_WORKING_DAYS,
            agency=world.a,
            applicant=applicant(),
            channel="desk",
        )
        raise RuntimeError("later step failed")
    assert events == []
    assert Dossier.objects.count() == 0


def test_a_procedure_cancelled_after_a_dossier_was_received_takes_no_more(world: World, clock) -> None:
    from lienthong.catalog.models import Procedure
    from lienthong.catalog.services import cancel_procedure

    clock(vn(2026, 12, 1, 9))
    receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
    )
    cancel_procedure(actor=None, procedure=Procedure.objects.get(code=P_WORKING_DAYS))
    with pytest.raises(DomainError) as refused:
        receive_dossier(
            actor=world.officer_a,
            procedure_code=P_WORKING_DAYS,
            agency=world.a,
            applicant=applicant(),
            channel="desk",
        )
    assert refused.value.rule == "procedure_cancelled"
