"""A small one-stop world: a province, two agencies, their officers, and procedures in every state."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from lienthong.catalog.record import ProcedureRecord
from lienthong.catalog.services import save_procedure
from lienthong.directory import services as directory
from lienthong.directory.models import Agency, Person, Role
from lienthong.onestop.services import Applicant
from lienthong.worktime.arith import VN_TZ

PROVINCE = "000.00.00.H56"
CODE_A = "000.00.03.H56"
CODE_B = "000.00.04.H56"

P_WORKING_DAYS = "1.000001"  # 3 working days, implemented by A
P_CALENDAR_DAYS = "1.000002"  # 6 days, implemented by A
P_HOURS = "1.000003"  # 4 working hours, implemented by A
P_ONLY_B = "1.000004"  # implemented by B only
P_CANCELLED = "1.000005"
P_SUSPENDED = "1.000006"
P_TWO_DAYS = "1.000007"  # 2 working days, implemented by A


@dataclass
class World:
    province: Agency
    a: Agency
    b: Agency
    officer_a: Person  # one-stop officer of A
    specialist_a: Person  # specialist of A, not a desk officer
    officer_b: Person  # one-stop officer of B
    sysadmin: Person


def record(
    code: str, value: float, unit: str, agencies: tuple[str, ...], status: str = "active"
) -> ProcedureRecord:
    return ProcedureRecord(
        code=code,
        name=f"Thủ tục thử {code}",
        field_code="H56-TP01",
        field_name="Hộ tịch",
        processing_value=value,
        processing_unit=unit,
        agencies=agencies,
        status=status,
    )


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
    people = {
        username: directory.create_person(actor=None, username=username, full_name=name)
        for username, name in (
            ("motcua.a", "Nguyễn Thị Hoa"),
            ("chuyenvien.a", "Trần Văn Nam"),
            ("motcua.b", "Lê Thị Lan"),
            ("quantri", "Phạm Văn Bình"),
        )
    }
    directory.grant_role(actor=None, person=people["motcua.a"], agency=a, role=Role.ONESTOP_OFFICER)
    directory.grant_role(actor=None, person=people["chuyenvien.a"], agency=a, role=Role.SPECIALIST)
    directory.grant_role(actor=None, person=people["motcua.b"], agency=b, role=Role.ONESTOP_OFFICER)
    directory.grant_role(actor=None, person=people["quantri"], agency=province, role=Role.SYSTEM_ADMIN)
    for rec in (
        record(P_WORKING_DAYS, 3, "working_days", (CODE_A,)),
        record(P_CALENDAR_DAYS, 6, "calendar_days", (CODE_A,)),
        record(P_HOURS, 4, "working_hours", (CODE_A,)),
        record(P_ONLY_B, 3, "working_days", (CODE_B,)),
        record(P_CANCELLED, 3, "working_days", (CODE_A,), status="cancelled"),
        record(P_SUSPENDED, 3, "working_days", (CODE_A,), status="suspended"),
        record(P_TWO_DAYS, 2, "working_days", (CODE_A,)),
    ):
        save_procedure(actor=None, record=rec)
    for person in people.values():
        person.refresh_from_db()
    return World(
        province, a, b, people["motcua.a"], people["chuyenvien.a"], people["motcua.b"], people["quantri"]
    )


def applicant(**changes: object) -> Applicant:
    base = Applicant(
        kind="person",
        name="Đỗ Văn Minh",
        id_number="038095001234",
        address="Số 5 đường Lê Lợi, phường Hạc Thành",
        phone="0912345678",
        email="minh@example.vn",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def change_record(code: str, value: float) -> ProcedureRecord:
    return replace(record(code, value, "working_days", (CODE_A,)), name=f"Thủ tục thử {code} (sửa đổi)")
