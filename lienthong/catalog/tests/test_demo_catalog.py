"""The demo catalogue: realistic enough to try the portal with, valid, and loaded idempotently by
``lienthong demo``."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders

from lienthong.audit.models import AuditEntry
from lienthong.catalog import selectors
from lienthong.catalog.demo_data import PROCESSES, demo_records
from lienthong.catalog.models import InternalProcess, Procedure, ProcedureAgency, ProcedureVersion
from lienthong.catalog.record import TIME_UNITS, is_field_code, is_procedure_code
from lienthong.catalog.services import legal_hours
from lienthong.core.demo import load_demo
from lienthong.directory.demo_data import local_bodies

RECORDS = demo_records()
COMMUNES = len(local_bodies())


def by_name(name: str):  # type: ignore[no-untyped-def]
    return next(r for r in RECORDS if r.name == name)


def test_the_demo_catalogue_has_at_least_120_procedures_in_at_least_10_fields() -> None:
    assert len(RECORDS) >= 120
    assert len({r.field_code for r in RECORDS}) >= 10
    tiers = Counter(t for r in RECORDS for t in r.tiers)
    assert tiers["province"] >= 40 and tiers["commune"] >= 40


def test_every_demo_record_is_valid_with_a_unique_code_and_name() -> None:
    assert [(r.code, r.problems()) for r in RECORDS if r.problems()] == []
    assert len({r.code for r in RECORDS}) == len(RECORDS)
    assert len({r.name for r in RECORDS}) == len(RECORDS)
    assert all(is_procedure_code(r.code) and r.code[2:4] == "00" for r in RECORDS)
    assert all(is_field_code(r.field_code) for r in RECORDS)


def test_the_demo_mixes_time_units_online_levels_and_free_and_paid_procedures() -> None:
    assert {r.processing_unit for r in RECORDS} == set(TIME_UNITS)
    assert Counter(r.online_level for r in RECORDS).keys() == {"full", "partial", "info"}
    assert any(not r.fees for r in RECORDS), "some procedures charge nothing"
    assert any(len(r.fees) > 1 for r in RECORDS), "some fees depend on the case"
    assert all(isinstance(f.amount, int) and f.amount >= 0 for r in RECORDS for f in r.fees)
    assert all(r.legal_basis and r.components and r.results and r.steps for r in RECORDS)


def test_the_procedures_the_seed_articles_name_are_in_the_demo() -> None:
    names = " | ".join(r.name for r in RECORDS)
    for expected in (
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Đăng ký thành lập hộ kinh doanh",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "Cấp giấy phép hoạt động in",
        "Đăng ký sử dụng máy photocopy màu, máy in có chức năng photocopy màu",
        "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "Giải quyết hưởng trợ cấp thất nghiệp",
        "Chứng thực chữ ký",
        "Cấp Phiếu lý lịch tư pháp",
    ):
        assert expected in names


def test_certification_counts_in_working_hours_and_a_birth_is_free() -> None:
    signature = next(r for r in RECORDS if r.name.startswith("Chứng thực chữ ký trong"))
    assert signature.processing_unit == "working_hours"
    assert signature.fees[0].amount == 10000
    assert by_name("Đăng ký khai sinh").fees == ()


def test_every_template_a_demo_component_links_to_is_shipped() -> None:
    urls = {c.template_url for r in RECORDS for c in r.components if c.template_url}
    assert len(urls) >= 8
    for url in urls:
        assert url.startswith("/static/catalog/mau/")
        assert finders.find(url.removeprefix("/static/")), url


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def test_lienthong_demo_loads_a_searchable_catalogue_with_localised_codes_and_internal_processes(
    demo: None,
) -> None:
    assert Procedure.objects.count() == len(RECORDS)
    assert ProcedureVersion.objects.count() == len(RECORDS)
    birth = Procedure.objects.get(name="Đăng ký khai sinh")
    assert birth.implementations.count() == COMMUNES
    assert birth.implementations.filter(local_code=f"{birth.code}.000.00.31.H99").exists()
    printing = Procedure.objects.get(name="Cấp giấy phép hoạt động in")
    assert list(printing.implementations.values_list("agency__code", flat=True)) == ["000.00.09.H99"]
    assert printing.current_version.record["receiving_agency"] == "000.00.20.H99"

    processes = InternalProcess.objects.select_related("procedure", "agency")
    assert processes.count() == len(PROCESSES) >= 2
    for process in processes:
        steps = list(process.steps.select_related("unit"))
        assert len(steps) >= 4
        assert sum((s.allowance_hours for s in steps), Decimal(0)) <= legal_hours(process.procedure)
        assert all(s.unit is None or s.unit.agency_id == process.agency_id for s in steps)

    found = selectors.search_procedures("cap phep xay dung nha o").values_list("name", flat=True)
    assert "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ" in list(found)


def test_a_second_demo_run_writes_no_version_and_no_audit_entry(demo: None) -> None:
    versions, entries, links = (
        ProcedureVersion.objects.count(),
        AuditEntry.objects.count(),
        ProcedureAgency.objects.count(),
    )
    load_demo()
    assert ProcedureVersion.objects.count() == versions
    assert AuditEntry.objects.count() == entries
    assert ProcedureAgency.objects.count() == links
