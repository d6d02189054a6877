"""The dossier page through the internal workflow: each officer is offered what their role allows, a double
click is caught, files stay inside the agency, and a late step shows as late.

The world of :mod:`.helpers` gains a leader, a unit head and a second specialist in agency A, and a 3-step
internal process for the 3-working-day procedure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lienthong.catalog.models import Procedure
from lienthong.catalog.services import StepInput, set_internal_process
from lienthong.directory import services as directory
from lienthong.directory.models import Person, Role
from lienthong.onestop import actions, fees, workflow
from lienthong.onestop.files import Upload
from lienthong.onestop.models import Dossier, DossierStep, NationalStatus, StepOutcome
from lienthong.onestop.services import receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import P_WORKING_DAYS, World, applicant, vn
from .test_intake_page import pdf_bytes

Clock = Callable[[datetime], None]
STEPS = ("Thẩm định hồ sơ", "Xem xét, trình ký", "Lãnh đạo phê duyệt")


@dataclass
class Office:
    """Agency A with its processing officers and a dossier of the 3-step procedure in processing."""

    world: World
    leader: Person
    unit_head: Person
    specialist: Person  # world.specialist_a, to whom the first step is given
    other_specialist: Person
    dossier: Dossier


def _person(world: World, username: str, name: str, role: str) -> Person:
    person = directory.create_person(actor=None, username=username, full_name=name)
    directory.grant_role(actor=None, person=person, agency=world.a, role=role)
    person.refresh_from_db()
    return person


@pytest.fixture
def office(world: World, clock: Clock) -> Office:
    seed_calendar([2026, 2027])
    leader = _person(world, "lanhdao.a", "Võ Minh Đức", Role.LEADER)
    unit_head = _person(world, "truongphong.a", "Ngô Thị Thu", Role.UNIT_HEAD)
    other = _person(world, "chuyenvien2.a", "Hà Văn Tùng", Role.SPECIALIST)
    set_internal_process(
        actor=None,
        procedure=Procedure.objects.get(code=P_WORKING_DAYS),
        agency=world.a,
        steps=[
            StepInput(STEPS[0], Decimal(8), role=Role.SPECIALIST),
            StepInput(STEPS[1], Decimal(8), role=Role.UNIT_HEAD),
            StepInput(STEPS[2], Decimal(8), role=Role.LEADER),
        ],
    )
    clock(vn(2026, 8, 17, 9))  # Monday
    dossier = receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
        components=[Upload("Tờ khai đăng ký khai sinh", "Đơn đề nghị.pdf", pdf_bytes())],
    )
    clock(vn(2026, 8, 17, 9, 30))
    dossier = actions.start_processing(actor=world.officer_a, dossier=dossier)
    dossier = workflow.assign(actor=unit_head, dossier=dossier, assignee=world.specialist_a)
    clock(vn(2026, 8, 17, 10))
    return Office(world, leader, unit_head, world.specialist_a, other, dossier)


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _page(person: Person, dossier: Dossier) -> str:
    response = _client(person).get(reverse("onestop:detail", args=[dossier.code]))
    assert response.status_code == 200
    return response.content.decode()


def _offers(html: str) -> set[str]:
    keys = [
        "assign",
        "forward",
        "send_back",
        "attach_result",
        "approve",
        "sign_result",
        "hand_over",
        "request_supplement",
        "request_payment",
        "record_payment",
        "draft_apology",
        "approve_apology",
        "reject_apology",
        "finish",
        "return_result",
        "withdraw",
        "stop",
        "start_processing",
        "accept",
        "refuse",
        "answer_supplement",
    ]
    return {key for key in keys if f'name="action" value="{key}"' in html}


@pytest.mark.django_db
def test_each_officer_is_offered_what_their_role_allows(office: Office) -> None:
    dossier = office.dossier
    specialist = _offers(_page(office.specialist, dossier))
    assert {"forward", "attach_result", "hand_over", "request_payment", "draft_apology"} <= specialist
    assert not specialist & {"approve", "sign_result", "assign", "approve_apology", "send_back"}
    # The step is given to someone else: a second specialist may not move it.
    other = _offers(_page(office.other_specialist, dossier))
    assert not other & {"forward", "attach_result", "approve", "assign"}
    head = _offers(_page(office.unit_head, dossier))
    assert {"assign", "forward", "attach_result"} <= head and "approve" not in head
    leader = _offers(_page(office.leader, dossier))
    assert {"approve", "assign", "forward"} <= leader
    desk = _offers(_page(office.world.officer_a, dossier))
    assert "withdraw" in desk and not desk & {"approve", "assign", "forward"}


@pytest.mark.django_db
def test_a_specialist_does_not_see_approve_and_gets_403_posting_it(office: Office) -> None:
    dossier = office.dossier
    assert 'value="approve"' not in _page(office.specialist, dossier)
    response = _client(office.specialist).post(
        reverse("onestop:act", args=[dossier.code]),
        {"action": "approve", "approve-version": dossier.version, "approve-reason": "Đồng ý"},
    )
    assert response.status_code == 403
    assert "Chỉ lãnh đạo Sở Tư pháp mới được phê duyệt hồ sơ." in response.content.decode()
    step = DossierStep.objects.get(dossier=dossier, outcome=StepOutcome.OPEN)
    assert step.title == STEPS[0] and step.approved_by == ""


@pytest.mark.django_db
def test_the_dossier_moves_through_the_steps_on_the_page(office: Office, clock: Clock) -> None:
    dossier = office.dossier
    url = reverse("onestop:act", args=[dossier.code])
    specialist = _client(office.specialist)
    html = specialist.get(reverse("onestop:detail", args=[dossier.code])).content.decode()
    assert "Trần Văn Nam (chuyenvien.a)" in html  # the assignee select of "forward"
    response = specialist.post(
        url,
        {
            "action": "forward",
            "forward-version": dossier.version,
            "forward-assignee": office.unit_head.pk,
            "forward-reason": "Hồ sơ đủ điều kiện",
        },
        follow=True,
    )
    assert response.status_code == 200
    dossier.refresh_from_db()
    step = DossierStep.objects.get(dossier=dossier, outcome=StepOutcome.OPEN)
    assert step.title == STEPS[1] and step.assignee == office.unit_head
    html = response.content.decode()
    assert "Đã thực hiện “Chuyển bước tiếp theo”" in html
    assert f"{STEPS[1]} — Ngô Thị Thu" in html

    clock(vn(2026, 8, 17, 10, 30))
    head = _client(office.unit_head)
    result = pdf_bytes()
    response = head.post(
        url,
        {
            "action": "attach_result",
            "attach_result-version": dossier.version,
            "attach_result-title": "Giấy khai sinh",
            "attach_result-file": SimpleUploadedFile("Giấy khai sinh.pdf", result),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Giấy khai sinh" in html and "Chưa ký" in html
    dossier.refresh_from_db()
    assert 'value="sign_result"' not in html and 'value="finish"' not in html  # unsigned result blocks finish

    leader = _client(office.leader)
    html = leader.get(reverse("onestop:detail", args=[dossier.code])).content.decode()
    assert 'value="sign_result"' in html
    leader.post(url, {"action": "sign_result", "sign_result-version": dossier.version})
    dossier.refresh_from_db()
    response = leader.post(url, {"action": "finish", "finish-version": dossier.version}, follow=True)
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.FINISHED
    assert "lanhdao.a" in response.content.decode()  # the signer of the result


@pytest.mark.django_db
def test_a_result_that_is_not_a_pdf_is_refused_naming_the_field(office: Office) -> None:
    dossier = office.dossier
    response = _client(office.specialist).post(
        reverse("onestop:act", args=[dossier.code]),
        {
            "action": "attach_result",
            "attach_result-version": dossier.version,
            "attach_result-title": "Giấy khai sinh",
            "attach_result-file": SimpleUploadedFile("ket-qua.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 400
    assert "Tệp kết quả: Nội dung tệp không phải PDF" in response.content.decode()


@pytest.mark.django_db
def test_double_submit_of_record_payment_gives_409_and_counts_the_payment_once(
    office: Office, clock: Clock
) -> None:
    dossier = fees.request_payment(
        actor=office.specialist, dossier=office.dossier, amount=50_000, reason="Lệ phí đăng ký"
    )
    clock(vn(2026, 8, 17, 14))
    desk = _client(office.world.officer_a)
    html = desk.get(reverse("onestop:detail", args=[dossier.code])).content.decode()
    assert 'value="record_payment"' in html and "còn phải nộp 50.000 đ" in html
    form = {
        "action": "record_payment",
        "record_payment-version": dossier.version,
        "record_payment-amount": "50000",
        "record_payment-receipt": "BL-0001234",
    }
    url = reverse("onestop:act", args=[dossier.code])
    assert desk.post(url, form).status_code == 302
    again = desk.post(url, form)
    assert again.status_code == 409
    assert "vừa được người khác cập nhật; hãy tải lại trang và thử lại." in again.content.decode()
    dossier.refresh_from_db()
    assert dossier.fee_paid == 50_000 and dossier.fee_due == 50_000
    assert dossier.national_status == NationalStatus.PROCESSING


@pytest.mark.django_db
def test_an_officer_of_another_agency_gets_404_for_a_file(office: Office) -> None:
    dossier = office.dossier
    row = dossier.files.get()
    url = reverse("onestop:file", args=[dossier.code, row.pk])
    assert _client(office.world.officer_b).get(url).status_code == 404
    response = _client(office.specialist).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''%C4%90%C6%A1n" in disposition
    other = receive_dossier(
        actor=office.world.officer_b,
        procedure_code="1.000004",
        agency=office.world.b,
        applicant=applicant(),
        channel="desk",
        components=[Upload("Đơn", "don.pdf", pdf_bytes())],
    )
    # A file of another dossier is not reachable through a dossier the officer may see.
    foreign = reverse("onestop:file", args=[dossier.code, other.files.get().pk])
    assert _client(office.specialist).get(foreign).status_code == 404


@pytest.mark.django_db
def test_the_dossier_page_marks_a_late_step(office: Office, clock: Clock) -> None:
    clock(vn(2026, 8, 19, 10))  # the first step (8 working hours from Monday 9:30) was due on Tuesday
    html = _page(office.specialist, office.dossier)
    assert 'class="badge off late-mark">Quá hạn</span>' in html
    assert 'class="late"' in html
    assert "Trong hạn" in html  # the dossier itself is still within its appointment


@pytest.mark.django_db
def test_an_approved_apology_shows_both_appointments(office: Office, clock: Clock) -> None:
    dossier = office.dossier
    url = reverse("onestop:act", args=[dossier.code])
    response = _client(office.specialist).post(
        url,
        {
            "action": "draft_apology",
            "draft_apology-version": dossier.version,
            "draft_apology-reason": "Chờ xác minh của công an xã",
            "draft_apology-new_due_at": "2026-08-28T16:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    dossier.refresh_from_db()
    html = _page(office.leader, dossier)
    assert 'value="approve_apology"' in html and 'value="reject_apology"' in html
    assert "Chờ lãnh đạo duyệt" in html
    _client(office.leader).post(
        url, {"action": "approve_apology", "approve_apology-version": dossier.version}
    )
    html = _page(office.world.officer_a, dossier)
    assert "Ngày hẹn lại (theo phiếu xin lỗi đã duyệt)" in html
    assert '<dd id="hen-lai">28/08/2026 16:00</dd>' in html
    assert "hẹn ban đầu, dùng để tính đúng hạn" in html
    assert reverse("onestop:slip_pdf", args=[dossier.code, "04"]) in html


@pytest.mark.django_db
def test_an_apology_without_a_later_date_names_the_field(office: Office) -> None:
    dossier = office.dossier
    response = _client(office.specialist).post(
        reverse("onestop:act", args=[dossier.code]),
        {
            "action": "draft_apology",
            "draft_apology-version": dossier.version,
            "draft_apology-reason": "Chờ xác minh",
            "draft_apology-new_due_at": "2026-08-18T08:00",
        },
    )
    assert response.status_code == 400
    assert "Hẹn lại ngày trả kết quả: Ngày hẹn mới phải sau ngày hẹn hiện tại." in response.content.decode()


@pytest.mark.django_db
def test_the_mine_queue_shows_the_step_and_the_assignee(office: Office) -> None:
    html = _client(office.specialist).get(reverse("onestop:queues"), {"hang": "mine"}).content.decode()
    assert office.dossier.code in html
    assert f"<td>{STEPS[0]}</td>" in html and "<td>Trần Văn Nam</td>" in html
    assert "Tôi đang xử lý" in html and "Chờ trả kết quả" in html
