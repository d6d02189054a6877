"""The demo province: Tỉnh Sông Lam, a fictional province after the 2025 reform (two tiers, no district).

Everything is written through :mod:`lienthong.directory.services`, so it is validated and audited like any
other change, and the ``upsert_*`` functions make a second run change nothing. The names are invented; the
code letter ``H99`` is outside the range given to real provinces, and no real body uses these codes.

Layout of the codes (level 2 of ``000.00.NN.H99``): 01–20 the provincial bodies, 31–70 the communes and
wards, 81–82 two former district-level committees that ended on 30/6/2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from lienthong.core.demo import DemoAccount, DemoReport
from lienthong.core.text import fold

from . import services
from .models import Agency, Person, Position, Role, Tier, Unit, UnitKind

PROVINCE = "Sông Lam"
PROVINCE_CODE = "000.00.00.H99"
DEMO_PASSWORD = "LienThong@2026"
EMAIL_DOMAIN = "songlam.example"  # .example is reserved (RFC 2606): demo mail never reaches anyone
REFORM_DAY = date(2025, 7, 1)
LAST_DISTRICT_DAY = date(2025, 6, 30)


def agency_code(level2: int) -> str:
    return f"000.00.{level2:02d}.H99"


@dataclass(frozen=True)
class UnitSeed:
    code: str
    name: str
    short_name: str
    kind: str = UnitKind.DEPARTMENT


@dataclass(frozen=True)
class AgencySeed:
    level2: int
    name: str
    short_name: str
    units: tuple[UnitSeed, ...]

    @property
    def code(self) -> str:
        return agency_code(self.level2)


def _office(name: str = "Văn phòng") -> UnitSeed:
    return UnitSeed("VP", name, "VP", UnitKind.OFFICE)


def _room(code: str, name: str) -> UnitSeed:
    return UnitSeed(code, name, code)


# The provincial bodies after the 2025 reorganisation (the set Decree 150/2025 gives a province), with a few
# units each. Short names are those used in document notations (``15/QĐ-SNV``).
# fmt: off
PROVINCIAL_BODIES: tuple[AgencySeed, ...] = (
    AgencySeed(1, "Văn phòng Ủy ban nhân dân tỉnh", "VPUBND", (
        UnitSeed("HCTC", "Phòng Hành chính – Tổ chức", "HCTC", UnitKind.OFFICE),
        _room("TH", "Phòng Tổng hợp"),
        _room("KT", "Phòng Kinh tế"),
        _room("VX", "Phòng Khoa giáo – Văn xã"),
        _room("NC", "Phòng Nội chính"),
        _room("KSTT", "Phòng Kiểm soát thủ tục hành chính"),
    )),
    AgencySeed(2, "Sở Nội vụ", "SNV", (
        _office(),
        _room("TCBM", "Phòng Tổ chức bộ máy và Biên chế"),
        _room("CCVC", "Phòng Công chức, viên chức"),
        _room("CQ", "Phòng Xây dựng chính quyền"),
        _room("LDVL", "Phòng Lao động – Việc làm"),
    )),
    AgencySeed(3, "Sở Tư pháp", "STP", (
        _office(),
        _room("XDVB", "Phòng Xây dựng và Kiểm tra văn bản"),
        _room("HCTP", "Phòng Hành chính tư pháp"),
        _room("BTTP", "Phòng Bổ trợ tư pháp"),
    )),
    AgencySeed(4, "Sở Tài chính", "STC", (
        _office(),
        _room("NS", "Phòng Quản lý ngân sách"),
        _room("DT", "Phòng Quản lý đầu tư"),
        _room("DN", "Phòng Doanh nghiệp, kinh tế tập thể và tư nhân"),
    )),
    AgencySeed(5, "Sở Công Thương", "SCT", (
        _office(),
        _room("QLTM", "Phòng Quản lý thương mại"),
        _room("QLCN", "Phòng Quản lý công nghiệp"),
        _room("QLNL", "Phòng Quản lý năng lượng"),
    )),
    AgencySeed(6, "Sở Nông nghiệp và Môi trường", "SNNMT", (
        _office(),
        _room("TTBV", "Phòng Trồng trọt và Bảo vệ thực vật"),
        _room("QLDD", "Phòng Quản lý đất đai"),
        _room("MT", "Phòng Môi trường"),
        _room("TL", "Phòng Thủy lợi và Phòng, chống thiên tai"),
    )),
    AgencySeed(7, "Sở Xây dựng", "SXD", (
        _office(),
        _room("QHKT", "Phòng Quy hoạch – Kiến trúc"),
        _room("QLXD", "Phòng Quản lý xây dựng"),
        _room("QLGT", "Phòng Quản lý giao thông"),
    )),
    AgencySeed(8, "Sở Khoa học và Công nghệ", "SKHCN", (
        _office(),
        _room("QLKH", "Phòng Quản lý khoa học"),
        _room("CDS", "Phòng Chuyển đổi số"),
        _room("BCVT", "Phòng Bưu chính, Viễn thông"),
    )),
    AgencySeed(9, "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", (
        _office(),
        _room("QLVH", "Phòng Quản lý văn hóa"),
        _room("TDTT", "Phòng Thể dục thể thao"),
        _room("QLDL", "Phòng Quản lý du lịch"),
        _room("BCXB", "Phòng Báo chí, Xuất bản"),
    )),
    AgencySeed(10, "Sở Giáo dục và Đào tạo", "SGDĐT", (
        _office(),
        _room("GDMN", "Phòng Giáo dục mầm non"),
        _room("GDPT", "Phòng Giáo dục phổ thông"),
        _room("KT", "Phòng Khảo thí và Quản lý chất lượng"),
    )),
    AgencySeed(11, "Sở Y tế", "SYT", (
        _office(),
        _room("NVY", "Phòng Nghiệp vụ Y"),
        _room("NVD", "Phòng Nghiệp vụ Dược"),
        _room("BTXH", "Phòng Bảo trợ xã hội"),
    )),
    AgencySeed(12, "Sở Dân tộc và Tôn giáo", "SDTTG", (
        _office(),
        _room("DT", "Phòng Dân tộc"),
        _room("TG", "Phòng Tôn giáo"),
    )),
    AgencySeed(13, "Sở Ngoại vụ", "SNgV", (
        _office(),
        _room("HTQT", "Phòng Hợp tác quốc tế"),
        _room("LS", "Phòng Lãnh sự và Người Việt Nam ở nước ngoài"),
    )),
    AgencySeed(14, "Thanh tra tỉnh", "TTr", (
        _office(),
        _room("NV1", "Phòng Nghiệp vụ 1"),
        _room("NV2", "Phòng Nghiệp vụ 2"),
        _room("TCD", "Phòng Tiếp công dân và Xử lý đơn thư"),
    )),
    AgencySeed(20, "Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC", (
        UnitSeed("HCTH", "Phòng Hành chính – Tổng hợp", "HCTH", UnitKind.OFFICE),
        UnitSeed("TNTKQ", "Bộ phận Tiếp nhận và Trả kết quả", "TNTKQ", UnitKind.ONESTOP),
        _room("GS", "Phòng Giám sát, Đánh giá"),
    )),
)
# fmt: on

# The communes and wards (xã, phường) of the two-tier province: 12 wards and 28 communes, invented names.
# fmt: off
WARDS = (
    "Thành Lam", "Cửa Lam", "Hưng Phú", "Bình Minh", "Đông Lam", "Nam Lam",
    "Lam Hồng", "Vĩnh Lam", "Bến Lam", "Quang Lam", "Hòa Lam", "Thịnh Lam",
)
COMMUNES = (
    "Lam Thượng", "Lam Hạ", "Yên Lam", "Kim Lam", "Ngọc Lam", "Sơn Lam", "Đồng Lam",
    "Tân Lam", "Phúc Lam", "Gia Lam", "Mỹ Lam", "Thạch Lam", "Hạnh Phúc", "Hồng Sơn",
    "Trung Sơn", "Bảo An", "Khánh Lâm", "Thủy Tiên", "Phong Lạc", "Tường Vân", "Đức Tân",
    "Lộc Điền", "Minh Tiến", "Quế Lâm", "Hương Điền", "Cẩm Giang", "Vân Tiên", "Xuân Lam",
)
# fmt: on
FIRST_LOCAL_LEVEL2 = 31


def local_bodies() -> list[tuple[int, str, str]]:
    """``(level2, "phường" or "xã", name)`` for every ward and commune, in code order."""
    kinds = [("phường", name) for name in WARDS] + [("xã", name) for name in COMMUNES]
    return [(FIRST_LOCAL_LEVEL2 + i, kind, name) for i, (kind, name) in enumerate(kinds)]


def local_units(kind: str) -> tuple[UnitSeed, ...]:
    """The units of a commune-level People's Committee after the reform."""
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if kind == "phường" else "Phòng Kinh tế"
    return (
        _office("Văn phòng HĐND và UBND"),
        _room("KT", economy),
        _room("VHXH", "Phòng Văn hóa – Xã hội"),
        UnitSeed("PVHCC", "Trung tâm Phục vụ hành chính công", "TTPVHCC", UnitKind.ONESTOP),
    )


def local_code(name: str) -> str:
    """The code of the ward or commune called ``name`` (raises ``KeyError`` for an unknown name)."""
    return {body_name: agency_code(level2) for level2, _, body_name in local_bodies()}[name]


# Two district-level committees that ended with the district tier: kept to show mergers (successor).
FORMER_DISTRICTS: tuple[tuple[int, str, str | None], ...] = (
    (81, "Ủy ban nhân dân huyện Lam Thượng", "Lam Thượng"),  # its functions went to the commune of that name
    (82, "Ủy ban nhân dân thị xã Hưng Phú", None),  # None: the province took over
)

# fmt: off
POSITIONS: tuple[tuple[str, int], ...] = (
    ("Chủ tịch", 10), ("Phó Chủ tịch", 20), ("Giám đốc", 30), ("Chánh Thanh tra", 30),
    ("Phó Giám đốc", 40), ("Phó Chánh Thanh tra", 40), ("Chánh Văn phòng", 50), ("Phó Chánh Văn phòng", 55),
    ("Trưởng phòng", 60), ("Phó Trưởng phòng", 70), ("Chuyên viên chính", 80), ("Chuyên viên", 90),
    ("Văn thư", 100),
)
# fmt: on


@dataclass(frozen=True)
class PersonSeed:
    username: str
    full_name: str
    agency_code: str
    role: str
    unit_code: str | None
    position: str | None


_SNV = agency_code(2)
_SKHCN = agency_code(8)
_VP = agency_code(1)
_TTPV = agency_code(20)
_THANH_LAM = agency_code(FIRST_LOCAL_LEVEL2)

# At least one person per role: some at the provincial committee, some at Sở Nội vụ, some at Phường Thành Lam.
PEOPLE: tuple[PersonSeed, ...] = (
    PersonSeed("quantri", "Trần Quốc Bảo", _SKHCN, Role.SYSTEM_ADMIN, "CDS", "Chuyên viên"),
    PersonSeed("tinh.chutich", "Lê Hoàng Sơn", PROVINCE_CODE, Role.LEADER, None, "Chủ tịch"),
    PersonSeed("tinh.phochutich", "Phạm Thị Thu Hà", PROVINCE_CODE, Role.LEADER, None, "Phó Chủ tịch"),
    PersonSeed("tinh.vanthu", "Nguyễn Thị Lan", PROVINCE_CODE, Role.CLERK, None, "Văn thư"),
    PersonSeed("tinh.quantri", "Đặng Văn Hùng", PROVINCE_CODE, Role.AGENCY_ADMIN, None, "Chuyên viên"),
    PersonSeed("vp.chanhvanphong", "Hoàng Văn Đức", _VP, Role.LEADER, None, "Chánh Văn phòng"),
    PersonSeed("vp.kstt", "Vũ Thị Mai", _VP, Role.UNIT_HEAD, "KSTT", "Trưởng phòng"),
    PersonSeed("ttpv.tiepnhan", "Bùi Thị Hồng Nhung", _TTPV, Role.ONESTOP_OFFICER, "TNTKQ", "Chuyên viên"),
    PersonSeed("snv.giamdoc", "Ngô Văn Thắng", _SNV, Role.LEADER, None, "Giám đốc"),
    PersonSeed("snv.phogiamdoc", "Đỗ Thị Hạnh", _SNV, Role.LEADER, None, "Phó Giám đốc"),
    PersonSeed("snv.vanthu", "Phan Thị Ngọc", _SNV, Role.CLERK, "VP", "Văn thư"),
    PersonSeed("snv.quantri", "Hồ Quang Vinh", _SNV, Role.AGENCY_ADMIN, "VP", "Chuyên viên"),
    PersonSeed("snv.truongphong", "Lý Minh Tuấn", _SNV, Role.UNIT_HEAD, "CCVC", "Trưởng phòng"),
    PersonSeed("snv.chuyenvien", "Trịnh Thu Trang", _SNV, Role.SPECIALIST, "CCVC", "Chuyên viên"),
    PersonSeed("thanhlam.chutich", "Lương Văn Tài", _THANH_LAM, Role.LEADER, None, "Chủ tịch"),
    PersonSeed("thanhlam.vanthu", "Mai Thị Hoa", _THANH_LAM, Role.CLERK, "VP", "Văn thư"),
    PersonSeed("thanhlam.quantri", "Kiều Văn Nam", _THANH_LAM, Role.AGENCY_ADMIN, "VP", "Chuyên viên"),
    PersonSeed("thanhlam.truongphong", "Cao Văn Phúc", _THANH_LAM, Role.UNIT_HEAD, "KT", "Trưởng phòng"),
    PersonSeed("thanhlam.chuyenvien", "Đinh Thị Yến", _THANH_LAM, Role.SPECIALIST, "KT", "Chuyên viên"),
    PersonSeed(
        "thanhlam.motcua", "Tạ Thị Thanh Thủy", _THANH_LAM, Role.ONESTOP_OFFICER, "PVHCC", "Chuyên viên"
    ),
)


def _email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


def _slug(name: str) -> str:
    return fold(name).replace(" ", "")


class _Loader:
    """One run of the demo loader; counts what it created or changed."""

    def __init__(self) -> None:
        self.changed = 0
        self.agencies: dict[str, Agency] = {}

    def agency(self, code: str, **fields: object) -> Agency:
        agency, changed = services.upsert_agency(actor=None, code=code, **fields)
        self.changed += changed
        self.agencies[code] = agency
        return agency

    def units(self, agency: Agency, seeds: tuple[UnitSeed, ...]) -> None:
        for seed in seeds:
            _, changed = services.upsert_unit(
                actor=None,
                agency=agency,
                code=seed.code,
                name=seed.name,
                short_name=seed.short_name,
                kind=seed.kind,
                parent=None,
                is_active=True,
            )
            self.changed += changed

    def province(self) -> Agency:
        province = self.agency(
            PROVINCE_CODE,
            name=f"Ủy ban nhân dân tỉnh {PROVINCE}",
            short_name="UBND",
            tier=Tier.PROVINCE,
            parent=None,
            address=f"Số 1 đường Lam Sơn, phường Thành Lam, tỉnh {PROVINCE}",
            email=_email("ubnd"),
            website=f"https://{EMAIL_DOMAIN}",
            is_active=True,
            valid_from=None,
            valid_to=None,
            successor=None,
        )
        for seed in PROVINCIAL_BODIES:
            suffix = f" {PROVINCE}" if seed.name.endswith("tỉnh") else f" tỉnh {PROVINCE}"
            body = self.agency(
                seed.code,
                name=f"{seed.name}{suffix}",
                short_name=seed.short_name,
                tier=Tier.PROVINCE,
                parent=province,
                address=f"Khu hành chính tỉnh, phường Thành Lam, tỉnh {PROVINCE}",
                email=_email(fold(seed.short_name)),
                website="",
                is_active=True,
                valid_from=None,
                valid_to=None,
                successor=None,
            )
            self.units(body, seed.units)
        return province

    def local(self, province: Agency) -> None:
        for level2, kind, name in local_bodies():
            body = self.agency(
                agency_code(level2),
                name=f"Ủy ban nhân dân {kind} {name}",
                short_name="UBND",
                tier=Tier.COMMUNE,
                parent=province,
                address=f"Trụ sở UBND {kind} {name}, tỉnh {PROVINCE}",
                email=_email(_slug(name)),
                website="",
                is_active=True,
                valid_from=REFORM_DAY,
                valid_to=None,
                successor=None,
            )
            self.units(body, local_units(kind))

    def former_districts(self, province: Agency) -> None:
        for level2, name, successor_name in FORMER_DISTRICTS:
            successor = province if successor_name is None else self.agencies[local_code(successor_name)]
            self.agency(
                agency_code(level2),
                name=name,
                short_name="UBND",
                tier=Tier.DISTRICT,
                parent=province,
                address="",
                email="",
                website="",
                is_active=False,
                valid_from=None,
                valid_to=LAST_DISTRICT_DAY,
                successor=successor,
            )

    def people(self, positions: dict[str, Position]) -> None:
        units = {(u.agency.code, u.code): u for u in Unit.objects.select_related("agency")}
        for seed in PEOPLE:
            person = Person.objects.filter(username=seed.username).first()
            if person is None:
                person = services.create_person(
                    actor=None,
                    username=seed.username,
                    full_name=seed.full_name,
                    password=DEMO_PASSWORD,
                    email=_email(seed.username),
                )
                self.changed += 1
            else:
                before = (person.full_name, person.email)
                person = services.update_person(
                    actor=None, person=person, full_name=seed.full_name, email=_email(seed.username)
                )
                self.changed += before != (person.full_name, person.email)
            _, changed = services.grant_role(
                actor=None,
                person=person,
                agency=self.agencies[seed.agency_code],
                role=seed.role,
                unit=units[(seed.agency_code, seed.unit_code)] if seed.unit_code else None,
                position=positions[seed.position] if seed.position else None,
            )
            self.changed += changed


def load_demo_directory(report: DemoReport) -> None:
    """Create or bring up to date Tỉnh Sông Lam: agencies, units, positions, people and their roles."""
    loader = _Loader()
    positions = {name: services.ensure_position(actor=None, name=name, rank=rank) for name, rank in POSITIONS}
    province = loader.province()
    loader.local(province)
    loader.former_districts(province)
    loader.people(positions)
    unit_count = sum(len(seed.units) for seed in PROVINCIAL_BODIES) + sum(
        len(local_units(kind)) for _, kind, _ in local_bodies()
    )
    state = (
        _("%(count)s bản ghi tạo mới hoặc cập nhật") % {"count": loader.changed}
        if loader.changed
        else _("không có gì thay đổi")
    )
    report.notes.append(
        _(
            "Tỉnh %(province)s (%(code)s): %(agencies)s cơ quan, %(units)s đơn vị, %(people)s cán bộ – %(state)s."
        )
        % {
            "province": PROVINCE,
            "code": PROVINCE_CODE,
            "agencies": len(loader.agencies),
            "units": unit_count,
            "people": len(PEOPLE),
            "state": state,
        }
    )
    report.accounts.extend(demo_accounts())


def demo_accounts() -> list[DemoAccount]:
    """The demo sign-ins that exist and are active now, in the order of :data:`PEOPLE`."""
    people = {
        p.username: p
        for p in Person.objects.filter(username__in=[s.username for s in PEOPLE], is_active=True)
    }
    agencies = {a.code: a for a in Agency.objects.filter(code__in={s.agency_code for s in PEOPLE})}
    return [
        DemoAccount(
            username=seed.username,
            full_name=people[seed.username].full_name,
            role=str(Role(seed.role).label),
            agency=agencies[seed.agency_code].name,
            password=DEMO_PASSWORD,
        )
        for seed in PEOPLE
        if seed.username in people and seed.agency_code in agencies
    ]


def has_agencies() -> bool:
    return Agency.objects.exists()
