"""Journeys through the sign-in pages in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from lienthong.directory import services
from lienthong.directory.models import Person, Role

pytestmark = pytest.mark.e2e

PASSWORD = "Hoa-sen-nở-2025"


@pytest.fixture
def officer(transactional_db: None, settings: Any) -> Person:
    """A clerk of the provincial People's Committee, created through the directory services."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agency = services.create_agency(
        actor=None,
        code="000.00.00.H56",
        name="Ủy ban nhân dân tỉnh Khánh Hòa",
        short_name="UBND",
        tier="province",
    )
    unit = services.create_unit(
        actor=None, agency=agency, code="VP", name="Văn phòng UBND tỉnh", kind="office"
    )
    position = services.ensure_position(actor=None, name="Chuyên viên", rank=90)
    person = services.create_person(actor=None, username="nvan", full_name="Nguyễn Văn An", password=PASSWORD)
    services.grant_role(
        actor=None, person=person, agency=agency, role=Role.CLERK, unit=unit, position=position
    )
    return person


def _sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/dang-nhap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_officer_signs_in_and_reaches_the_staff_home_page(page: Any, officer: Person, artifacts_dir: Path):
    _sign_in(page, "nvan", PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Văn An")
    roles = page.get_by_role("table")
    expect(roles.get_by_role("columnheader")).to_have_text(["Cơ quan", "Đơn vị", "Vai trò", "Chức vụ"])
    row = roles.get_by_role("row").nth(1)
    expect(row).to_contain_text("Ủy ban nhân dân tỉnh Khánh Hòa")
    expect(row).to_contain_text("Văn phòng UBND tỉnh")
    expect(row).to_contain_text("Văn thư")
    expect(row).to_contain_text("Chuyên viên")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "home.png"), full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất.")


def test_totp_enabled_officer_signs_in_with_a_code_from_the_app(page: Any, officer: Person):
    secret = pyotp.random_base32()
    Person.objects.filter(pk=officer.pk).update(totp_secret=secret, totp_enabled=True)

    _sign_in(page, "nvan", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập mã xác thực")
    page.get_by_label("Mã xác thực", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Xác nhận", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Văn An")


def test_wrong_password_is_announced_without_saying_whether_the_name_exists(page: Any, officer: Person):
    _sign_in(page, "nvan", "sai-mat-khau")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")

    _sign_in(page, "khong-ai-ca", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    officer.refresh_from_db()
    assert officer.failed_logins == 1


def test_officer_signs_in_with_the_keyboard_alone(page: Any, officer: Person):
    page.goto("/dang-nhap/")
    expect(page.get_by_label("Tên đăng nhập", exact=True)).to_be_focused()  # the cursor starts in the form
    page.keyboard.type("nvan")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mật khẩu", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Văn An")


def test_staff_home_switches_to_english_and_fits_a_phone(page: Any, officer: Person):
    page.set_viewport_size({"width": 375, "height": 740})
    _sign_in(page, "nvan", PASSWORD)
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nguyễn Văn An")
    assert page.evaluate("document.documentElement.lang") == "en"
    # Nothing wider than the screen: no sideways scrolling of the whole page on a phone (wide tables scroll
    # inside their card instead).
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Ủy ban nhân dân tỉnh Khánh Hòa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ủy ban nhân dân tỉnh Khánh Hòa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
