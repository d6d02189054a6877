"""A citizen finds a procedure on the public catalogue and reads what to bring, what it costs and when it is due."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lienthong.catalog import selectors, services
from lienthong.catalog.models import Procedure
from lienthong.catalog.record import Component, Fee, ProcedureRecord
from lienthong.directory import services as directory
from lienthong.worktime.services import seed_calendar

pytestmark = pytest.mark.e2e

CENTRE = "000.00.20.H99"
CONSTRUCTION = "000.00.05.H99"
TRANSPORT = "000.00.06.H99"


@pytest.fixture
def catalogue(transactional_db: None) -> Procedure:
    """Two procedures that both match "cap phep xay dung", in different fields, and the calendar."""
    today = timezone.localdate()
    seed_calendar([today.year, today.year + 1])
    for code, name, short in (
        (CENTRE, "Trung tâm Phục vụ hành chính công tỉnh Sông Lam", "TTPVHCC"),
        (CONSTRUCTION, "Sở Xây dựng tỉnh Sông Lam", "SXD"),
        (TRANSPORT, "Sở Giao thông vận tải tỉnh Sông Lam", "SGTVT"),
    ):
        directory.create_agency(actor=None, code=code, name=name, short_name=short, tier="province")
    permit = ProcedureRecord(
        code="1.009999",
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        field_code="H99-XD01",
        field_name="Hoạt động xây dựng",
        processing_value=15,
        agencies=(CONSTRUCTION,),
        receiving_agency=CENTRE,
        fees=(Fee(case="", amount=75_000),),
        components=(
            Component(name="Đơn đề nghị cấp giấy phép xây dựng", template_url="/static/lienthong/site.css"),
            Component(name="Bản vẽ thiết kế xây dựng", originals=2, file_types=("pdf", "dwg")),
        ),
        online_level="full",
    )
    road = ProcedureRecord(
        code="1.001035",
        name="Cấp phép thi công xây dựng công trình đường bộ",
        field_code="H99-GT01",
        field_name="Đường bộ",
        processing_value=7,
        agencies=(TRANSPORT,),
        receiving_agency=CENTRE,
    )
    services.save_procedure(actor=None, record=road)
    return services.save_procedure(actor=None, record=permit).procedure


def _expected_due_dates(procedure: Procedure) -> set[str]:
    return {f"{selectors.appointment_for(procedure).due:%d/%m/%Y}"}


def test_citizen_finds_a_procedure_and_sees_papers_fee_and_appointment(
    page: Any, catalogue: Procedure, artifacts_dir: Path
):
    page.goto("/thu-tuc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu thủ tục hành chính")
    page.get_by_label("Tên hoặc mã thủ tục").fill("cap phep xay dung")
    page.get_by_role("button", name="Tìm", exact=True).click()

    results = page.get_by_role("list", name="Kết quả tìm kiếm")
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 2 thủ tục.")
    expect(results.get_by_role("link")).to_have_count(2)

    page.get_by_label("Lĩnh vực").select_option(label="Hoạt động xây dựng")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 thủ tục.")
    expect(page.get_by_label("Tên hoặc mã thủ tục")).to_have_value("cap phep xay dung")
    expected = _expected_due_dates(catalogue)
    results.get_by_role("link", name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
    )
    papers = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Tên giấy tờ"))
    expect(papers.get_by_role("rowheader")).to_have_text(
        ["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế xây dựng"]
    )
    expect(papers.get_by_role("link", name="Tải mẫu: Đơn đề nghị cấp giấy phép xây dựng")).to_be_visible()
    expect(page.get_by_text("Lệ phí: 75.000 đ")).to_be_visible()
    expect(page.get_by_text("15 ngày làm việc").first).to_be_visible()
    expect(page.get_by_text(f"1.009999.{CONSTRUCTION}")).to_be_visible()

    appointment = page.get_by_role("region", name="Ngày hẹn trả kết quả")
    expect(appointment).to_contain_text("Nếu nộp hồ sơ ngay bây giờ, ngày hẹn trả dự kiến là")
    shown = appointment.locator("time").inner_text()
    assert re.fullmatch(r"\d{2}:\d{2}, (thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật) \d{2}/\d{2}/\d{4}", shown), (
        shown
    )
    expected |= _expected_due_dates(catalogue)
    assert shown[-10:] in expected, (shown, expected)
    page.screenshot(path=str(artifacts_dir / "catalog-procedure.png"), full_page=True)


def test_procedure_pages_fit_a_phone(page: Any, catalogue: Procedure):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/thu-tuc/?q=xay+dung")
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 2 thủ tục.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto("/thu-tuc/1.009999/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
