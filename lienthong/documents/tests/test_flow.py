"""The whole outgoing flow in services, with real signatures: draft, review, the leader signs, the clerk issues,
the ward receives it at once, its leader assigns it, the handler completes it with a reply."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from lienthong.audit.models import AuditEntry
from lienthong.documents import selectors, services
from lienthong.documents.models import (
    IncomingDocument,
    IncomingSource,
    IncomingStatus,
    OutboundDelivery,
    OutgoingStatus,
    QueueStatus,
    SignatureStatus,
    StepDecision,
)
from lienthong.documents.services import RecipientInput
from lienthong.signing.validation import validate_pdf

from .world import CODE_B, OUTSIDE, SECRET, World, today


def _issue(world: World, **overrides: object):
    document = services.create_draft(
        actor=world.a_specialist, agency=world.a, content=world.content(**overrides)
    )
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve")
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    return services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)


def test_a_decision_goes_from_draft_to_the_ward_with_both_signatures_and_its_number(world: World) -> None:
    document = services.create_draft(
        actor=world.a_specialist,
        agency=world.a,
        content=world.content(
            recipients=[RecipientInput(CODE_B), RecipientInput(OUTSIDE, "Văn phòng Chính phủ")]
        ),
    )
    assert document.status == OutgoingStatus.DRAFT and document.number is None
    assert document.pdf_source == "rendered" and set(document.layout) == {
        "so_ky_hieu",
        "ngay_ban_hanh",
        "signer",
    }

    step = services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    assert step.stage == "review"
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve", note="Đồng ý")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.AWAITING_SIGNATURE

    signed = services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    assert signed.status == OutgoingStatus.SIGNED and signed.number is None
    assert signed.personal_signed_at is not None and len(signed.personal_certificate_sha256) == 64
    assert signed.steps.get(stage="signature").decision == StepDecision.SIGNED

    issued = services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    assert issued.status == OutgoingStatus.ISSUED
    assert issued.number == 1 and issued.notation == "QĐ-SNV"
    assert issued.number_notation == "01/QĐ-SNV"
    assert issued.identifier == f"{world.a.code},{today():%Y/%m/%d},01/QĐ-SNV"

    pdf = selectors.file_of(issued)
    report = validate_pdf(pdf)
    assert len(report.signatures) == 2
    personal, agency = report.signatures
    assert personal.certificate_sha256 == issued.personal_certificate_sha256
    assert personal.intact and personal.valid and personal.trusted
    assert personal.changes_after in {"signatures", "form_filling"}
    assert agency.intact and agency.valid and agency.trusted and agency.covers_whole_file
    assert report.all_valid_and_trusted

    incoming = IncomingDocument.objects.get(agency=world.b)
    assert incoming.source == IncomingSource.PLATFORM and incoming.arrival_number == 1
    assert incoming.number_notation == "01/QĐ-SNV" and incoming.outgoing == issued
    assert incoming.signature_status == SignatureStatus.VALID_TRUSTED
    assert len(incoming.signature_report["signatures"]) == 2
    assert selectors.file_of(incoming) == pdf

    waiting = OutboundDelivery.objects.get()
    assert waiting.recipient.agency_code == OUTSIDE and waiting.status == QueueStatus.WAITING
    states = {r.agency_code: selectors.recipient_state(r)[0] for r in issued.recipients.all()}
    assert states == {CODE_B: "delivered", OUTSIDE: "waiting"}

    actions = list(
        AuditEntry.objects.filter(action__startswith="documents.").values_list("action", flat=True)
    )
    assert actions == [
        "documents.outgoing.create",
        "documents.outgoing.submit",
        "documents.outgoing.review",
        "documents.outgoing.sign",
        "documents.incoming.register",
        "documents.outgoing.issue",
    ]


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="needs poppler's pdfsig")
def test_poppler_sees_two_signatures_on_the_issued_document(world: World, tmp_path) -> None:
    issued = _issue(world)
    path = tmp_path / "issued.pdf"
    path.write_bytes(selectors.file_of(issued))
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature #2" in done.stdout
    assert done.stdout.count("Signature Validation: Signature is Valid.") == 2


def test_the_number_and_date_are_printed_in_their_places(world: World) -> None:
    issued = _issue(world)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=selectors.file_of(issued), capture_output=True, check=True
    ).stdout.decode()
    assert "Số: 01/QĐ-SNV" in text
    day = today()
    assert f"Thanh Lâm, ngày {day.day:02d} tháng" in text


def test_the_ward_leader_assigns_and_the_handler_completes_with_a_reply(world: World) -> None:
    _issue(world)
    incoming = IncomingDocument.objects.get(agency=world.b)
    services.assign_incoming(
        actor=world.b_leader,
        document=incoming,
        main=world.b_specialist,
        cooperating=[world.b_unit],
        due_in_days=3,
        note="Đề nghị tham mưu trả lời",
    )
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.ASSIGNED and incoming.processing_due is not None
    assert selectors.processing_timeliness(incoming) == "within_time"
    services.add_note(
        actor=world.b_specialist, document=incoming, text="Đang tổng hợp danh sách", kind="progress"
    )

    reply = services.create_draft(
        actor=world.b_specialist,
        agency=world.b,
        content=world.content(
            document_type="CV",
            subject="Trả lời về việc cử cán bộ dự tập huấn",
            signer=world.b_leader,
            recipients=[RecipientInput(world.a.code)],
            reply_to=incoming,
        ),
    )
    services.submit_draft(actor=world.b_specialist, document=reply, reviewer=world.b_unit_head)
    services.review_draft(actor=world.b_unit_head, document=reply, decision="approve")
    services.sign_document(actor=world.b_leader, document=reply, secret=SECRET)
    issued = services.issue_document(actor=world.b_clerk, document=reply, secret=SECRET)
    assert issued.notation == "UBND-KT"  # a letter: agency + drafting unit, no type abbreviation

    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.COMPLETED
    assert incoming.completed_by_reply == issued
    assert selectors.processing_timeliness(incoming) == "on_time"
    back = IncomingDocument.objects.get(agency=world.a)
    assert back.number_notation == "01/UBND-KT"
