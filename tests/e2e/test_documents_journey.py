"""An official document's whole life across two agencies on the platform, in a real browser: a specialist of
the department drafts it, the unit head reviews it, the director signs it on a phone, the clerk issues it (the
number is stamped into the PDF, and poppler's pdfsig finds both signatures valid and trusted); the ward receives
it at once, its chairman assigns it, and a specialist there completes it."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lienthong.documents.models import IncomingDocument, OutgoingDocument
from lienthong.documents.tests.world import CODE_B, OUTSIDE, SECRET, World, build_world, keys
from lienthong.signing.tests.pades_helpers import nss_database, pdfsig
from lienthong.worktime.services import seed_calendar

pytestmark = pytest.mark.e2e

PASSWORD = "Văn-bản-2026!"
SUBJECT = "Về việc cử công chức tham gia lớp bồi dưỡng chuyển đổi số"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def world(transactional_db: None, settings: Any) -> World:
    """Department A and ward B with their officers, the leaders' and agencies' keys from a test PKI whose
    root the platform trusts, and the working-day calendar for deadlines."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LIENTHONG_TRUST_ANCHORS = [str(keys().root_pem)]
    today = timezone.localdate()
    seed_calendar([today.year, today.year + 1])
    built = build_world()
    for person in (
        built.a_specialist,
        built.a_unit_head,
        built.a_director,
        built.a_clerk,
        built.b_leader,
        built.b_specialist,
    ):
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])
    return built


def _sign_in(page: Any, username: str) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def _open_from_queue(page: Any, tab: str) -> None:
    """Go to the documents home through the navigation, open a queue's tab and the document in it."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Văn bản", exact=True
    ).click()
    page.get_by_role("link", name=tab).click()
    page.get_by_role("link", name=SUBJECT).click()


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _fetch(page: Any, url: str) -> tuple[int, str, bytes]:
    """GET ``url`` from inside the page (its cookies) and return status, content type and body."""
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


def test_a_decision_is_drafted_reviewed_signed_issued_received_assigned_and_completed(
    page: Any, world: World, tmp_path: Path, artifacts_dir: Path
) -> None:
    # The specialist of department A drafts the decision; the platform renders the PDF.
    _sign_in(page, "a.chuyenvien")
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.get_by_role("link", name="Soạn văn bản đi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soạn văn bản đi")
    page.locator("#id_document_type").select_option(value="QĐ")
    page.locator("#id_subject").fill(SUBJECT)
    page.locator("#id_body").fill(
        "Điều 1. Cử các công chức có tên trong danh sách kèm theo tham gia lớp bồi dưỡng.\n"
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký."
    )
    page.locator("#id_signer").select_option(label="Ngô Văn Thắng")
    page.locator("#id_platform_recipients").select_option(value=[CODE_B])
    page.locator("#id_outside_recipients").fill(f"{OUTSIDE} Văn phòng Chính phủ")
    page.screenshot(path=str(artifacts_dir / "documents-draft-form.png"), full_page=True)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu dự thảo")
    expect(page.locator("#trang-thai")).to_have_text("Dự thảo")
    page.locator("#form-submit").get_by_label("Người thẩm định").select_option(label="Lý Minh Tuấn")
    page.get_by_role("button", name="Trình", exact=True).click()
    expect(page.locator("#trang-thai")).to_have_text("Chờ thẩm định")
    _sign_out(page)

    # The unit head approves it on to the director.
    _sign_in(page, "a.truongphong")
    _open_from_queue(page, "Chờ tôi thẩm định")
    page.locator("#form-review").get_by_label("Ý kiến").fill("Đồng ý nội dung, trình Giám đốc ký.")
    page.get_by_role("button", name="Đồng ý, chuyển trình ký").click()
    expect(page.locator("#trang-thai")).to_have_text("Chờ lãnh đạo ký")
    _sign_out(page)

    # The director signs on a phone: one column, the file at hand, nothing wider than the screen.
    page.set_viewport_size(PHONE)
    _sign_in(page, "a.giamdoc")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Văn bản", exact=True
    ).click()
    assert _fits(page)
    page.get_by_role("link", name="Chờ tôi ký").click()
    page.get_by_role("link", name=SUBJECT).click()
    page.get_by_role("link", name="Mở trang ký số").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ký số văn bản")
    assert _fits(page)
    page.screenshot(path=str(artifacts_dir / "documents-sign-page-phone.png"), full_page=True)
    pdf_link = page.get_by_role("link", name="Đọc văn bản (PDF)")
    expect(pdf_link).to_be_visible()
    status, kind, _body = _fetch(page, pdf_link.get_attribute("href"))
    assert (status, kind) == (200, "application/pdf")
    sign = page.get_by_role("button", name="Ký số", exact=True)
    assert sign.bounding_box()["height"] >= 44  # a thumb-sized button
    page.get_by_label("Mật khẩu khóa ký số hoặc mã PIN").fill("sai-mat-khau")
    sign.click()
    expect(page.get_by_role("alert").first).to_contain_text("Mật khẩu khóa ký số hoặc mã PIN:")
    assert _fits(page)
    page.get_by_label("Mật khẩu khóa ký số hoặc mã PIN").fill(SECRET)
    page.get_by_role("button", name="Ký số", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã ký số văn bản")
    expect(page.locator("#trang-thai")).to_have_text("Đã ký, chờ phát hành")
    assert _fits(page)
    page.screenshot(path=str(artifacts_dir / "documents-signed-phone.png"), full_page=True)
    _sign_out(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # The clerk issues it: number and date from the register, the agency's signature, dispatch.
    _sign_in(page, "a.vanthu")
    _open_from_queue(page, "Chờ phát hành")
    page.locator("#form-issue").get_by_label("Mật khẩu khóa ký số hoặc mã PIN").fill(SECRET)
    page.get_by_role("button", name="Cấp số và phát hành").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã phát hành")
    document = OutgoingDocument.objects.get(subject=SUBJECT)
    number = document.number_notation
    assert number == "01/QĐ-SNV"
    expect(page.locator("#so-ky-hieu")).to_have_text(number)
    recipients = page.get_by_role("table", name="Nơi nhận")
    expect(recipients).to_contain_text("Đã chuyển trên hệ thống")
    expect(recipients).to_contain_text("Đang chờ gửi qua trục liên thông")
    expect(recipients).not_to_contain_text("Đã gửi")
    page.screenshot(path=str(artifacts_dir / "documents-issued.png"), full_page=True)

    # The issued PDF: both signatures valid and trusted for poppler, the number printed in it.
    status, kind, issued = _fetch(page, page.locator("#tep-van-ban").get_attribute("href"))
    assert (status, kind) == (200, "application/pdf")
    path = tmp_path / "ban-hanh.pdf"
    path.write_bytes(issued)
    found = pdfsig(path, nss_database(tmp_path / "nss", keys().root_pem))
    assert len(found) == 2, found
    assert all(s.valid and s.trusted for s in found), found
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    assert f"Số: {number}" in text.stdout
    _sign_out(page)

    # Ward B received it at once; its chairman sees the signature check and assigns it.
    received = IncomingDocument.objects.get(agency=world.b, outgoing=document)
    _sign_in(page, "b.chutich")
    _open_from_queue(page, "Văn bản đến chờ phân công")
    expect(page.locator("#ket-qua-chu-ky")).to_have_text("Chữ ký hợp lệ, chứng thư tin cậy")
    expect(page.locator(".chu-ky")).to_have_count(2)
    assign = page.locator("#form-assign")
    assign.get_by_label("Chủ trì").select_option(label="Đinh Thị Yến")
    assign.get_by_label("Phối hợp").select_option(label="Phòng Kinh tế")
    assign.get_by_label("Hạn xử lý: số ngày làm việc").fill("5")
    assign.get_by_label("Ý kiến chỉ đạo").fill("Giao chị Yến chủ trì, phòng Kinh tế phối hợp.")
    assign.get_by_role("button", name="Phân công").click()
    expect(page.locator("#trang-thai")).to_have_text("Đang xử lý")
    expect(page.locator("#han-xu-ly")).not_to_be_empty()
    _sign_out(page)

    # The specialist writes progress and completes it.
    _sign_in(page, "b.chuyenvien")
    _open_from_queue(page, "Giao tôi xử lý")
    note = page.locator("#form-note")
    note.get_by_label("Loại").select_option(label="Tiến độ")
    note.get_by_label("Nội dung").fill("Đã lập danh sách công chức dự lớp.")
    note.get_by_role("button", name="Ghi").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi ý kiến, tiến độ")
    # An answer drafted from the incoming page is linked to it (and addressed to the department).
    page.get_by_role("link", name="Soạn văn bản trả lời").click()
    expect(page.locator("#tra-loi")).to_contain_text(f"Trả lời văn bản đến số 01 ({number})")
    page.locator("#id_document_type").select_option(value="CV")
    page.locator("#id_body").fill("Phường đã lập danh sách công chức dự lớp bồi dưỡng theo Quyết định.")
    page.locator("#id_signer").select_option(label="Lương Văn Tài")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator("#trang-thai")).to_have_text("Dự thảo")
    expect(page.get_by_role("table", name="Nơi nhận")).to_contain_text("Sở Nội vụ tỉnh Thanh Lâm")
    page.get_by_role("link", name="Số đến 01").click()
    expect(page.get_by_role("region", name="Văn bản trả lời")).to_contain_text(f"Trả lời văn bản số {number}")

    complete = page.locator("#form-complete")
    complete.get_by_label("Kết quả xử lý").fill("Đã cử 3 công chức dự lớp bồi dưỡng.")
    complete.get_by_role("button", name="Hoàn thành").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã hoàn thành")
    expect(page.locator("#ket-qua")).to_contain_text("Đã cử 3 công chức dự lớp bồi dưỡng.")
    page.screenshot(path=str(artifacts_dir / "documents-completed.png"), full_page=True)
    received.refresh_from_db()
    assert received.status == "completed" and received.completed_by == world.b_specialist
    assert received.replies.get().drafter == world.b_specialist
