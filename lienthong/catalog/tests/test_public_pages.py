"""Public catalogue pages: search with filters, the procedure page a citizen reads, history and diffs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from lienthong.catalog import selectors, services
from lienthong.catalog.models import Procedure
from lienthong.catalog.record import Component, Fee
from lienthong.directory import services as directory
from lienthong.directory.models import Role
from lienthong.worktime.arith import VN_TZ
from lienthong.worktime.models import CalendarDay, DayKind
from lienthong.worktime.selectors import forget_cached_calendar

from .test_search import (
    BIRTH,
    BUILDING_PERMIT,
    COMMUNE,
    CONSTRUCTION_DEPT,
    PROVINCE_CENTRE,
    agency,
    cancel,
    procedure,
)


@pytest.fixture
def permit(db: None) -> Procedure:
    return procedure("1.009999", "Cấp giấy phép xây dựng mới", **BUILDING_PERMIT)


@pytest.fixture
def birth(db: None) -> Procedure:
    return procedure("1.001193", "Đăng ký khai sinh", **BIRTH)


def text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_search_page_finds_a_procedure_typed_without_diacritics(permit: Procedure, birth: Procedure):
    page = text(Client().get(reverse("catalog:search"), {"q": "cap phep xay dung"}))
    assert "Cấp giấy phép xây dựng mới" in page
    assert "Đăng ký khai sinh" not in page
    assert "Tìm thấy 1 thủ tục." in page
    assert "1.009999" in page
    assert "Hoạt động xây dựng" in page
    assert "15 ngày làm việc" in page
    assert "Trực tuyến một phần" in page
    assert reverse("catalog:detail", args=["1.009999"]) in page


def test_search_page_needs_no_sign_in_and_offers_the_filters(permit: Procedure, birth: Procedure):
    page = text(Client().get(reverse("catalog:search")))
    assert 'name="q"' in page
    for name in ("field", "agency", "tier", "level"):
        assert f'name="{name}"' in page
    assert '<option value="H99-HT01">Hộ tịch</option>' in page
    assert "Sở Xây dựng tỉnh Sông Lam" in page
    assert "Tìm thấy 2 thủ tục." in page


def test_search_page_filters_by_field_and_says_when_nothing_matches(permit: Procedure, birth: Procedure):
    page = text(Client().get(reverse("catalog:search"), {"field": "H99-HT01"}))
    assert "Đăng ký khai sinh" in page
    assert "Cấp giấy phép xây dựng mới" not in page
    assert '<option value="H99-HT01" selected>' in page

    empty = text(Client().get(reverse("catalog:search"), {"q": "khai sinh", "field": "H99-XD01"}))
    assert "Không có thủ tục nào khớp với điều kiện tìm." in empty


def test_search_page_ignores_filter_values_of_the_wrong_shape(permit: Procedure, birth: Procedure):
    page = text(Client().get(reverse("catalog:search"), {"tier": "galaxy", "level": "<script>", "page": "x"}))
    assert "Tìm thấy 2 thủ tục." in page
    assert "<script>" not in page


def test_search_page_keeps_the_filters_in_the_pagination_links(db: None):
    for n in range(25):
        procedure(f"2.{n:06d}", f"Đăng ký thử nghiệm {n:02d}", **{**BIRTH, "agencies": ()})
    page = text(Client().get(reverse("catalog:search"), {"q": "thu nghiem", "level": "full"}))
    assert "Trang 1 / 2" in page
    assert "?q=thu+nghiem&amp;level=full&amp;page=2" in page
    second = text(Client().get(reverse("catalog:search"), {"q": "thu nghiem", "level": "full", "page": "2"}))
    assert "Đăng ký thử nghiệm 24" in second
    assert "Đăng ký thử nghiệm 00" not in second


def test_procedure_page_shows_what_a_citizen_needs(permit: Procedure):
    page = text(Client().get(reverse("catalog:detail", args=["1.009999"])))
    assert "<h1>Cấp giấy phép xây dựng mới</h1>" in page
    # components, with originals, copies, requirement, file types and the template to download
    assert "Đơn đề nghị cấp giấy phép xây dựng" in page
    assert 'href="https://example.gov.vn/mau-01.docx" download' in page
    assert "Bản vẽ thiết kế xây dựng" in page
    assert "PDF, DWG" in page
    # fee, time, where to submit (with the localised code), result, legal basis
    assert "Lệ phí: 150.000 đ" in page
    assert "15 ngày làm việc" in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Sông Lam" in page
    assert PROVINCE_CENTRE in page
    assert "Sở Xây dựng tỉnh Sông Lam" in page
    assert f"1.009999.{CONSTRUCTION_DEPT}" in page
    assert "Giấy phép xây dựng (bản điện tử)" in page
    assert "50/2014/QH13" in page
    assert "Luật Xây dựng" in page
    assert "Nếu nộp hồ sơ ngay bây giờ, ngày hẹn trả dự kiến là" in page


def test_procedure_page_gives_the_appointment_from_the_working_calendar(permit: Procedure):
    # Tết 2026: 16–20 February are days off. 15 working days from Thursday 12 Feb 2026 09:00.
    for day in range(16, 21):
        CalendarDay.objects.create(date=date(2026, 2, day), kind=DayKind.HOLIDAY, name="Tết Nguyên Đán")
    forget_cached_calendar()
    appointment = selectors.appointment_for(permit, now=datetime(2026, 2, 12, 9, 0, tzinfo=VN_TZ))
    assert appointment.due == datetime(2026, 3, 12, 9, 0, tzinfo=VN_TZ)
    assert selectors.format_moment(appointment.due) == "09:00, thứ Năm 12/03/2026"
    assert appointment.calendar_years_missing == ()


def test_fees_by_case_are_shown_as_a_table(db: None):
    fees = (Fee(case="Nhà ở riêng lẻ", amount=75_000), Fee(case="Công trình khác", amount=1_500_000))
    procedure("1.009996", "Cấp giấy phép xây dựng có thời hạn", **{**BUILDING_PERMIT, "fees": fees})
    page = text(Client().get(reverse("catalog:detail", args=["1.009996"])))
    assert "Theo từng trường hợp" in page
    assert "<td>Nhà ở riêng lẻ</td><td>Lệ phí</td><td>75.000 đ</td>" in page
    assert "1.500.000 đ" in page


def test_a_free_procedure_says_so(birth: Procedure):
    page = text(Client().get(reverse("catalog:detail", args=["1.001193"])))
    assert "Không thu phí, lệ phí." in page


def test_a_template_link_is_only_made_from_a_web_address(db: None):
    components = (
        Component(name="Tờ khai", template_url="javascript:alert(1)"),
        Component(name="Bản sao giấy tờ", template_url="/static/mau/to-khai.pdf"),
    )
    procedure("1.009995", "Thủ tục có mẫu", **{**BIRTH, "components": components})
    page = text(Client().get(reverse("catalog:detail", args=["1.009995"])))
    assert "javascript:" not in page
    assert 'href="/static/mau/to-khai.pdf"' in page


def test_suspended_procedure_shows_a_notice_and_no_appointment(birth: Procedure):
    services.save_procedure(actor=None, record=replace(selectors.current_record(birth), status="suspended"))
    page = text(Client().get(reverse("catalog:detail", args=["1.001193"])))
    assert "Tạm ngừng tiếp nhận" in page
    assert "ngày hẹn trả dự kiến" not in page


def test_unknown_or_cancelled_procedures_answer_404(birth: Procedure):
    assert Client().get(reverse("catalog:detail", args=["1.234567"])).status_code == 404
    assert Client().get("/thu-tuc/1.1193/").status_code == 404
    cancel(birth)
    assert Client().get(reverse("catalog:detail", args=["1.001193"])).status_code == 404
    search = text(Client().get(reverse("catalog:search"), {"q": "khai sinh"}))
    assert "Đăng ký khai sinh" not in search


def test_history_lists_versions_and_what_each_changed(birth: Procedure):
    current = selectors.current_record(birth)
    services.save_procedure(
        actor=None, record=replace(current, processing_value=2), source="Quyết định 12/QĐ"
    )
    page = text(Client().get(reverse("catalog:history", args=["1.001193"])))
    assert "Lịch sử thay đổi" in page
    assert "Quyết định 12/QĐ" in page
    assert "Thời hạn giải quyết" in page
    assert "Tạo mới" in page
    assert "hiện hành" in page
    assert f"{reverse('catalog:diff', args=['1.001193'])}?tu=1&amp;den=2" in page


def test_diff_page_compares_any_two_versions_field_by_field(birth: Procedure):
    current = selectors.current_record(birth)
    services.save_procedure(actor=None, record=replace(current, processing_value=2))
    services.save_procedure(
        actor=None,
        record=replace(
            current, processing_value=3, fees=(Fee(case="", amount=8_000),), online_level="partial"
        ),
    )
    page = text(Client().get(reverse("catalog:diff", args=["1.001193"]), {"tu": "1", "den": "3"}))
    assert "So sánh phiên bản 1 và 3" in page
    assert '<th scope="row">Thời hạn giải quyết</th>' in page
    assert "<li>1</li>" in page and "<li>3</li>" in page
    assert "Phí, lệ phí" in page and "lệ phí: 8.000 đ" in page
    assert "Mức độ trực tuyến" in page and "Toàn trình" in page and "Một phần" in page
    assert "Tên thủ tục" not in page.split("<tbody>")[1]

    default = text(Client().get(reverse("catalog:diff", args=["1.001193"])))
    assert "So sánh phiên bản 2 và 3" in default


def test_diff_page_answers_404_for_a_missing_version(birth: Procedure):
    url = reverse("catalog:diff", args=["1.001193"])
    assert Client().get(url, {"tu": "1", "den": "9"}).status_code == 404
    assert Client().get(url, {"tu": "một", "den": "1"}).status_code == 404
    same = text(Client().get(url, {"tu": "1", "den": "1"}))
    assert "Hai phiên bản này có nội dung giống nhau." in same


def test_history_of_a_cancelled_procedure_is_for_officers_only(birth: Procedure):
    cancel(birth)
    history = reverse("catalog:history", args=["1.001193"])
    assert Client().get(history).status_code == 404
    assert Client().get(reverse("catalog:diff", args=["1.001193"])).status_code == 404

    someone = directory.create_person(
        actor=None, username="nguoidan", full_name="Lê Văn Dân", password="x" * 12
    )
    without_role = Client()
    without_role.force_login(someone)
    assert without_role.get(history).status_code == 404

    officer = directory.create_person(
        actor=None, username="canbo", full_name="Trần Thị Bình", password="x" * 12
    )
    directory.grant_role(actor=None, person=officer, agency=agency(COMMUNE), role=Role.ONESTOP_OFFICER)
    client = Client()
    client.force_login(officer)
    page = text(client.get(history))
    assert "Đã bãi bỏ" in page
    assert "Trạng thái" in page
    diff = text(client.get(reverse("catalog:diff", args=["1.001193"]), {"tu": "1", "den": "2"}))
    assert "Đã bãi bỏ" in diff
    # still not on the procedure page: it left the portal
    assert client.get(reverse("catalog:detail", args=["1.001193"])).status_code == 404
