"""The demo catalogue of Tỉnh Sông Lam: administrative procedures at province and commune tier.

Written for this project. The names follow the style of the national catalogue and the legal bases cite real
laws and decrees, but codes, times, fees and components are plausible values for a fictional province, not a
copy of any official record. The data lives in :mod:`.justice`, :mod:`.economy` and :mod:`.society`, built
from the pieces in :mod:`.parts`; this module turns it into :class:`ProcedureRecord` objects and loads them.

- National codes are derived: ``{1 province | 2 commune}.00{field number}{position in the field}``. Append a
  new procedure at the end of its field's list, or the codes of the procedures after it shift.
- Province-tier procedures are implemented by the department (sở) in charge of the field and received at the
  provincial public-administration service centre; commune-tier ones by every ward and commune, each at its
  own one-stop desk.
- Everything goes through :func:`services.save_procedure` and :func:`services.set_internal_process`, so a
  second run finds every record unchanged and writes no version and no audit entry.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from lienthong.core.demo import DemoReport
from lienthong.directory.demo_data import PROVINCIAL_BODIES, agency_code, local_bodies
from lienthong.directory.models import Agency, Role, Unit

from .. import services
from ..models import InternalProcess, Procedure
from ..record import ProcedureRecord, Result
from . import economy, justice, society
from .parts import EFFECTIVE_FROM, FORM, FULL, INFO, SERVICE_CENTRE, SOURCE, UNITS, FieldSeed, Seed, form

CATALOGUE: tuple[tuple[FieldSeed, Seed], ...] = (*justice.CATALOGUE, *economy.CATALOGUE, *society.CATALOGUE)

_DEPARTMENTS = {body.level2: body.name for body in PROVINCIAL_BODIES}


def _time(text: str) -> tuple[float, str]:
    """``"5d"`` → 5 working days, ``"8h"`` → 8 working hours, ``"30c"`` → 30 calendar days."""
    return float(text[:-1]), UNITS[text[-1]]


def _form_name(name: str) -> str:
    """The request form named after the procedure: "Tờ khai đăng ký …", "Đơn đề nghị cấp …"."""
    lowered = name[0].lower() + name[1:]
    if name.startswith("Đăng ký"):
        return f"Tờ khai {lowered} (theo mẫu)"
    if name.startswith("Thông báo"):
        return f"Văn bản {lowered} (theo mẫu)"
    return f"Đơn đề nghị {lowered} (theo mẫu)"


def _steps(field: FieldSeed, seed: Seed) -> str:
    province, commune = "province" in seed.tiers, "commune" in seed.tiers
    if province and commune:
        place = "Trung tâm Phục vụ hành chính công tỉnh hoặc Bộ phận Một cửa của Ủy ban nhân dân cấp xã"
        decides = f"{_DEPARTMENTS[field.agency]} hoặc Ủy ban nhân dân cấp xã"
    elif province:
        place = "Trung tâm Phục vụ hành chính công tỉnh"
        decides = _DEPARTMENTS[field.agency]
    else:
        place = "Bộ phận Một cửa của Ủy ban nhân dân cấp xã, phường"
        decides = "Công chức chuyên môn của Ủy ban nhân dân cấp xã"
    if seed.level == INFO:
        channels = "trực tiếp hoặc qua dịch vụ bưu chính công ích"
    else:
        channels = "trực tuyến trên Cổng Dịch vụ công, qua dịch vụ bưu chính công ích hoặc trực tiếp"
    returned = (
        "trên Cổng Dịch vụ công (bản điện tử), qua dịch vụ bưu chính công ích hoặc tại nơi nộp hồ sơ"
        if seed.level == FULL
        else "tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích"
    )
    return "\n".join(
        (
            f"Bước 1: Tổ chức, cá nhân nộp hồ sơ {channels} tại {place}.",
            "Bước 2: Công chức tiếp nhận kiểm tra hồ sơ; hồ sơ đầy đủ thì cấp Giấy tiếp nhận hồ sơ và hẹn "
            "trả kết quả, chưa đầy đủ thì hướng dẫn bổ sung một lần bằng văn bản.",
            f"Bước 3: {decides} thẩm định hồ sơ, trình cấp có thẩm quyền quyết định; trường hợp không giải "
            "quyết thì trả lời bằng văn bản, nêu rõ lý do.",
            f"Bước 4: Trả kết quả {returned}.",
        )
    )


def _communes() -> tuple[str, ...]:
    return tuple(agency_code(level2) for level2, _kind, _name in local_bodies())


def demo_records() -> list[ProcedureRecord]:
    """Every procedure of the demo catalogue, in catalogue order (pure: no database)."""
    records: list[ProcedureRecord] = []
    positions: Counter[tuple[str, str]] = Counter()
    communes = _communes()
    for field, seed in CATALOGUE:
        province = "province" in seed.tiers
        prefix = "1" if province else "2"
        positions[(field.code, prefix)] += 1
        agencies = ((agency_code(field.agency),) if province else ()) + (
            communes if "commune" in seed.tiers else ()
        )
        value, unit = _time(seed.time)
        results: tuple[Result, ...] = (Result(seed.result, "paper"),)
        if seed.level == FULL:
            results += (Result(seed.result, "electronic"),)
        records.append(
            ProcedureRecord(
                code=f"{prefix}.00{field.number:02d}{positions[(field.code, prefix)]:02d}",
                name=seed.name,
                field_code=field.code,
                field_name=field.name,
                processing_value=value,
                processing_unit=unit,
                processing_note=seed.note,
                tiers=seed.tiers,
                agencies=agencies,
                receiving_agency=SERVICE_CENTRE if province else "",
                fees=seed.fees,
                components=tuple(form(_form_name(seed.name)) if c is FORM else c for c in seed.components),
                steps=_steps(field, seed),
                eligibility=seed.eligibility,
                results=results,
                legal_basis=field.laws,
                online_level=seed.level,
                status="active",
                effective_from=EFFECTIVE_FROM,
            )
        )
    return records


# --- internal processes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessSeed:
    procedure: str  # the procedure's name in the catalogue
    agency: str
    steps: tuple[tuple[str, str | None, str, int], ...]  # title, unit code in the agency, role, working hours


THANH_LAM = agency_code(31)
# fmt: off
PROCESSES: tuple[ProcessSeed, ...] = (
    ProcessSeed(
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        agency_code(3),
        (
            ("Tiếp nhận tại Trung tâm Phục vụ hành chính công", None, Role.ONESTOP_OFFICER, 4),
            ("Tra cứu, xác minh thông tin lý lịch tư pháp", "HCTP", Role.SPECIALIST, 40),
            ("Lập Phiếu lý lịch tư pháp", "HCTP", Role.SPECIALIST, 12),
            ("Kiểm tra, trình lãnh đạo Sở", "HCTP", Role.UNIT_HEAD, 8),
            ("Lãnh đạo Sở ký Phiếu", None, Role.LEADER, 8),
            ("Đóng dấu, vào sổ, chuyển kết quả về nơi tiếp nhận", "VP", Role.CLERK, 4),
        ),
    ),
    ProcessSeed("Đăng ký thành lập hộ kinh doanh", THANH_LAM, (
        ("Tiếp nhận, kiểm tra hồ sơ", "PVHCC", Role.ONESTOP_OFFICER, 2),
        ("Thẩm định hồ sơ, dự thảo Giấy chứng nhận đăng ký hộ kinh doanh", "KT", Role.SPECIALIST, 12),
        ("Kiểm tra, trình ký", "KT", Role.UNIT_HEAD, 4),
        ("Lãnh đạo Ủy ban nhân dân phường ký", None, Role.LEADER, 4),
        ("Vào sổ, trả kết quả", "PVHCC", Role.ONESTOP_OFFICER, 2),
    )),
    ProcessSeed("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", THANH_LAM, (
        ("Tiếp nhận, kiểm tra hồ sơ", "PVHCC", Role.ONESTOP_OFFICER, 4),
        ("Kiểm tra thực địa, đối chiếu quy hoạch", "KT", Role.SPECIALIST, 40),
        ("Thẩm định hồ sơ, dự thảo giấy phép", "KT", Role.SPECIALIST, 40),
        ("Trưởng phòng kiểm tra, trình ký", "KT", Role.UNIT_HEAD, 12),
        ("Chủ tịch hoặc Phó Chủ tịch Ủy ban nhân dân phường ký giấy phép", None, Role.LEADER, 12),
        ("Đóng dấu, vào sổ, trả kết quả", "VP", Role.CLERK, 4),
    )),
)
# fmt: on


def _load_process(seed: ProcessSeed, codes: dict[str, str]) -> bool:
    """Set one demo internal process unless it is already exactly so; True when it was written."""
    procedure = Procedure.objects.get(code=codes[seed.procedure])
    agency = Agency.objects.get(code=seed.agency)
    units = {u.code: u.pk for u in Unit.objects.filter(agency=agency)}
    wanted = [
        services.StepInput(
            title=title, allowance_hours=Decimal(hours), unit_id=units[unit] if unit else None, role=role
        )
        for title, unit, role, hours in seed.steps
    ]
    process = InternalProcess.objects.filter(procedure=procedure, agency=agency).first()
    if process is not None:
        current = [(s.title, s.allowance_hours, s.unit_id, s.role) for s in process.steps.order_by("order")]
        if current == [(s.title, s.allowance_hours, s.unit_id, s.role) for s in wanted]:
            return False
    services.set_internal_process(actor=None, procedure=procedure, agency=agency, steps=wanted)
    return True


def load_demo_catalog(report: DemoReport) -> None:
    """Create or bring up to date the demo catalogue and its internal processes (needs the demo directory)."""
    records = demo_records()
    created = updated = 0
    for record in records:
        result = services.save_procedure(actor=None, record=record, source=SOURCE)
        if result.version is not None:
            created += result.created
            updated += not result.created
    codes = {record.name: record.code for record in records}
    processes = sum(_load_process(seed, codes) for seed in PROCESSES)
    if created or updated or processes:
        state = _(
            "%(created)s tạo mới, %(updated)s có phiên bản mới, %(processes)s quy trình nội bộ được ghi"
        ) % {
            "created": created,
            "updated": updated,
            "processes": processes,
        }
    else:
        state = _("không có gì thay đổi")
    report.notes.append(
        _(
            "Danh mục thủ tục mẫu: %(procedures)s thủ tục, %(fields)s lĩnh vực, "
            "%(processes)s quy trình nội bộ – %(state)s."
        )
        % {
            "procedures": len(records),
            "fields": len({r.field_code for r in records}),
            "processes": len(PROCESSES),
            "state": state,
        }
    )


def has_procedures() -> bool:
    return Procedure.objects.exists()
