"""Database helpers for the key and signing-service tests: an agency with a leader, a clerk and an admin."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lienthong.directory import services as directory
from lienthong.directory.models import Agency, Person, Role
from lienthong.signing.demo import seal_png, signature_png

from .backend_helpers import demo_keys

CODE = "000.00.31.H99"
PASSWORD = "mật khẩu khóa"


@dataclass
class Office:
    agency: Agency
    leader: Person
    clerk: Person
    admin: Person
    specialist: Person


def person(username: str, full_name: str, agency: Agency, role: str) -> Person:
    someone = directory.create_person(actor=None, username=username, full_name=full_name)
    directory.grant_role(actor=None, person=someone, agency=agency, role=role)
    return someone


def office(code: str = CODE, prefix: str = "") -> Office:
    agency = directory.create_agency(
        actor=None,
        code=code,
        name=f"Ủy ban nhân dân phường Thành Lam {prefix}".strip(),
        short_name="UBND",
        tier="commune",
    )
    return Office(
        agency=agency,
        leader=person(f"{prefix}lanhdao", "Lương Văn Tài", agency, Role.LEADER),
        clerk=person(f"{prefix}vanthu", "Mai Thị Hoa", agency, Role.CLERK),
        admin=person(f"{prefix}quantri", "Kiều Văn Nam", agency, Role.AGENCY_ADMIN),
        specialist=person(f"{prefix}chuyenvien", "Đinh Thị Yến", agency, Role.SPECIALIST),
    )


def person_p12(password: str = PASSWORD) -> bytes:
    return demo_keys().p12(demo_keys().person, password)


def agency_p12(password: str = PASSWORD) -> bytes:
    return demo_keys().p12(demo_keys().agency, password)


def write(directory: Path, name: str, data: bytes) -> str:
    path = directory / name
    path.write_bytes(data)
    return str(path)


def leader_signature() -> bytes:
    return signature_png("Lương Văn Tài")


def red_seal() -> bytes:
    return seal_png("Ủy ban nhân dân phường Thành Lam", CODE)
