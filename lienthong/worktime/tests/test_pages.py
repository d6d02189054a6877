"""The calendar pages: any signed-in officer reads, only a system administrator edits (with history)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lienthong.worktime.models import CalendarDay, WorkingHours

pytestmark = pytest.mark.django_db


def test_an_officer_sees_the_year_with_tet_and_year_navigation(client, officer, seeded) -> None:
    client.force_login(officer)
    response = client.get(reverse("worktime:calendar_year", args=[2026]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tết Nguyên Đán" in html and "Làm việc bù cho ngày nghỉ 31/08/2026" in html
    assert reverse("worktime:calendar_year", args=[2025]) in html
    assert reverse("worktime:calendar_year", args=[2027]) in html
    assert "Năm 2026 có 249 ngày làm việc" in html
    assert "Thêm vào lịch" not in html and "Bỏ khỏi lịch" not in html


def test_the_calendar_needs_sign_in(client) -> None:
    response = client.get(reverse("worktime:calendar"))
    assert response.status_code == 302


def test_an_officer_cannot_post_changes(client, officer, seeded) -> None:
    client.force_login(officer)
    entry = CalendarDay.objects.get(date=date(2026, 2, 16))
    response = client.post(reverse("worktime:day", args=[entry.pk]), {"kind": "holiday", "name": "x"})
    assert response.status_code == 403
    response = client.post(reverse("worktime:day_remove", args=[entry.pk]))
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.name == "Giao thừa Tết Nguyên Đán" and entry.is_active


def test_an_administrator_adds_a_day_and_sees_it_in_the_history(client, admin, seeded) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("worktime:calendar_year", args=[2026]),
        {"date": "2026-03-10", "kind": "day_off", "name": "Nghỉ theo quyết định của tỉnh"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nghỉ theo quyết định của tỉnh" in html and "Thêm ngày" in html and "quantri" in html
    assert CalendarDay.objects.get(date=date(2026, 3, 10)).source == "admin"


def test_a_refused_addition_is_shown_on_the_field(client, admin, seeded) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("worktime:calendar_year", args=[2026]),
        {"date": "2026-03-11", "kind": "workday", "name": "Làm bù"},
    )
    assert response.status_code == 400
    assert "thứ Bảy hoặc Chủ nhật" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2026, 3, 11)).exists()


def test_an_administrator_edits_a_day_and_its_page_shows_old_and_new_values(client, admin, seeded) -> None:
    client.force_login(admin)
    entry = CalendarDay.objects.get(date=date(2026, 2, 16))
    response = client.post(
        reverse("worktime:day", args=[entry.pk]), {"kind": "holiday", "name": "Nghỉ Tết"}, follow=True
    )
    html = response.content.decode()
    assert "Nạp từ thư viện holidays" in html and "Sửa ngày" in html
    assert "<strong>Tên, lý do</strong>: Giao thừa Tết Nguyên Đán → Nghỉ Tết" in html
    assert "<strong>Nguồn</strong>: holidays-0.108 → admin" in html


def test_an_administrator_removes_a_day_and_it_is_listed_as_removed(client, admin, seeded) -> None:
    client.force_login(admin)
    entry = CalendarDay.objects.get(date=date(2026, 11, 24))
    response = client.post(reverse("worktime:day_remove", args=[entry.pk]), follow=True)
    assert response.status_code == 200
    assert "Ngày đã bỏ khỏi lịch" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.is_active


def test_an_administrator_sets_agency_hours_through_the_form(client, admin) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("worktime:hours"),
        {
            "agency_code": "000.00.00.H56",
            "morning_start": "07:30",
            "morning_end": "11:30",
            "afternoon_start": "13:00",
            "afternoon_end": "17:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "000.00.00.H56" in response.content.decode()
    assert WorkingHours.objects.get(agency_code="000.00.00.H56").afternoon_start.hour == 13


def test_hours_in_the_wrong_order_are_shown_on_the_field(client, admin) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("worktime:hours"),
        {
            "agency_code": "",
            "morning_start": "11:30",
            "morning_end": "07:00",
            "afternoon_start": "13:00",
            "afternoon_end": "17:00",
        },
    )
    assert response.status_code == 400
    assert "Giờ bắt đầu buổi sáng phải trước giờ kết thúc" in response.content.decode()


def test_an_officer_reads_the_hours_page_without_forms(client, officer) -> None:
    client.force_login(officer)
    response = client.get(reverse("worktime:hours"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "07:00–11:30, 13:30–17:00" in html and "Đặt giờ làm việc" not in html


def test_a_year_out_of_range_is_not_found(client, officer) -> None:
    client.force_login(officer)
    assert client.get(reverse("worktime:calendar_year", args=[1800])).status_code == 404
