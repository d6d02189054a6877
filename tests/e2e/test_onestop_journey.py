"""A dossier's whole life at a one-stop desk, in a real browser: received at the desk with a PDF, the receipt
printed, processed through the agency's internal steps by a specialist and a leader, and returned."""

from __future__ import annotations

import base64
import subprocess
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lienthong.catalog import services as catalog
from lienthong.catalog.record import Fee, ProcedureRecord
from lienthong.catalog.services import StepInput
from lienthong.directory import services as directory
from lienthong.directory.models import Role
from lienthong.onestop.models import Dossier
from lienthong.worktime.services import seed_calendar

pytestmark = pytest.mark.e2e

PASSWORD = "Một-cửa-2026!"
DESK = "000.00.31.H56"
PROCEDURE = "1.001193"
STEPS = ("Tiếp nhận, chuyển hồ sơ", "Thẩm định hồ sơ", "Dự thảo kết quả", "Phê duyệt, ký kết quả")


@dataclass
class Office:
    officer: str
    specialist: str
    leader: str


@pytest.fixture
def office(transactional_db: None, settings: Any) -> Office:
    """A district People's Committee: its desk officer, a specialist, a leader, and a 4-step procedure."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = timezone.localdate()
    seed_calendar([today.year, today.year + 1])
    agency = directory.create_agency(
        actor=None, code=DESK, name="Ủy ban nhân dân huyện Hòa Vang", short_name="UBND", tier="district"
    )
    for username, name, role in (
        ("motcua", "Nguyễn Thị Hoa", Role.ONESTOP_OFFICER),
        ("chuyenvien", "Trần Văn Nam", Role.SPECIALIST),
        ("lanhdao", "Võ Minh Đức", Role.LEADER),
    ):
        person = directory.create_person(actor=None, username=username, full_name=name, password=PASSWORD)
        directory.grant_role(actor=None, person=person, agency=agency, role=role)
    saved = catalog.save_procedure(
        actor=None,
        record=ProcedureRecord(
            code=PROCEDURE,
            name="Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
            field_code="H56-HT01",
            field_name="Hộ tịch",
            processing_value=3,
            agencies=(DESK,),
            tiers=("district",),
            fees=(Fee(case="", amount=8_000),),
        ),
    )
    catalog.set_internal_process(
        actor=None,
        procedure=saved.procedure,
        agency=agency,
        steps=[
            StepInput(STEPS[0], Decimal(4), role=Role.ONESTOP_OFFICER),
            StepInput(STEPS[1], Decimal(8), role=Role.SPECIALIST),
            StepInput(STEPS[2], Decimal(8), role=Role.SPECIALIST),
            StepInput(STEPS[3], Decimal(4), role=Role.LEADER),
        ],
    )
    return Office("motcua", "chuyenvien", "lanhdao")


def _pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + uuid.uuid4().hex.encode() + b"\n"
        b"trailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    )


def _sign_in(page: Any, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def _act(page: Any, key: str, button: str, fill: dict[str, str] | None = None) -> None:
    """Fill the form of one action (field label → value) and submit it; expect the success message."""
    form = page.locator(f"#form-{key}")
    for label, value in (fill or {}).items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện “{button}”")


def _fetch(page: Any, url: str) -> tuple[int, str, bytes]:
    """GET ``url`` from inside the page (its cookies, its origin) and return status, type and body."""
    got = page.evaluate(
        """async (url) => {
            const response = await fetch(url, {credentials: "same-origin"});
            const bytes = new Uint8Array(await response.arrayBuffer());
            let text = "";
            for (let i = 0; i < bytes.length; i += 0x8000) {
                text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
            }
            return {status: response.status, type: response.headers.get("content-type"), body: btoa(text)};
        }""",
        url,
    )
    return got["status"], got["type"], base64.b64decode(got["body"])


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "phieu.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def test_a_desk_dossier_is_received_processed_and_returned(
    page: Any, office: Office, tmp_path: Path, artifacts_dir: Path
):
    # The one-stop officer receives the dossier at the desk.
    _sign_in(page, office.officer)
    page.goto("/ho-so/")
    page.get_by_role("link", name="Tiếp nhận hồ sơ trực tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận hồ sơ trực tiếp")
    page.get_by_label("Thủ tục hành chính").select_option(value=PROCEDURE)
    page.get_by_label("Họ và tên / tên tổ chức").fill("Đỗ Văn Minh")
    page.get_by_label("Số định danh cá nhân / mã số thuế").fill("038095001234")
    page.get_by_label("Ngày sinh").fill("1995-03-14")
    page.get_by_label("Điện thoại").fill("0912345678")
    page.get_by_label("Tên giấy tờ 1", exact=True).fill("Tờ khai đăng ký khai sinh")
    page.get_by_label("Tệp giấy tờ 1", exact=True).set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    page.get_by_label("Phí, lệ phí đã thu (đồng)").fill("8000")
    page.screenshot(path=str(artifacts_dir / "onestop-intake.png"), full_page=True)
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()

    dossier = Dossier.objects.get()
    assert dossier.due_at is not None
    due = timezone.localtime(dossier.due_at)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")
    expect(page.get_by_role("status")).to_contain_text(
        f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả: {due:%H:%M %d/%m/%Y}."
    )
    expect(page.locator("#trang-thai")).to_have_text("Đã tiếp nhận")
    components = page.get_by_role("table", name="Thành phần hồ sơ")
    expect(components.get_by_role("row", name="Tờ khai đăng ký khai sinh")).to_contain_text("PDF")

    # The receipt (form 01) carries the code and the appointment date.
    receipt = page.get_by_role("link", name="In giấy tiếp nhận và hẹn trả kết quả (mẫu 01)")
    status, content_type, body = _fetch(page, receipt.get_attribute("href"))
    assert status == 200 and content_type == "application/pdf", (status, content_type)
    text = _pdf_text(body, tmp_path)
    assert dossier.code in text, text
    assert f"{due:%d/%m/%Y}" in text, text

    # The desk passes it on to the specialist.
    _act(page, "start_processing", "Bắt đầu xử lý")
    _act(page, "forward", "Chuyển bước tiếp theo", {"Người xử lý bước sau": "Trần Văn Nam (chuyenvien)"})
    expect(page.get_by_text(f"{STEPS[1]} — Trần Văn Nam")).to_be_visible()
    _sign_out(page)

    # The specialist finds it in their queue, moves it on and attaches the result.
    _sign_in(page, office.specialist)
    page.goto("/ho-so/?hang=mine")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("button", name="Phê duyệt", exact=True)).to_have_count(0)
    _act(page, "forward", "Chuyển bước tiếp theo", {"Ghi chú": "Hồ sơ hợp lệ, dự thảo kết quả"})
    form = page.locator("#form-attach_result")
    form.get_by_label("Tên kết quả").fill("Giấy khai sinh")
    form.get_by_label("Tệp kết quả").set_input_files(
        files=[{"name": "giay-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    form.get_by_role("button", name="Đính kèm kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện “Đính kèm kết quả”")
    results = page.get_by_role("table", name="Kết quả giải quyết")
    expect(results.get_by_role("row", name="Giấy khai sinh")).to_contain_text("Chưa ký")
    _sign_out(page)

    # The leader approves, signs and finishes.
    _sign_in(page, office.leader)
    page.goto(f"/ho-so/{dossier.code}/")
    _act(page, "approve", "Phê duyệt", {"Ghi chú": "Đồng ý"})
    expect(page.get_by_text(f"{STEPS[3]} — ")).to_be_visible()
    _act(page, "sign_result", "Ký kết quả")
    _act(page, "finish", "Hoàn thành xử lý")
    expect(page.locator("#trang-thai")).to_have_text("Đã xử lý xong")
    _sign_out(page)

    # The desk hands the result over.
    _sign_in(page, office.officer)
    page.goto("/ho-so/?hang=to_return")
    page.get_by_role("link", name=dossier.code).click()
    _act(page, "return_result", "Trả kết quả", {"Hình thức trả kết quả": "Trả trực tiếp tại bộ phận một cửa"})
    expect(page.locator("#trang-thai")).to_have_text("Đã trả kết quả")
    steps = page.get_by_role("table", name="Các bước xử lý")
    expect(steps.get_by_role("rowheader")).to_contain_text(list(STEPS))
    page.screenshot(path=str(artifacts_dir / "onestop-returned.png"), full_page=True)


def test_the_intake_and_dossier_pages_fit_a_phone(page: Any, office: Office):
    _sign_in(page, office.officer)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/ho-so/tiep-nhan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận hồ sơ trực tiếp")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Thủ tục hành chính").select_option(value=PROCEDURE)
    page.get_by_label("Họ và tên / tên tổ chức").fill("Đỗ Văn Minh")
    page.get_by_label("Số định danh cá nhân / mã số thuế").fill("0380")
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Số định danh cá nhân / mã số thuế").fill("038095001234")
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    expect(page.locator("#trang-thai")).to_have_text("Đã tiếp nhận")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
