"""The public status page: the right code and phone digits show the status, appointment and timeline; anything
else gets one generic message; no personal data ever reaches the HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lienthong.onestop.models import Dossier
from lienthong.onestop.selectors import ACTION_LABELS
from lienthong.onestop.services import accept_dossier, receive_dossier
from lienthong.onestop.views_public import MAX_FAILURES
from lienthong.worktime.services import seed_calendar

from .helpers import P_WORKING_DAYS, World, applicant, vn

Clock = Callable[[datetime], None]
URL = "/ho-so/tra-cuu/"
NOT_FOUND = "Không tìm thấy hồ sơ"


@pytest.fixture(autouse=True)
def _fresh_cache(db: None) -> None:
    """The look-up limit counts in the cache, which lives in the database."""
    cache.clear()


@pytest.fixture
def dossier(world: World, clock: Clock) -> Dossier:
    seed_calendar([2026, 2027])
    clock(vn(2027, 2, 3, 9))
    received = receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )
    clock(vn(2027, 2, 3, 10, 30))
    return accept_dossier(actor=world.officer_a, dossier=received)


def look_up(code: str, digits: str, client: Client | None = None) -> str:
    response = (client or Client()).post(URL, {"code": code, "phone_tail": digits})
    return response.content.decode()


def test_the_page_is_named_and_public(db: None) -> None:
    assert reverse("onestop:status") == URL
    response = Client().get(URL, {"ma": "000.00.03.H56-270203-0001"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tra cứu tình trạng hồ sơ" in html
    assert 'value="000.00.03.H56-270203-0001"' in html
    assert 'inputmode="numeric"' in html
    assert 'aria-describedby="id_phone_tail_helptext"' in html and 'id="id_phone_tail_helptext"' in html


def test_right_code_and_digits_show_status_appointment_and_timeline(dossier: Dossier) -> None:
    html = look_up(dossier.code, "5678")
    assert NOT_FOUND not in html
    assert dossier.code in html
    assert "Đã tiếp nhận" in html
    assert "03/02/2027 09:00" in html  # received
    assert dossier.due_at is not None
    assert dossier.due_at.astimezone(vn(2027, 1, 1).tzinfo).strftime("%d/%m/%Y") in html
    assert "Nhận hồ sơ" in html and "Tiếp nhận hồ sơ" in html
    assert "03/02/2027 10:30" in html  # accepted


def test_no_personal_data_in_the_page(dossier: Dossier) -> None:
    html = look_up(dossier.code, "5678")
    assert dossier.code in html
    for secret in (
        "Đỗ Văn Minh",
        "038095001234",
        "Lê Lợi",
        "0912345678",
        "minh@example.vn",
        "motcua.a",
        "Nguyễn Thị Hoa",
    ):
        assert secret not in html


def test_wrong_digits_and_wrong_code_get_the_same_generic_message(dossier: Dossier) -> None:
    wrong_digits = look_up(dossier.code, "1234")
    wrong_code = look_up(dossier.code[:-4] + "9999", "5678")
    for html in (wrong_digits, wrong_code):
        assert NOT_FOUND in html
        assert "Đã tiếp nhận" not in html
        assert "Đỗ Văn Minh" not in html
    # Same message, whatever failed: the page never says whether the code exists.
    assert wrong_digits.count(NOT_FOUND) == wrong_code.count(NOT_FOUND)


def test_dossier_without_phone_cannot_be_looked_up(world: World) -> None:
    seed_calendar([2026, 2027])
    quiet = receive_dossier(
        actor=None,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(phone=""),
        channel="desk",
    )
    assert NOT_FOUND in look_up(quiet.code, "0000")


def test_digits_must_be_four(dossier: Dossier) -> None:
    html = look_up(dossier.code, "56")
    assert "Nhập đúng 4 chữ số." in html
    assert "Đã tiếp nhận" not in html


def test_too_many_failures_are_refused_for_a_while(dossier: Dossier) -> None:
    client = Client()
    for _ in range(MAX_FAILURES):
        assert NOT_FOUND in look_up(dossier.code, "0000", client)
    response = client.post(URL, {"code": dossier.code, "phone_tail": "5678"})
    assert response.status_code == 429
    assert "Đã tiếp nhận" not in response.content.decode()


def test_every_action_the_services_record_has_a_label() -> None:
    """The public page and the API show labels, never raw action codes."""
    here = Path(__file__).resolve().parent.parent
    recorded: set[str] = set()
    for name in ("services.py", "actions.py"):
        source = here / name
        if source.exists():
            recorded |= set(re.findall(r'\baction="([a-z_]+)"', source.read_text(encoding="utf-8")))
    assert "receive" in recorded
    assert recorded - set(ACTION_LABELS) == set()


def test_the_public_page_shows_the_new_appointment_but_not_internal_steps(world, client, clock) -> None:
    from lienthong.onestop import actions, apology, services, workflow
    from lienthong.worktime.services import seed_calendar

    from .helpers import applicant, vn
    from .workflow_world import P_LINKED, add_staff

    seed_calendar([2026, 2027])
    staff = add_staff(world)
    clock(vn(2026, 12, 1, 9))
    dossier = services.receive_dossier(
        actor=world.officer_a, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="desk"
    )
    clock(vn(2026, 12, 1, 10))
    actions.start_processing(actor=world.officer_a, dossier=dossier)
    clock(vn(2026, 12, 1, 11))
    workflow.assign(actor=staff.head_a, dossier=dossier, assignee=world.specialist_a)
    apology.draft_apology(
        actor=staff.head_a, dossier=dossier, reason="Chờ xác minh", new_due_at=vn(2026, 12, 21, 17)
    )
    clock(vn(2026, 12, 1, 14))
    apology.decide_apology(actor=staff.leader_a, dossier=dossier, approve=True)
    response = client.post("/ho-so/tra-cuu/", {"code": dossier.code, "phone_tail": "5678"})
    html = response.content.decode()
    assert "21/12/2026 17:00" in html
    assert "Xin lỗi và hẹn lại ngày trả kết quả" in html
    assert "Phân công xử lý" not in html and "Soạn phiếu xin lỗi" not in html
    assert "Chờ xác minh" not in html
