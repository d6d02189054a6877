"""The one-stop world of helpers.py plus the people and the internal process the workflow needs."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from lienthong.catalog.models import Procedure
from lienthong.catalog.services import StepInput, save_procedure, set_internal_process
from lienthong.directory import services as directory
from lienthong.directory.models import Person, Role
from lienthong.onestop.files import Upload

from .helpers import CODE_A, CODE_B, World, record

P_LINKED = "1.000010"  # 5 working days, interconnected: A receives, B takes part
STEPS_A = (
    StepInput("Thẩm định hồ sơ", Decimal(16)),
    StepInput("Xem xét, trình ký", Decimal(16)),
    StepInput("Lãnh đạo ký duyệt", Decimal(8)),
)


@dataclass
class Staff:
    leader_a: Person
    head_a: Person
    specialist_a: Person
    specialist_b: Person
    leader_b: Person


def add_staff(world: World) -> Staff:
    """Leader and unit head of A, a specialist and leader of B; the linked procedure with A's 3-step process."""
    people = {}
    for username, name, agency, role in (
        ("lanhdao.a", "Vũ Văn Hùng", world.a, Role.LEADER),
        ("truongphong.a", "Phan Thị Mai", world.a, Role.UNIT_HEAD),
        ("chuyenvien.b", "Hà Văn Tú", world.b, Role.SPECIALIST),
        ("lanhdao.b", "Kim Thị Ngọc", world.b, Role.LEADER),
    ):
        person = directory.create_person(actor=None, username=username, full_name=name)
        directory.grant_role(actor=None, person=person, agency=agency, role=role)
        people[username] = person
    save_procedure(actor=None, record=record(P_LINKED, 5, "working_days", (CODE_A, CODE_B)))
    set_internal_process(
        actor=None, procedure=Procedure.objects.get(code=P_LINKED), agency=world.a, steps=list(STEPS_A)
    )
    for person in people.values():
        person.refresh_from_db()
    return Staff(
        people["lanhdao.a"],
        people["truongphong.a"],
        world.specialist_a,
        people["chuyenvien.b"],
        people["lanhdao.b"],
    )


def pdf_bytes(text: str = "LienThong") -> bytes:
    """A small well-formed PDF (header, one object, xref, trailer)."""
    body = f"1 0 obj << /Type /Catalog /Note ({text}) >> endobj\n".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offset = out.tell()
    out.write(body)
    xref = out.tell()
    out.write(f"xref\n0 2\n0000000000 65535 f \n{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_upload(title: str = "Tờ khai", name: str = "to-khai.pdf", text: str = "LienThong") -> Upload:
    return Upload(title=title, file_name=name, data=pdf_bytes(text))
