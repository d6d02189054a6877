"""What the internal workflow refuses, and why: roles, steps, files, payments, apologies, hand-overs.

Every refusal names the rule (and the field where there is one) and leaves the dossier as it was.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.onestop import actions, apology, fees, services, workflow
from lienthong.onestop.files import Upload
from lienthong.onestop.models import Dossier, DossierFile, DossierStep, NationalStatus
from lienthong.worktime.services import seed_calendar

from .helpers import P_WORKING_DAYS, applicant, vn
from .workflow_world import P_LINKED, add_staff, pdf_bytes, pdf_upload

S = NationalStatus


@pytest.fixture
def staff(world):
    seed_calendar([2026, 2027])
    return add_staff(world)


@pytest.fixture
def processing(world, staff, clock):
    clock(vn(2026, 12, 1, 9, 0))
    dossier = services.receive_dossier(
        actor=world.officer_a, procedure_code=P_LINKED, agency=world.a, applicant=applicant(), channel="desk"
    )
    clock(vn(2026, 12, 1, 9, 30))
    return actions.start_processing(actor=world.officer_a, dossier=dossier)


def _unchanged(dossier: Dossier) -> None:
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.version == dossier.version


def test_processing_starts_at_the_first_step_of_the_agencys_process(processing):
    step = DossierStep.objects.get(dossier=processing)
    assert (step.step_order, step.title, step.outcome) == (1, "Thẩm định hồ sơ", "open")


def test_a_dossier_without_a_process_gets_one_step_with_the_time_left(world, staff, clock):
    clock(vn(2026, 12, 1, 9, 0))
    dossier = services.receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
    )
    actions.start_processing(actor=world.officer_a, dossier=dossier)
    step = DossierStep.objects.get(dossier=dossier)
    assert (step.title, step.due_at) == ("Xử lý hồ sơ", dossier.due_at)


def test_a_specialist_cannot_assign_approve_or_sign(world, staff, processing):
    with pytest.raises(PermissionDenied) as assigning:
        workflow.assign(actor=world.specialist_a, dossier=processing, assignee=world.specialist_a)
    assert assigning.value.rule == "assigner_required"
    with pytest.raises(PermissionDenied) as approving:
        workflow.approve(actor=world.specialist_a, dossier=processing)
    assert approving.value.rule == "leader_required"
    with pytest.raises(PermissionDenied):
        workflow.sign_result(actor=staff.head_a, dossier=processing)
    _unchanged(processing)


def test_only_the_assignee_or_a_head_moves_an_assigned_step(world, staff, processing, clock):
    clock(vn(2026, 12, 1, 10, 0))
    processing = workflow.assign(actor=staff.head_a, dossier=processing, assignee=staff.specialist_a)
    other = staff.specialist_a.__class__.objects.get(username="motcua.a")  # a desk officer of A
    with pytest.raises(PermissionDenied) as refused:
        workflow.forward(actor=other, dossier=processing)
    assert refused.value.rule == "assignee_only"
    clock(vn(2026, 12, 1, 10, 30))
    workflow.forward(actor=staff.head_a, dossier=processing)
    assert DossierStep.objects.get(dossier=processing, outcome="open").step_order == 2


def test_an_officer_of_another_agency_cannot_be_assigned(world, staff, processing):
    with pytest.raises(DomainError) as refused:
        workflow.assign(actor=staff.head_a, dossier=processing, assignee=staff.specialist_b)
    assert (refused.value.rule, refused.value.field) == ("not_an_officer_of_agency", "assignee")
    _unchanged(processing)


def test_the_first_step_cannot_be_sent_back_and_the_last_cannot_be_forwarded(world, staff, processing, clock):
    with pytest.raises(Conflict) as first:
        workflow.send_back(actor=staff.head_a, dossier=processing, reason="Xem lại")
    assert first.value.rule == "first_step"
    for minute in (10, 20):
        clock(vn(2026, 12, 1, 10, minute))
        processing = workflow.forward(actor=staff.head_a, dossier=processing)
    with pytest.raises(Conflict) as last:
        workflow.forward(actor=staff.head_a, dossier=processing)
    assert last.value.rule == "last_step"


def test_sending_back_needs_a_reason(world, staff, processing, clock):
    clock(vn(2026, 12, 1, 10, 0))
    processing = workflow.forward(actor=staff.head_a, dossier=processing)
    with pytest.raises(DomainError) as refused:
        workflow.send_back(actor=staff.head_a, dossier=processing, reason="  ")
    assert (refused.value.rule, refused.value.field) == ("required", "reason")


def test_a_result_that_is_not_a_pdf_is_refused_and_nothing_is_stored(world, staff, processing):
    fake = Upload(title="Kết quả", file_name="ket-qua.pdf", data=b"MZ\x90\x00 this is an executable")
    with pytest.raises(DomainError) as refused:
        workflow.attach_result(actor=world.specialist_a, dossier=processing, result=fake)
    assert (refused.value.rule, refused.value.field) == ("file_type", "result[0].content_base64")
    truncated = Upload(title="Kết quả", file_name="ket-qua.pdf", data=pdf_bytes()[:-20])
    with pytest.raises(DomainError) as broken:
        workflow.attach_result(actor=world.specialist_a, dossier=processing, result=truncated)
    assert broken.value.rule == "pdf_structure"
    assert not DossierFile.objects.filter(dossier=processing).exists()
    _unchanged(processing)


def test_the_same_file_twice_is_stored_once(world, staff, clock):
    clock(vn(2026, 12, 1, 9, 0))
    dossier = services.receive_dossier(
        actor=world.officer_a,
        procedure_code=P_LINKED,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
        components=[pdf_upload("Tờ khai"), pdf_upload("Bản sao tờ khai", "ban-sao.pdf")],
    )
    rows = list(dossier.files.all())
    assert len(rows) == 2 and rows[0].storage_name == rows[1].storage_name
    assert rows[0].content_type == "application/pdf"


def test_one_bad_component_stores_no_dossier_at_all(world, staff, clock):
    clock(vn(2026, 12, 1, 9, 0))
    before = Dossier.objects.count()
    with pytest.raises(DomainError) as refused:
        services.receive_dossier(
            actor=world.officer_a,
            procedure_code=P_LINKED,
            agency=world.a,
            applicant=applicant(),
            channel="desk",
            components=[pdf_upload(), Upload("Ảnh", "anh.png", b"not really a png")],
        )
    assert refused.value.field == "components[1].content_base64"
    assert Dossier.objects.count() == before


def test_fees_paid_at_the_desk_cannot_exceed_what_is_due(world, staff, clock):
    clock(vn(2026, 12, 1, 9, 0))
    with pytest.raises(DomainError) as refused:
        services.receive_dossier(
            actor=world.officer_a,
            procedure_code=P_LINKED,
            agency=world.a,
            applicant=applicant(),
            channel="desk",
            fee_due=10_000,
            fee_paid=20_000,
        )
    assert (refused.value.rule, refused.value.field) == ("not_above_due", "fee_paid")


def test_paying_twice_counts_once(world, staff, processing, clock):
    clock(vn(2026, 12, 1, 10, 0))
    fees.request_payment(actor=world.specialist_a, dossier=processing, amount=30_000, reason="Lệ phí")
    clock(vn(2026, 12, 1, 11, 0))
    paid = fees.record_payment(actor=world.officer_a, dossier=processing, amount=30_000)
    with pytest.raises(Conflict) as second:
        fees.record_payment(actor=world.officer_a, dossier=processing, amount=30_000)
    assert (second.value.rule, second.value.field) == ("status", "national_status")
    assert Dossier.objects.get(pk=paid.pk).fee_paid == 30_000


def test_a_payment_that_does_not_settle_the_debt_is_refused(world, staff, processing, clock):
    clock(vn(2026, 12, 1, 10, 0))
    waiting = fees.request_payment(
        actor=world.specialist_a, dossier=processing, amount=30_000, reason="Lệ phí"
    )
    for amount, rule in ((10_000, "amount_mismatch"), (0, "positive"), (True, "integer")):
        with pytest.raises(DomainError) as refused:
            fees.record_payment(actor=world.officer_a, dossier=waiting, amount=amount)
        assert (refused.value.rule, refused.value.field) == (rule, "amount")
    assert Dossier.objects.get(pk=waiting.pk).national_status == S.AWAITING_PAYMENT


def test_an_apology_must_promise_a_later_date_and_needs_a_leader(world, staff, processing, clock):
    clock(vn(2026, 12, 1, 10, 0))
    with pytest.raises(DomainError) as earlier:
        apology.draft_apology(
            actor=staff.head_a,
            dossier=processing,
            reason="Chậm",
            new_due_at=processing.due_at - timedelta(hours=1),
        )
    assert (earlier.value.rule, earlier.value.field) == ("after_current_due", "new_due_at")
    apology.draft_apology(
        actor=staff.head_a,
        dossier=processing,
        reason="Chậm",
        new_due_at=processing.due_at + timedelta(days=2),
    )
    with pytest.raises(Conflict):
        apology.draft_apology(
            actor=staff.head_a,
            dossier=processing,
            reason="Lần hai",
            new_due_at=processing.due_at + timedelta(days=3),
        )
    with pytest.raises(PermissionDenied):
        apology.decide_apology(actor=staff.head_a, dossier=processing, approve=True)
    with pytest.raises(DomainError) as no_reason:
        apology.decide_apology(actor=staff.leader_a, dossier=processing, approve=False)
    assert no_reason.value.field == "reason"
    clock(vn(2026, 12, 1, 11, 0))
    turned_down = apology.decide_apology(
        actor=staff.leader_a, dossier=processing, approve=False, note="Đề nghị làm nhanh"
    )
    assert turned_down.status == "rejected"
    assert Dossier.objects.get(pk=processing.pk).rescheduled_due_at is None


def test_a_dossier_cannot_go_to_an_agency_outside_the_procedure(world, staff, processing):
    from lienthong.directory import services as directory

    outsider = directory.create_agency(
        actor=None,
        code="000.00.09.H56",
        name="Sở Y tế",
        short_name="SYT",
        tier="province",
        parent=world.province,
    )
    with pytest.raises(DomainError) as refused:
        workflow.hand_over(actor=world.specialist_a, dossier=processing, to_agency=outsider)
    assert (refused.value.rule, refused.value.field) == ("agency_not_implementing", "to_agency")
    with pytest.raises(DomainError) as same:
        workflow.hand_over(actor=world.specialist_a, dossier=processing, to_agency=world.a)
    assert same.value.rule == "same_agency"


def test_after_a_hand_over_the_first_agency_can_no_longer_process(world, staff, processing, clock):
    clock(vn(2026, 12, 1, 10, 0))
    moved = workflow.hand_over(actor=world.specialist_a, dossier=processing, to_agency=world.b)
    with pytest.raises(PermissionDenied):
        actions.finish(actor=world.specialist_a, dossier=moved)
    clock(vn(2026, 12, 1, 11, 0))
    assert actions.finish(actor=staff.specialist_b, dossier=moved).national_status == S.FINISHED


def test_a_stale_version_is_refused_by_every_workflow_action(world, staff, processing, clock):
    stale = processing.version - 1
    for call in (
        lambda: workflow.forward(actor=staff.head_a, dossier=processing, expected_version=stale),
        lambda: workflow.assign(
            actor=staff.head_a, dossier=processing, assignee=staff.specialist_a, expected_version=stale
        ),
        lambda: fees.request_payment(
            actor=staff.head_a, dossier=processing, amount=1, reason="x", expected_version=stale
        ),
    ):
        with pytest.raises(Conflict) as refused:
            call()
        assert refused.value.rule == "stale_version"
