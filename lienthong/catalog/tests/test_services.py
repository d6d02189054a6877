"""Catalogue services: versions only on change, cancelling keeps versions, audit entries, named validation
errors, and internal processes that must fit inside the legal processing time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pytest

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import history_of
from lienthong.catalog import services
from lienthong.catalog.models import InternalProcess, Procedure, ProcedureAgency, ProcedureVersion, Status
from lienthong.catalog.record import Component, Fee, LegalBasis, ProcedureRecord, Result
from lienthong.core.errors import DomainError
from lienthong.directory import services as directory
from lienthong.directory.models import Agency, Person, Role, Unit

PROVINCE = "000.00.00.H56"
CODE_A = "000.00.03.H56"
CODE_B = "000.00.04.H56"


@dataclass
class World:
    """A province, two departments with units, their administrators, an officer and a system admin."""

    a: Agency
    b: Agency
    unit_a: Unit
    unit_a2: Unit
    unit_b: Unit
    admin_a: Person
    specialist_a: Person
    admin_b: Person
    sysadmin: Person


def build_world() -> World:
    province = directory.create_agency(
        actor=None, code=PROVINCE, name="Ủy ban nhân dân tỉnh Thanh Lâm", short_name="UBND", tier="province"
    )
    a = directory.create_agency(
        actor=None, code=CODE_A, name="Sở Tư pháp", short_name="STP", tier="province", parent=province
    )
    b = directory.create_agency(
        actor=None, code=CODE_B, name="Sở Xây dựng", short_name="SXD", tier="province", parent=province
    )
    unit_a = directory.create_unit(actor=None, agency=a, code="HCTP", name="Phòng Hành chính tư pháp")
    unit_a2 = directory.create_unit(actor=None, agency=a, code="VP", name="Văn phòng Sở")
    unit_b = directory.create_unit(actor=None, agency=b, code="QLXD", name="Phòng Quản lý xây dựng")
    people = {
        username: directory.create_person(actor=None, username=username, full_name=name)
        for username, name in (
            ("quantri.a", "Trần Thị Bình"),
            ("chuyenvien.a", "Nguyễn Văn An"),
            ("quantri.b", "Lê Văn Cường"),
            ("quantri.hethong", "Phạm Thị Dung"),
        )
    }
    directory.grant_role(actor=None, person=people["quantri.a"], agency=a, role=Role.AGENCY_ADMIN)
    directory.grant_role(actor=None, person=people["chuyenvien.a"], agency=a, role=Role.SPECIALIST)
    directory.grant_role(actor=None, person=people["quantri.b"], agency=b, role=Role.AGENCY_ADMIN)
    directory.grant_role(
        actor=None, person=people["quantri.hethong"], agency=province, role=Role.SYSTEM_ADMIN
    )
    people["quantri.hethong"].refresh_from_db()
    return World(
        a,
        b,
        unit_a,
        unit_a2,
        unit_b,
        people["quantri.a"],
        people["chuyenvien.a"],
        people["quantri.b"],
        people["quantri.hethong"],
    )


def make_record(code: str = "1.004401", **changes: object) -> ProcedureRecord:
    """A valid record of a criminal-record certificate at agency A: 5 working days (40 working hours)."""
    record = ProcedureRecord(
        code=code,
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        field_code="H56-TP02",
        field_name="Lý lịch tư pháp",
        processing_value=5,
        processing_unit="working_days",
        tiers=("province",),
        agencies=(CODE_A,),
        receiving_agency=CODE_A,
        fees=(Fee("", 200000, "phí"),),
        components=(Component("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"),),
        results=(Result("Phiếu lý lịch tư pháp"),),
        legal_basis=(LegalBasis("28/2009/QH12", "Luật Lý lịch tư pháp"),),
        online_level="full",
    )
    return replace(record, **changes)  # type: ignore[arg-type]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def procedure(world: World) -> Procedure:
    return services.save_procedure(actor=world.sysadmin, record=make_record(), source="test").procedure


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# --- versions --------------------------------------------------------------------------------------------


def test_a_new_procedure_gets_version_1_localised_codes_and_one_audit_entry(world: World) -> None:
    result = services.save_procedure(actor=world.sysadmin, record=make_record(), source="tệp quốc gia")
    assert result.created and result.version is not None and result.version.number == 1
    procedure = Procedure.objects.get(code="1.004401")
    assert procedure.current_version == result.version
    assert procedure.field.name == "Lý lịch tư pháp"
    assert list(procedure.implementations.values_list("local_code", flat=True)) == [f"1.004401.{CODE_A}"]
    [entry] = entries("procedure.create")
    assert entry.actor == "quantri.hethong"
    assert entry.changes["version"] == [None, 1]


def test_saving_the_same_record_again_makes_no_version_and_no_audit_entry(procedure: Procedure) -> None:
    before = AuditEntry.objects.count()
    result = services.save_procedure(actor=None, record=make_record())
    assert result.version is None and not result.created and result.changes == {}
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 1
    assert AuditEntry.objects.count() == before


def test_a_changed_record_makes_version_2_and_the_audit_names_the_changed_fields(
    procedure: Procedure,
) -> None:
    first = procedure.current_version
    result = services.save_procedure(
        actor=None, record=make_record(processing_value=7, fees=(Fee("", 100000, "phí"),))
    )
    assert result.version is not None and result.version.number == 2
    assert set(result.changes) == {"processing_value", "fees"}
    procedure.refresh_from_db()
    assert procedure.processing_value == 7
    assert procedure.current_version == result.version
    assert first is not None
    first.refresh_from_db()
    assert first.record["processing_value"] == 5, "a dossier's version never changes"
    [entry] = entries("procedure.new_version")
    assert entry.changes["version"] == [1, 2]
    assert entry.changes["processing_value"] == [5, 7]


def test_implementing_agencies_follow_the_record(world: World, procedure: Procedure) -> None:
    services.save_procedure(actor=None, record=make_record(agencies=(CODE_B,)))
    assert list(ProcedureAgency.objects.values_list("local_code", flat=True)) == [f"1.004401.{CODE_B}"]


def test_the_search_text_is_folded_without_diacritics(procedure: Procedure) -> None:
    assert "cap phieu ly lich tu phap" in procedure.search_text
    assert "1.004401" in procedure.search_text


# --- cancelling ------------------------------------------------------------------------------------------


def test_cancelling_adds_a_cancelled_version_and_keeps_every_earlier_one(procedure: Procedure) -> None:
    services.save_procedure(actor=None, record=make_record(processing_value=6))
    result = services.cancel_procedure(actor=None, procedure=procedure, source="Quyết định bãi bỏ")
    assert result.version is not None and result.version.number == 3
    procedure.refresh_from_db()
    assert procedure.status == Status.CANCELLED
    assert list(procedure.versions.values_list("number", "record__status")) == [
        (1, "active"),
        (2, "active"),
        (3, "cancelled"),
    ]
    assert history_of(procedure).last().changes["status"] == ["active", "cancelled"]  # type: ignore[union-attr]


def test_cancelling_twice_changes_nothing_the_second_time(procedure: Procedure) -> None:
    services.cancel_procedure(actor=None, procedure=procedure)
    count = AuditEntry.objects.count()
    result = services.cancel_procedure(actor=None, procedure=procedure)
    assert result.version is None
    assert AuditEntry.objects.count() == count
    assert procedure.versions.count() == 2


# --- validation ------------------------------------------------------------------------------------------


def test_a_bad_record_is_refused_naming_every_field_and_writing_nothing(world: World) -> None:
    record = make_record(
        code="1.44",
        field_code="sai mã",
        fees=(Fee("", -5),),
        components=(Component(" "),),
        processing_unit="weeks",
    )
    with pytest.raises(DomainError) as raised:
        services.save_procedure(actor=None, record=record)
    fields = {(p.field, p.rule) for p in raised.value.problems}
    assert {
        ("code", "procedure_code_shape"),
        ("field_code", "field_code_shape"),
        ("fees[0].amount", "min"),
        ("components[0].name", "required"),
        ("processing_unit", "choice"),
    } <= fields
    assert "1.44" in raised.value.message
    assert (
        not Procedure.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="procedure").exists()
    )


def test_an_implementing_agency_missing_from_the_directory_is_refused_by_code(world: World) -> None:
    with pytest.raises(DomainError) as raised:
        services.save_procedure(actor=None, record=make_record(agencies=(CODE_A, "000.00.99.H56")))
    assert raised.value.rule == "unknown_agency"
    assert raised.value.problems[0].field == "agencies"
    assert "000.00.99.H56" in raised.value.message
    assert not Procedure.objects.exists()


# --- internal processes ----------------------------------------------------------------------------------


def step(title: str, hours: str, unit: Unit | None = None, role: str = "") -> services.StepInput:
    return services.StepInput(
        title=title, allowance_hours=Decimal(hours), unit_id=unit.pk if unit else None, role=role
    )


def test_legal_hours_count_working_days_as_8_hours() -> None:
    assert services.legal_hours(Procedure(processing_value=5, processing_unit="working_days")) == 40
    assert services.legal_hours(Procedure(processing_value=4, processing_unit="working_hours")) == 4
    assert services.legal_hours(Procedure(processing_value=0.5, processing_unit="working_days")) == 4
    assert services.legal_hours(Procedure(processing_value=15, processing_unit="calendar_days")) == 120


def test_steps_that_fit_the_legal_time_are_saved_in_order_and_audited(
    world: World, procedure: Procedure
) -> None:
    process = services.set_internal_process(
        actor=world.admin_a,
        procedure=procedure,
        agency=world.a,
        steps=[
            step("Tiếp nhận hồ sơ", "4", role=Role.ONESTOP_OFFICER),
            step("Tra cứu, xác minh", "28", world.unit_a, Role.SPECIALIST),
            step("Lãnh đạo ký", "8", role=Role.LEADER),
        ],
    )
    saved = list(
        process.steps.order_by("order").values_list("order", "title", "allowance_hours", "unit_id", "role")
    )
    assert saved == [
        (1, "Tiếp nhận hồ sơ", Decimal("4"), None, "onestop_officer"),
        (2, "Tra cứu, xác minh", Decimal("28"), world.unit_a.pk, "specialist"),
        (3, "Lãnh đạo ký", Decimal("8"), None, "leader"),
    ]
    [entry] = entries("internal_process.set")
    assert entry.agency_code == CODE_A and entry.actor == "quantri.a"
    assert entry.changes["steps"][0] == []
    assert [s[0] for s in entry.changes["steps"][1]] == [
        "Tiếp nhận hồ sơ",
        "Tra cứu, xác minh",
        "Lãnh đạo ký",
    ]


def test_steps_beyond_the_legal_time_are_refused_saying_by_how_many_hours(
    world: World, procedure: Procedure
) -> None:
    with pytest.raises(DomainError) as raised:
        services.set_internal_process(
            actor=None,
            procedure=procedure,
            agency=world.a,
            steps=[step("Thẩm định", "30"), step("Ký", "12.5")],
        )
    assert raised.value.rule == "allowance_exceeds_legal_time"
    assert raised.value.problems[0].field == "steps"
    assert "42,5" in raised.value.message and "40" in raised.value.message
    assert "vượt" in raised.value.message and "2,5 giờ" in raised.value.message
    assert not InternalProcess.objects.exists()


def test_steps_exactly_filling_the_legal_time_are_accepted(world: World, procedure: Procedure) -> None:
    services.set_internal_process(
        actor=None, procedure=procedure, agency=world.a, steps=[step("Thẩm định", "32"), step("Ký", "8")]
    )
    assert InternalProcess.objects.get().steps.count() == 2


def test_a_unit_of_another_agency_is_refused_naming_the_step(world: World, procedure: Procedure) -> None:
    with pytest.raises(DomainError) as raised:
        services.set_internal_process(
            actor=None,
            procedure=procedure,
            agency=world.a,
            steps=[step("Tiếp nhận", "2"), step("Xử lý", "8", world.unit_b)],
        )
    assert raised.value.problems[0].field == "steps[1].unit"
    assert raised.value.rule == "unit_in_agency"


@pytest.mark.parametrize(
    ("steps", "field", "rule"),
    [
        ([], "steps", "required"),
        ([step("Tiếp nhận", "2"), step("  ", "2")], "steps[1].title", "required"),
        ([step("Tiếp nhận", "0")], "steps[0].allowance_hours", "min"),
    ],
)
def test_an_empty_process_a_blank_title_or_zero_hours_is_refused_by_field(
    world: World, procedure: Procedure, steps: list[services.StepInput], field: str, rule: str
) -> None:
    with pytest.raises(DomainError) as raised:
        services.set_internal_process(actor=None, procedure=procedure, agency=world.a, steps=steps)
    assert (raised.value.problems[0].field, raised.value.rule) == (field, rule)


def test_replacing_a_process_keeps_one_process_and_audits_before_and_after(
    world: World, procedure: Procedure
) -> None:
    services.set_internal_process(actor=None, procedure=procedure, agency=world.a, steps=[step("Cũ", "8")])
    services.set_internal_process(
        actor=None,
        procedure=procedure,
        agency=world.a,
        steps=[step("Mới 1", "4"), step("Mới 2", "4", world.unit_a2)],
    )
    process = InternalProcess.objects.get()
    assert list(process.steps.values_list("title", flat=True)) == ["Mới 1", "Mới 2"]
    last = entries("internal_process.set")[-1]
    assert [s[0] for s in last.changes["steps"][0]] == ["Cũ"]
    assert [s[0] for s in last.changes["steps"][1]] == ["Mới 1", "Mới 2"]
