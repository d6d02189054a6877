"""A small documents world: a province, a department (A) and a ward (B), their officers, and real signing keys.

The keys come from the demo PKI (:mod:`lienthong.signing.pki`) — made once per test run, since RSA key
generation is the slow part — and are registered through the signing services like an administrator would.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import io
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from PIL import Image, ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils import writer as pdf_writer

from lienthong.directory import services as directory
from lienthong.directory.models import Agency, Person, Role, Unit
from lienthong.documents.services import DraftContent, RecipientInput
from lienthong.signing import pki
from lienthong.signing import services as signing

PROVINCE = "000.00.00.H56"
CODE_A = "000.00.02.H56"
CODE_B = "000.00.31.H56"
OUTSIDE = "000.00.00.G22"  # an agency on another platform (the Government Office): reached over the exchange
SECRET = "demo"


@dataclass(frozen=True)
class Keys:
    root_pem: Path
    files: dict[str, Path]  # username or agency code → PKCS#12 file (password "demo")


@functools.lru_cache(maxsize=1)
def keys() -> Keys:
    now = dt.datetime.now(dt.UTC)
    root = pki.make_root(now)
    folder = Path(tempfile.mkdtemp(prefix="lienthong-docs-pki-"))
    (folder / "root.pem").write_bytes(root.certificate.public_bytes(Encoding.PEM))
    owners = {
        "a.giamdoc": "Ngô Văn Thắng",
        "a.phogiamdoc": "Đỗ Thị Hạnh",
        "b.chutich": "Lương Văn Tài",
        CODE_A: "Sở Nội vụ tỉnh Thanh Lâm",
        CODE_B: "Ủy ban nhân dân phường Đông Lâm",
    }
    files = {}
    for owner, name in owners.items():
        issued = pki.issue_signing(root, pki._name(name, "Tỉnh Thanh Lâm"), now)
        path = folder / f"{owner}.p12"
        path.write_bytes(pki.pkcs12_bytes(issued, root, name, SECRET))
        files[owner] = path
    return Keys(root_pem=folder / "root.pem", files=files)


def png(colour: tuple[int, int, int], size_mm: tuple[float, float], dpi: int = 96) -> bytes:
    """A transparent PNG with a coloured ring (a seal) or stroke, at ``size_mm`` real size."""
    width, height = (round(v / 25.4 * dpi) for v in size_mm)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, width - 3, height - 3), outline=(*colour, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


SIGNATURE_PNG = png((20, 40, 200), (40, 15))
SEAL_PNG = png((220, 20, 20), (36, 36))


def tiny_pdf(text: str = "Van ban thu nghiem") -> bytes:
    """A one-page A4 PDF with one line of text and no fields, as small as a useful PDF gets."""
    writer = pdf_writer.PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Times-Roman"),
            }
        )
    )
    content = writer.add_object(
        generic.StreamObject(stream_data=f"BT /F1 14 Tf 90 600 Td ({text}) Tj ET".encode())
    )
    resources = generic.DictionaryObject(
        {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}
    )
    writer.insert_page(
        pdf_writer.PageObject(contents=content, media_box=[0, 0, 595, 842], resources=resources)
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class World:
    province: Agency
    a: Agency
    b: Agency
    a_specialist: Person
    a_unit_head: Person
    a_director: Person
    a_deputy: Person
    a_clerk: Person
    b_leader: Person
    b_clerk: Person
    b_specialist: Person
    b_unit_head: Person
    a_unit: Unit
    b_unit: Unit

    def content(self, **overrides: object) -> DraftContent:
        values: dict[str, object] = {
            "document_type": "QĐ",
            "subject": "Về việc cử cán bộ dự tập huấn chuyển đổi số",
            "body": "Điều 1. Cử ông Nguyễn Văn A dự tập huấn.\nĐiều 2. Quyết định có hiệu lực từ ngày ký.",
            "signer": self.a_director,
            "recipients": [RecipientInput(CODE_B)],
        }
        values.update(overrides)
        return DraftContent(**values)  # type: ignore[arg-type]


def _person(username: str, name: str, agency: Agency, role: str, unit: Unit | None, position: str) -> Person:
    person = directory.create_person(actor=None, username=username, full_name=name)
    directory.grant_role(
        actor=None,
        person=person,
        agency=agency,
        role=role,
        unit=unit,
        position=directory.ensure_position(actor=None, name=position),
    )
    return person


def seed_reference_data() -> None:
    """The document types and other reference rows of the data migration (a transactional test's flush
    removes them; seeding again is idempotent)."""
    from django.apps import apps

    importlib.import_module("lienthong.documents.migrations.0002_reference_data").seed(apps, None)


def build_world(*, with_keys: bool = True) -> World:
    seed_reference_data()
    province = directory.create_agency(
        actor=None, code=PROVINCE, name="Ủy ban nhân dân tỉnh Thanh Lâm", short_name="UBND", tier="province"
    )
    a = directory.create_agency(
        actor=None,
        code=CODE_A,
        name="Sở Nội vụ tỉnh Thanh Lâm",
        short_name="SNV",
        tier="province",
        parent=province,
    )
    b = directory.create_agency(
        actor=None,
        code=CODE_B,
        name="Ủy ban nhân dân phường Đông Lâm",
        short_name="UBND",
        tier="commune",
        parent=province,
    )
    a_unit = directory.add_unit(
        actor=None, agency=a, code="CCVC", name="Phòng Công chức, viên chức", short_name="CCVC"
    )
    a_office = directory.add_unit(
        actor=None, agency=a, code="VP", name="Văn phòng", short_name="VP", kind="office"
    )
    b_unit = directory.add_unit(actor=None, agency=b, code="KT", name="Phòng Kinh tế", short_name="KT")
    world = World(
        province=province,
        a=a,
        b=b,
        a_specialist=_person("a.chuyenvien", "Trịnh Thu Trang", a, Role.SPECIALIST, a_unit, "Chuyên viên"),
        a_unit_head=_person("a.truongphong", "Lý Minh Tuấn", a, Role.UNIT_HEAD, a_unit, "Trưởng phòng"),
        a_director=_person("a.giamdoc", "Ngô Văn Thắng", a, Role.LEADER, None, "Giám đốc"),
        a_deputy=_person("a.phogiamdoc", "Đỗ Thị Hạnh", a, Role.LEADER, None, "Phó Giám đốc"),
        a_clerk=_person("a.vanthu", "Phan Thị Ngọc", a, Role.CLERK, a_office, "Văn thư"),
        b_leader=_person("b.chutich", "Lương Văn Tài", b, Role.LEADER, None, "Chủ tịch"),
        b_clerk=_person("b.vanthu", "Mai Thị Hoa", b, Role.CLERK, None, "Văn thư"),
        b_specialist=_person("b.chuyenvien", "Đinh Thị Yến", b, Role.SPECIALIST, b_unit, "Chuyên viên"),
        b_unit_head=_person("b.truongphong", "Cao Văn Phúc", b, Role.UNIT_HEAD, b_unit, "Trưởng phòng"),
        a_unit=a_unit,
        b_unit=b_unit,
    )
    if with_keys:
        material = keys()
        for person in (world.a_director, world.a_deputy, world.b_leader):
            signing.register_signing_key(
                actor=None,
                backend="keyfile",
                config={"path": str(material.files[person.get_username()])},
                person=person,
                secret=SECRET,
                image_png=SIGNATURE_PNG,
            )
        for agency in (a, b):
            signing.register_signing_key(
                actor=None,
                backend="keyfile",
                config={"path": str(material.files[agency.code])},
                agency=agency,
                secret=SECRET,
                image_png=SEAL_PNG,
            )
    return world


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()
