"""Incoming documents: the clerk registers scans and files, duplicates are caught, the leader assigns, handlers
write opinions and progress, the main handler completes; on time or late against the deadline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from lienthong.core.errors import DomainError
from lienthong.documents import selectors, services
from lienthong.documents.models import HandlingAssignment, IncomingStatus, SignatureStatus
from lienthong.documents.services import IncomingContent
from lienthong.documents.signals import incoming_registered
from lienthong.worktime import arith
from lienthong.worktime.arith import VN_TZ
from lienthong.worktime.selectors import calendar_for

from .world import SECRET, SIGNATURE_PNG, World, tiny_pdf

SCAN = tiny_pdf("Ban quet")


def _scan(**overrides: object) -> IncomingContent:
    values: dict[str, object] = {
        "issuer_name": "Bảo hiểm xã hội tỉnh Thanh Lâm",
        "document_date": date(2026, 12, 1),
        "subject": "Về việc đối chiếu số liệu đóng bảo hiểm năm 2026",
        "pdf": SCAN,
        "number_notation": "Số: 215/BHXH-QLT",
        "file_name": "cong-van-215.pdf",
    }
    values.update(overrides)
    return IncomingContent(**values)  # type: ignore[arg-type]


def _register(world: World, **overrides: object):
    return services.register_incoming(actor=world.b_clerk, agency=world.b, content=_scan(**overrides))


def test_the_clerk_registers_a_scan_without_signature_with_the_next_incoming_number(
    world: World, clock, django_capture_on_commit_callbacks
) -> None:
    clock(datetime(2026, 12, 4, 9, 0, tzinfo=VN_TZ))
    seen: list[str] = []

    def receiver(sender, document, source, **kwargs):
        seen.append(f"{document.arrival_number}:{source}")

    incoming_registered.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = _register(world)
            second = _register(world, number_notation="216/BHXH-QLT")
    finally:
        incoming_registered.disconnect(receiver)
    assert seen == ["1:manual", "2:manual"]
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert first.source_number == "215" and first.source_notation == "BHXH-QLT"
    assert first.signature_status == SignatureStatus.UNSIGNED
    assert first.signature_report["signatures"] == []
    assert first.status == IncomingStatus.REGISTERED and first.registered_by == world.b_clerk
    assert selectors.file_of(first) == SCAN


def test_an_image_is_refused_with_a_request_for_a_pdf(world: World) -> None:
    with pytest.raises(DomainError) as info:
        _register(world, pdf=SIGNATURE_PNG)
    assert (info.value.rule, info.value.field) == ("pdf_required", "pdf")
    assert "PDF" in info.value.message


def test_the_same_document_twice_is_a_conflict_naming_the_first_unless_confirmed_as_another_copy(
    world: World,
) -> None:
    first = _register(world)
    with pytest.raises(DomainError) as info:
        _register(world, number_notation="215/BHXH-QLT", issuer_name="BẢO HIỂM XÃ HỘI TỈNH THANH LÂM")
    assert (info.value.status, info.value.rule) == (409, "duplicate_incoming")
    assert "số 01" in info.value.message
    copy = services.register_incoming(
        actor=world.b_clerk, agency=world.b, content=_scan(), confirm_duplicate=True
    )
    assert copy.duplicate_of == first and copy.arrival_number == 2
    other_date = _register(world, document_date=date(2026, 12, 2))
    assert other_date.duplicate_of is None


@pytest.mark.parametrize(
    ("overrides", "rule", "field"),
    [
        ({"issuer_code": "H56"}, "agency_code_shape", "issuer_code"),
        ({"number_notation": "BHXH-QLT"}, "number_notation_shape", "number_notation"),
        ({"subject": ""}, "required", "subject"),
        ({"issuer_name": ""}, "required", "issuer_name"),
        ({"document_date": date(2099, 1, 1)}, "after_arrival", "document_date"),
        ({"urgency": "rất khẩn"}, "choice", "urgency"),
        ({"pdf": b"%PDF-1.4 no end"}, "pdf_structure", "pdf"),
    ],
)
def test_bad_metadata_or_file_is_refused_naming_the_field(
    world: World, overrides, rule: str, field: str
) -> None:
    with pytest.raises(DomainError) as info:
        _register(world, **overrides)
    assert (info.value.rule, info.value.field) == (rule, field)


def test_only_a_clerk_of_the_receiving_agency_registers(world: World) -> None:
    for person in (world.b_specialist, world.a_clerk):
        with pytest.raises(DomainError) as info:
            services.register_incoming(actor=person, agency=world.b, content=_scan())
        assert (info.value.status, info.value.rule) == (403, "clerk_role_required")


def test_a_signed_file_registered_by_the_clerk_shows_its_signature_report(world: World) -> None:
    document = services.create_draft(
        actor=world.a_unit_head, agency=world.a, content=world.content(recipients=[])
    )
    services.submit_draft(actor=world.a_unit_head, document=document)
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    issued = services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    row = _register(
        world,
        pdf=selectors.file_of(issued),
        issuer_code=world.a.code,
        issuer_name="",
        number_notation=issued.number_notation,
        document_date=issued.issue_date,
    )
    assert row.issuer == world.a and row.issuer_name == world.a.name
    assert row.signature_status == SignatureStatus.VALID_TRUSTED
    assert [s["signer"] for s in row.signature_report["signatures"]] == [
        "Ngô Văn Thắng",
        "Sở Nội vụ tỉnh Thanh Lâm",
    ]


def test_a_secret_incoming_document_goes_to_the_secret_register(world: World) -> None:
    plain = _register(world)
    secret = _register(world, secrecy="secret", number_notation="01/M-BHXH")
    assert (plain.arrival_number, secret.arrival_number) == (1, 1)
    assert secret.register.secret and not plain.register.secret


# --- assignment and handling -----------------------------------------------------------------------------


def test_the_leader_assigns_with_a_deadline_in_working_days(world: World, clock) -> None:
    clock(datetime(2026, 12, 4, 9, 0, tzinfo=VN_TZ))  # a Friday
    row = _register(world)
    services.assign_incoming(
        actor=world.b_leader, document=row, main=world.b_unit, cooperating=[world.b_clerk], due_in_days=3
    )
    expected = arith.add_working_days(
        calendar_for(world.b.code), datetime(2026, 12, 4, 9, 0, tzinfo=VN_TZ), 3
    )
    assert row.processing_due == expected and expected.date() == date(2026, 12, 9)
    assert row.status == IncomingStatus.ASSIGNED
    assert HandlingAssignment.objects.filter(document=row, is_active=True).count() == 2
    # The unit's members act for it: the specialist of the economy unit is a main handler.
    assert row in selectors.assigned_to(world.b_specialist)


def test_assignment_refusals(world: World) -> None:
    row = _register(world)
    cases = [
        (dict(actor=world.b_unit_head, main=world.b_specialist, due_in_days=2), "leader_role_required"),
        (dict(actor=world.b_leader, main=world.a_specialist, due_in_days=2), "handler_other_agency"),
        (dict(actor=world.b_leader, main=world.a_unit, due_in_days=2), "handler_other_agency"),
        (dict(actor=world.b_leader, main=world.b_specialist), "one_of"),
        (dict(actor=world.b_leader, main=world.b_specialist, due_in_days=0), "range"),
        (dict(actor=world.b_leader, main=world.b_specialist, due_date=date(2020, 1, 1)), "not_past"),
        (
            dict(
                actor=world.b_leader, main=world.b_specialist, cooperating=[world.b_specialist], due_in_days=2
            ),
            "duplicate",
        ),
    ]
    for arguments, rule in cases:
        with pytest.raises(DomainError) as info:
            services.assign_incoming(document=row, **arguments)  # type: ignore[arg-type]
        assert info.value.rule == rule, arguments


def test_a_new_assignment_replaces_the_current_one(world: World) -> None:
    row = _register(world)
    services.assign_incoming(actor=world.b_leader, document=row, main=world.b_specialist, due_in_days=2)
    services.assign_incoming(
        actor=world.b_leader, document=row, main=world.b_unit_head, due_date=date(2099, 1, 2)
    )
    active = HandlingAssignment.objects.filter(document=row, is_active=True)
    assert [a.person for a in active] == [world.b_unit_head]
    assert HandlingAssignment.objects.filter(document=row).count() == 2


def test_handlers_write_opinions_and_only_the_main_handler_completes(world: World) -> None:
    row = _register(world)
    with pytest.raises(DomainError) as info:
        services.complete_incoming(actor=world.b_specialist, document=row, result_note="Xong")
    assert info.value.rule == "not_assigned"
    services.assign_incoming(
        actor=world.b_leader,
        document=row,
        main=world.b_specialist,
        cooperating=[world.b_unit_head],
        due_in_days=2,
    )
    services.add_note(actor=world.b_unit_head, document=row, text="Phòng KT phối hợp số liệu", kind="opinion")
    services.add_note(actor=world.b_leader, document=row, text="Khẩn trương", kind="opinion")
    with pytest.raises(DomainError) as info:
        services.add_note(actor=world.b_clerk, document=row, text="?")
    assert info.value.rule == "handler_required"
    with pytest.raises(DomainError) as info:
        services.complete_incoming(actor=world.b_unit_head, document=row, result_note="Xong")
    assert info.value.rule == "main_handler_required"
    with pytest.raises(DomainError) as info:
        services.complete_incoming(actor=world.b_specialist, document=row)
    assert (info.value.rule, info.value.field) == ("required", "result_note")
    services.complete_incoming(
        actor=world.b_specialist, document=row, result_note="Đã đối chiếu, gửi số liệu"
    )
    assert row.status == IncomingStatus.COMPLETED and row.completed_by == world.b_specialist
    assert [n.kind for n in row.notes.all()] == ["opinion", "opinion"]
    with pytest.raises(DomainError) as info:
        services.add_note(actor=world.b_specialist, document=row, text="thêm", kind="progress")
    assert info.value.rule == "already_completed"


def test_completing_after_the_deadline_date_is_late_and_an_open_one_becomes_overdue(
    world: World, clock
) -> None:
    clock(datetime(2026, 12, 7, 9, 0, tzinfo=VN_TZ))
    late, open_one = _register(world), _register(world, number_notation="300/BHXH-QLT")
    for row in (late, open_one):
        services.assign_incoming(actor=world.b_leader, document=row, main=world.b_specialist, due_in_days=1)
    due_day = late.processing_due.astimezone(VN_TZ).date()
    clock(datetime.combine(due_day, datetime.min.time(), tzinfo=VN_TZ) + timedelta(hours=16))
    assert selectors.processing_timeliness(open_one) == "within_time"
    clock(
        datetime.combine(due_day + timedelta(days=1), datetime.min.time(), tzinfo=VN_TZ) + timedelta(hours=9)
    )
    services.complete_incoming(actor=world.b_specialist, document=late, result_note="Đã xử lý")
    assert selectors.processing_timeliness(late) == "late"
    assert selectors.processing_timeliness(open_one) == "overdue"
