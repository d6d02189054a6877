"""Dossiers walked through every action, across Tết 2027 and a swapped working Saturday, with exact dates.

The calendar: the pinned holidays for 2026–2027 (Tết 2027: Thursday 4/2 to Wednesday 10/2 off) and, as the
government announces each year, a swap entered by the administrator — Wednesday 3/2/2027 off, Saturday 30/1/2027
worked instead. Working hours 07:00–11:30 and 13:30–17:00 (8 h). The linked procedure takes 5 working days;
agency A's process has three steps of 16, 16 and 8 working hours.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lienthong.core.errors import Conflict
from lienthong.onestop import actions, apology, fees, services, workflow
from lienthong.onestop.models import Apology, DossierEvent, DossierStep, NationalStatus
from lienthong.onestop.timeliness import Timeliness, classify, step_timeliness
from lienthong.worktime.models import DayKind
from lienthong.worktime.services import add_day, seed_calendar

from .helpers import applicant, vn
from .workflow_world import P_LINKED, add_staff, pdf_upload

S = NationalStatus


@pytest.fixture
def staff(world):
    seed_calendar([2026, 2027])
    add_day(actor=world.sysadmin, day=date(2027, 2, 3), kind=DayKind.DAY_OFF, name="Nghỉ hoán đổi dịp Tết")
    add_day(actor=world.sysadmin, day=date(2027, 1, 30), kind=DayKind.WORKDAY, name="Làm bù cho ngày 3/2")
    return add_staff(world)


def _steps(dossier):
    return list(DossierStep.objects.filter(dossier=dossier).order_by("sequence"))


def test_a_desk_dossier_walks_every_internal_action_across_tet_2027(world, staff, clock):
    clock(vn(2027, 1, 28, 9, 0))
    dossier = services.receive_dossier(
        actor=world.officer_a,
        procedure_code=P_LINKED,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
        components=[pdf_upload()],
    )
    # 40 working hours from Thursday 28/1 09:00: 6 h that day, Friday 29/1, the swapped Saturday 30/1,
    # Monday 1/2 and Tuesday 2/2 (8 h each) leave 2 h; 3/2 is the swapped day off and 4–10/2 is Tết.
    assert dossier.due_at == vn(2027, 2, 11, 9, 0)
    assert dossier.files.count() == 1

    clock(vn(2027, 1, 28, 10, 0))
    actions.start_processing(actor=world.officer_a, dossier=dossier)
    (step,) = _steps(dossier)
    # 16 h from Thursday 10:00: 5 h on Thursday, 8 h on Friday, 3 h on the swapped Saturday.
    assert (step.title, step.due_at) == ("Thẩm định hồ sơ", vn(2027, 1, 30, 10, 0))

    clock(vn(2027, 1, 28, 10, 5))
    workflow.assign(actor=staff.head_a, dossier=dossier, assignee=staff.specialist_a)

    clock(vn(2027, 1, 29, 8, 0))
    actions.request_supplement(
        actor=staff.specialist_a, dossier=dossier, reason="Thiếu bản sao giấy khai sinh"
    )
    clock(vn(2027, 2, 1, 8, 0))
    dossier = actions.answer_supplement(actor=world.officer_a, dossier=dossier)
    # Stopped 16 working hours (7 h on Friday, 8 h on the swapped Saturday, 1 h on Monday): two working days.
    assert dossier.paused_seconds == 16 * 3600
    assert dossier.due_at == vn(2027, 2, 15, 9, 0)
    assert _steps(dossier)[0].due_at == vn(2027, 2, 2, 10, 0)

    clock(vn(2027, 2, 1, 15, 0))
    workflow.forward(actor=staff.specialist_a, dossier=dossier)
    first, second = _steps(dossier)
    assert step_timeliness(first.due_at, first.finished_at, first.finished_at) == Timeliness.EARLY
    # 2 h on Monday, 8 h on Tuesday, then Tết and the swapped day: 6 h on Thursday 11/2.
    assert (second.title, second.due_at) == ("Xem xét, trình ký", vn(2027, 2, 11, 15, 0))

    clock(vn(2027, 2, 2, 9, 0))
    workflow.send_back(actor=staff.head_a, dossier=dossier, reason="Đề nghị thẩm định lại điều kiện cư trú")
    again = _steps(dossier)[2]
    assert (again.step_order, again.assignee, again.due_at) == (1, staff.specialist_a, vn(2027, 2, 12, 9, 0))

    clock(vn(2027, 2, 12, 10, 0))
    workflow.forward(actor=staff.specialist_a, dossier=dossier)
    late_step, review = _steps(dossier)[2:]
    assert step_timeliness(late_step.due_at, late_step.finished_at, late_step.finished_at) == Timeliness.LATE
    assert review.due_at == vn(2027, 2, 16, 10, 0)

    # The dossier will miss Monday 15/2 09:00: the late unit apologises, a leader approves a new date.
    clock(vn(2027, 2, 12, 10, 30))
    apology.draft_apology(
        actor=staff.head_a,
        dossier=dossier,
        reason="Phải xác minh lại nơi cư trú",
        new_due_at=vn(2027, 2, 17, 17, 0),
    )
    clock(vn(2027, 2, 12, 11, 0))
    apology.decide_apology(actor=staff.leader_a, dossier=dossier, approve=True)
    dossier.refresh_from_db()
    assert (dossier.due_at, dossier.rescheduled_due_at) == (vn(2027, 2, 15, 9, 0), vn(2027, 2, 17, 17, 0))
    assert Apology.objects.get(dossier=dossier).previous_due_at == vn(2027, 2, 15, 9, 0)

    clock(vn(2027, 2, 15, 14, 0))
    workflow.approve(actor=staff.leader_a, dossier=dossier)
    signing = _steps(dossier)[-1]
    assert (signing.title, signing.due_at) == ("Lãnh đạo ký duyệt", vn(2027, 2, 16, 14, 0))

    clock(vn(2027, 2, 15, 15, 0))
    fees.request_payment(actor=staff.leader_a, dossier=dossier, amount=50_000, reason="Lệ phí cấp giấy")
    clock(vn(2027, 2, 16, 8, 0))
    dossier = fees.record_payment(actor=world.officer_a, dossier=dossier, amount=50_000, receipt="BL-0001")
    # Stopped 3 working hours: every date moves by them.
    assert (dossier.fee_due, dossier.fee_paid) == (50_000, 50_000)
    assert dossier.due_at == vn(2027, 2, 15, 14, 0)
    assert dossier.rescheduled_due_at == vn(2027, 2, 18, 10, 0)
    assert _steps(dossier)[-1].due_at == vn(2027, 2, 16, 17, 0)

    clock(vn(2027, 2, 16, 9, 0))
    workflow.attach_result(
        actor=staff.specialist_a, dossier=dossier, result=pdf_upload("Giấy xác nhận", "ket-qua.pdf", "KQ")
    )
    with pytest.raises(Conflict) as unsigned:
        actions.finish(actor=staff.leader_a, dossier=dossier)
    assert unsigned.value.rule == "result_not_signed"
    clock(vn(2027, 2, 16, 10, 0))
    workflow.sign_result(actor=staff.leader_a, dossier=dossier)
    clock(vn(2027, 2, 16, 10, 30))
    dossier = actions.finish(actor=staff.leader_a, dossier=dossier)
    # Finished on 16/2 against the appointment of 15/2: late, whatever the apology promised.
    assert classify(dossier.due_at, dossier.finished_at, date(2027, 2, 16)) == Timeliness.LATE
    last = _steps(dossier)[-1]
    assert step_timeliness(last.due_at, last.finished_at, last.finished_at) == Timeliness.ON_TIME

    clock(vn(2027, 2, 17, 8, 0))
    dossier = actions.return_result(
        actor=world.officer_a, dossier=dossier, method="postal", tracking_number="EB123456789VN"
    )
    assert dossier.national_status == S.RETURNED
    assert [e.action for e in DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")] == [
        "receive",
        "start_processing",
        "assign",
        "request_supplement",
        "answer_supplement",
        "forward",
        "send_back",
        "forward",
        "draft_apology",
        "apologise",
        "approve",
        "request_payment",
        "pay",
        "attach_result",
        "sign_result",
        "finish",
        "return",
    ]


def test_an_online_dossier_is_handed_over_and_back_keeping_one_history(world, staff, clock):
    clock(vn(2027, 1, 29, 16, 0))
    dossier = services.receive_dossier(
        actor=None, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="online"
    )
    clock(vn(2027, 2, 1, 7, 30))
    dossier = services.accept_dossier(actor=world.officer_a, dossier=dossier)
    # 40 h from Monday 1/2 07:30: 7.5 h + 8 h, then Tết and the swapped day, 8 h on 11, 12, 15/2, 0.5 h on 16/2.
    assert dossier.due_at == vn(2027, 2, 16, 7, 30)
    clock(vn(2027, 2, 1, 8, 0))
    actions.start_processing(actor=world.officer_a, dossier=dossier)
    clock(vn(2027, 2, 1, 9, 0))
    dossier = workflow.hand_over(
        actor=world.specialist_a, dossier=dossier, to_agency=world.b, reason="Xác nhận của Sở"
    )
    assert dossier.handling_agency == world.b
    at_b = _steps(dossier)[-1]
    # B has no process of its own: one step with the working time left to the appointment — 6 h on 1/2,
    # 8 h on 2/2, 8 h on each of 11, 12 and 15/2, and half an hour on 16/2.
    assert (at_b.agency, at_b.allowance_hours, at_b.due_at) == (
        world.b,
        Decimal("38.5"),
        vn(2027, 2, 16, 7, 30),
    )
    clock(vn(2027, 2, 2, 9, 0))
    workflow.hand_over(actor=staff.specialist_b, dossier=dossier, to_agency=world.a)
    clock(vn(2027, 2, 11, 9, 0))
    dossier = actions.finish(actor=world.specialist_a, dossier=dossier)
    clock(vn(2027, 2, 11, 10, 0))
    dossier = actions.return_result(actor=world.officer_a, dossier=dossier, method="electronic")
    assert classify(dossier.due_at, dossier.finished_at, date(2027, 2, 11)) == Timeliness.EARLY
    steps = _steps(dossier)
    assert [(s.agency.code, s.outcome) for s in steps] == [
        (world.a.code, "handed_over"),
        (world.b.code, "handed_over"),
        (world.a.code, "finished"),
    ]
    assert dossier.code.startswith(world.a.code)


def test_refused_withdrawn_and_stopped_dossiers_end_with_their_own_status(world, staff, clock):
    clock(vn(2027, 2, 3, 10, 0))  # the swapped day off: an online dossier may still arrive
    refused = services.receive_dossier(
        actor=None, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="online"
    )
    withdrawn = services.receive_dossier(
        actor=world.officer_a, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="desk"
    )
    # Received on a day off: the clock starts Thursday 11/2 07:00, 40 h later is Wednesday 17/2 17:00.
    assert withdrawn.due_at == vn(2027, 2, 17, 17, 0)
    stopped = services.receive_dossier(
        actor=world.officer_a, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="desk"
    )
    clock(vn(2027, 2, 11, 8, 0))
    refused = actions.refuse_at_intake(
        actor=world.officer_a, dossier=refused, reason="Không thuộc thẩm quyền"
    )
    actions.start_processing(actor=world.officer_a, dossier=withdrawn)
    fees.request_payment(actor=world.specialist_a, dossier=withdrawn, amount=20_000, reason="Phí thẩm định")
    clock(vn(2027, 2, 11, 9, 0))
    withdrawn = actions.withdraw(actor=world.officer_a, dossier=withdrawn, reason="Người nộp xin rút")
    stopped = actions.stop_processing(actor=world.specialist_a, dossier=stopped, reason="Đối tượng đã mất")
    assert [d.national_status for d in (refused, withdrawn, stopped)] == [S.REFUSED, S.WITHDRAWN, S.STOPPED]
    # The hour spent waiting for payment moved the appointment before the withdrawal closed the clock.
    assert withdrawn.due_at == vn(2027, 2, 18, 8, 0)
    assert _steps(withdrawn)[-1].outcome == "closed"
