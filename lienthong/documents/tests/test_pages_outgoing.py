"""The outgoing documents' pages through Django's test client: drafting, review, the leader's signature, the
clerk's issue, and every refusal shown as a Vietnamese message on the page (never a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lienthong.directory.models import Person
from lienthong.documents import services
from lienthong.documents.models import IncomingDocument, OutgoingDocument, OutgoingStatus
from lienthong.documents.services import RecipientInput

from .world import CODE_B, OUTSIDE, SECRET, World, tiny_pdf, today

pytestmark = pytest.mark.django_db


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _draft_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": world.a.pk,
        "document_type": "QĐ",
        "subject": "Về việc cử cán bộ dự tập huấn chuyển đổi số",
        "body": "Điều 1. Cử ông Nguyễn Văn A dự tập huấn.\nĐiều 2. Quyết định có hiệu lực từ ngày ký.",
        "signer": world.a_director.pk,
        "platform_recipients": [CODE_B],
        "outside_recipients": f"{OUTSIDE} Văn phòng Chính phủ",
        "urgency": "normal",
        "secrecy": "none",
    }
    data.update(overrides)
    return data


def _signed(world: World) -> OutgoingDocument:
    """A decision drafted, reviewed and signed through the services, waiting for the clerk."""
    document = services.create_draft(
        actor=world.a_specialist,
        agency=world.a,
        content=world.content(
            recipients=[RecipientInput(CODE_B), RecipientInput(OUTSIDE, "Văn phòng Chính phủ")]
        ),
    )
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve")
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    document.refresh_from_db()
    return document


def test_the_documents_link_shows_only_for_people_with_a_documents_role(world: World) -> None:
    page = _client(world.a_specialist).get(reverse("home"))
    assert reverse("documents:home") in page.content.decode()
    outsider = Person.objects.create_user(username="khach", full_name="Người ngoài")
    page = _client(outsider).get(reverse("home"))
    assert reverse("documents:home") not in page.content.decode()


def test_a_specialist_drafts_with_recipients_on_and_off_the_platform(world: World) -> None:
    client = _client(world.a_specialist)
    form = client.get(reverse("documents:draft"))
    assert form.status_code == 200
    assert "Nơi nhận ngoài hệ thống" in form.content.decode()

    answer = client.post(reverse("documents:draft"), _draft_data(world))
    document = OutgoingDocument.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("documents:outgoing", args=[document.pk])
    assert document.drafter == world.a_specialist
    assert {(r.agency_code, r.is_external) for r in document.recipients.all()} == {
        (CODE_B, False),
        (OUTSIDE, True),
    }
    page = client.get(answer["Location"]).content.decode()
    assert "Về việc cử cán bộ dự tập huấn" in page
    assert "Chưa phát hành" in page
    assert 'id="form-submit"' in page
    home = client.get(reverse("documents:home") + "?hang=du-thao").content.decode()
    assert "Dự thảo của tôi" in home and document.subject in home


def test_a_bad_outside_code_is_shown_on_the_recipients_field_and_nothing_is_saved(world: World) -> None:
    answer = _client(world.a_specialist).post(
        reverse("documents:draft"), _draft_data(world, outside_recipients="12345 Cơ quan lạ")
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Nơi nhận ngoài hệ thống (gửi qua trục liên thông): Mã định danh “12345” sai định dạng" in page
    assert OutgoingDocument.objects.count() == 0


def test_a_secret_document_cannot_go_over_the_exchange(world: World) -> None:
    answer = _client(world.a_specialist).post(
        reverse("documents:draft"), _draft_data(world, secrecy="confidential")
    )
    assert answer.status_code == 400
    assert "Văn bản mật không được gửi qua trục liên thông" in answer.content.decode()
    assert OutgoingDocument.objects.count() == 0


def test_an_uploaded_image_instead_of_a_pdf_is_refused_on_the_file_field(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .world import SIGNATURE_PNG

    upload = SimpleUploadedFile("van-ban.pdf", SIGNATURE_PNG, content_type="application/pdf")
    answer = _client(world.a_specialist).post(
        reverse("documents:draft"), {**_draft_data(world), "pdf": upload}
    )
    assert answer.status_code == 400
    assert "Hoặc tải lên tệp PDF:" in answer.content.decode()
    assert OutgoingDocument.objects.count() == 0


def test_review_sign_and_issue_through_the_pages(world: World) -> None:
    specialist, head = _client(world.a_specialist), _client(world.a_unit_head)
    director, clerk = _client(world.a_director), _client(world.a_clerk)
    specialist.post(reverse("documents:draft"), _draft_data(world))
    document = OutgoingDocument.objects.get()
    act = reverse("documents:outgoing_act", args=[document.pk])

    answer = specialist.post(act, {"action": "submit", "version": 1, "reviewer": world.a_unit_head.pk})
    assert answer.status_code == 302
    queue = head.get(reverse("documents:home") + "?hang=tham-dinh").content.decode()
    assert document.subject in queue

    # Returning without a note is refused on the note field.
    answer = head.post(act, {"action": "review", "version": 1, "decision": "return", "note": ""})
    assert answer.status_code == 400
    assert "Ý kiến: Ý kiến không được để trống." in answer.content.decode()
    answer = head.post(act, {"action": "review", "version": 1, "decision": "approve", "note": "Được."})
    assert answer.status_code == 302

    # The specialist cannot sign; the clerk cannot issue before the leader signed.
    refused = specialist.post(act, {"action": "sign", "version": 1, "secret": SECRET})
    assert refused.status_code == 403
    assert "Chỉ người ký được chỉ định (Ngô Văn Thắng) được ký văn bản này." in refused.content.decode()
    refused = clerk.post(act, {"action": "issue", "version": 1, "secret": SECRET})
    assert refused.status_code == 409
    assert (
        "Lãnh đạo chưa ký văn bản: chỉ cấp số sau khi người có thẩm quyền ký số." in refused.content.decode()
    )

    sign_page = director.get(reverse("documents:sign", args=[document.pk]))
    assert sign_page.status_code == 200
    assert 'id="form-sign"' in sign_page.content.decode()
    wrong = director.post(act, {"action": "sign", "version": 1, "secret": "sai", "page": "ky"})
    assert wrong.status_code == 400
    assert "Mật khẩu khóa ký số hoặc mã PIN:" in wrong.content.decode()
    assert 'class="sign-page"' in wrong.content.decode()
    answer = director.post(act, {"action": "sign", "version": 1, "secret": SECRET, "page": "ky"})
    assert answer.status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED and document.number is None

    queue = clerk.get(reverse("documents:home") + "?hang=phat-hanh").content.decode()
    assert document.subject in queue
    answer = clerk.post(act, {"action": "issue", "version": 1, "secret": SECRET})
    assert answer.status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingStatus.ISSUED
    page = clerk.get(answer["Location"]).content.decode()
    assert document.number_notation in page
    assert "Đã chuyển trên hệ thống" in page
    assert "Đang chờ gửi qua trục liên thông" in page
    assert "Đã gửi" not in page
    pdf = clerk.get(reverse("documents:outgoing_file", args=[document.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_clerk_cannot_issue_twice(world: World) -> None:
    document = _signed(world)
    clerk = _client(world.a_clerk)
    act = reverse("documents:outgoing_act", args=[document.pk])
    assert clerk.post(act, {"action": "issue", "version": 1, "secret": SECRET}).status_code == 302
    again = clerk.post(act, {"action": "issue", "version": 1, "secret": SECRET})
    assert again.status_code == 409
    assert "Văn bản đã được phát hành" in again.content.decode()


def test_a_wrong_agency_secret_at_issue_keeps_the_number_free(world: World) -> None:
    document = _signed(world)
    answer = _client(world.a_clerk).post(
        reverse("documents:outgoing_act", args=[document.pk]),
        {"action": "issue", "version": 1, "secret": "x"},
    )
    assert answer.status_code == 400
    assert "Mật khẩu khóa ký số hoặc mã PIN:" in answer.content.decode()
    document.refresh_from_db()
    assert document.number is None and document.status == OutgoingStatus.SIGNED


def test_the_signing_page_offers_nothing_to_someone_else(world: World) -> None:
    document = _signed(world)
    page = _client(world.a_deputy).get(reverse("documents:sign", args=[document.pk]))
    assert page.status_code == 200
    assert "Văn bản này không chờ bạn ký." in page.content.decode()


def test_someone_from_another_agency_gets_404(world: World) -> None:
    document = _signed(world)
    stranger = _client(world.b_specialist)
    for name in ("documents:outgoing", "documents:sign", "documents:outgoing_file"):
        assert stranger.get(reverse(name, args=[document.pk])).status_code == 404
    answer = stranger.post(
        reverse("documents:outgoing_act", args=[document.pk]),
        {"action": "issue", "version": 1, "secret": SECRET},
    )
    assert answer.status_code == 404


def test_the_drafter_edits_a_returned_draft(world: World) -> None:
    client = _client(world.a_specialist)
    client.post(reverse("documents:draft"), _draft_data(world))
    document = OutgoingDocument.objects.get()
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(
        actor=world.a_unit_head, document=document, decision="return", note="Sửa trích yếu."
    )
    page = client.get(reverse("documents:outgoing", args=[document.pk])).content.decode()
    assert "Sửa trích yếu." in page
    edit = reverse("documents:draft_edit", args=[document.pk])
    form = client.get(edit).content.decode()
    assert "Văn phòng Chính phủ" in form
    answer = client.post(edit, _draft_data(world, subject="Về việc cử công chức dự tập huấn", version=1))
    assert answer.status_code == 302
    document.refresh_from_db()
    assert document.version == 2 and document.subject == "Về việc cử công chức dự tập huấn"
    stale = client.post(edit, _draft_data(world, version=1))
    assert stale.status_code == 409
    assert "hãy tải lại" in stale.content.decode()


def test_a_reply_drafted_from_an_incoming_document_is_linked_to_it(world: World) -> None:
    received = services.register_incoming(
        actor=world.a_clerk,
        agency=world.a,
        content=services.IncomingContent(
            issuer_name="Ủy ban nhân dân phường Đông Lâm",
            issuer_code=CODE_B,
            number_notation="07/UBND-KT",
            document_date=today(),
            subject="Đề nghị hướng dẫn tuyển dụng công chức",
            pdf=tiny_pdf("Ban quet"),
        ),
    )
    client = _client(world.a_specialist)
    services.assign_incoming(
        actor=world.a_director, document=received, main=world.a_specialist, due_in_days=5
    )
    detail = client.get(reverse("documents:incoming", args=[received.pk])).content.decode()
    assert f"{reverse('documents:draft')}?tra-loi={received.pk}" in detail
    form = client.get(reverse("documents:draft") + f"?tra-loi={received.pk}").content.decode()
    assert "Trả lời văn bản đến số 01 (07/UBND-KT)" in form
    answer = client.post(
        reverse("documents:draft"),
        _draft_data(world, reply_to=received.pk, completes_reply="on", outside_recipients=""),
    )
    assert answer.status_code == 302
    reply = OutgoingDocument.objects.get()
    assert reply.reply_to == received
    assert IncomingDocument.objects.get(pk=received.pk).replies.get() == reply


def test_a_specialist_must_name_a_reviewer(world: World) -> None:
    client = _client(world.a_specialist)
    client.post(reverse("documents:draft"), _draft_data(world))
    document = OutgoingDocument.objects.get()
    answer = client.post(
        reverse("documents:outgoing_act", args=[document.pk]), {"action": "submit", "version": 1}
    )
    assert answer.status_code == 400
    assert "Người thẩm định: Cần chọn trưởng đơn vị thẩm định dự thảo trước khi trình ký." in (
        answer.content.decode()
    )
    document.refresh_from_db()
    assert document.status == OutgoingStatus.DRAFT


def test_a_unit_head_submits_straight_to_the_signer_who_returns_it_from_the_signing_page(
    world: World,
) -> None:
    head, director = _client(world.a_unit_head), _client(world.a_director)
    head.post(reverse("documents:draft"), _draft_data(world))
    document = OutgoingDocument.objects.get()
    act = reverse("documents:outgoing_act", args=[document.pk])
    assert head.post(act, {"action": "submit", "version": 1, "reviewer": ""}).status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingStatus.AWAITING_SIGNATURE
    sign_page = director.get(reverse("documents:sign", args=[document.pk])).content.decode()
    assert 'id="form-review"' in sign_page and "Trả lại" in sign_page
    empty = director.post(
        act, {"action": "review", "version": 1, "decision": "return", "note": "", "page": "ky"}
    )
    assert empty.status_code == 400 and 'class="sign-page"' in empty.content.decode()
    answer = director.post(
        act, {"action": "review", "version": 1, "decision": "return", "note": "Bổ sung căn cứ.", "page": "ky"}
    )
    assert answer.status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingStatus.RETURNED
    assert "Bổ sung căn cứ." in head.get(reverse("documents:outgoing", args=[document.pk])).content.decode()


def test_the_file_previews_downloads_and_a_damaged_copy_is_a_410_page(world: World) -> None:
    client = _client(world.a_specialist)
    client.post(reverse("documents:draft"), _draft_data(world))
    document = OutgoingDocument.objects.get()
    url = reverse("documents:outgoing_file", args=[document.pk])
    assert client.get(url)["Content-Disposition"].startswith("inline")
    assert client.get(url + "?tai=1")["Content-Disposition"].startswith("attachment")
    OutgoingDocument.objects.filter(pk=document.pk).update(draft_sha256="0" * 64)
    damaged = client.get(url)
    assert damaged.status_code == 410
    assert "Tệp lưu trữ đã bị thay đổi so với khi tải lên." in damaged.content.decode()
