"""The incoming documents' pages and the work files through Django's test client: the clerk registers a scan,
the signature check shows on the page, the leader assigns, handlers note and complete; refusals are messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lienthong.directory.models import Person
from lienthong.documents import services
from lienthong.documents.models import (
    HandlingAssignment,
    IncomingDocument,
    IncomingStatus,
    RetentionPeriod,
    WorkFile,
)
from lienthong.documents.services import RecipientInput
from lienthong.worktime.services import seed_calendar

from .world import CODE_B, SECRET, SIGNATURE_PNG, World, tiny_pdf, today

pytestmark = pytest.mark.django_db


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _scan_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": world.b.pk,
        "pdf": SimpleUploadedFile("ban-quet.pdf", tiny_pdf("Ban quet"), content_type="application/pdf"),
        "issuer_code": "000.00.00.H56",
        "issuer_name": "Ủy ban nhân dân tỉnh Thanh Lâm",
        "number_notation": "15/UBND-VX",
        "document_date": today().isoformat(),
        "subject": "Về việc tăng cường cải cách hành chính",
        "urgency": "normal",
        "secrecy": "none",
    }
    data.update(overrides)
    return data


def _received(world: World) -> IncomingDocument:
    """A letter department A issued to ward B: B receives it at once, with both signatures checked."""
    seed_calendar([today().year, today().year + 1])
    letter = services.create_draft(
        actor=world.a_specialist,
        agency=world.a,
        content=world.content(document_type="CV", recipients=[RecipientInput(CODE_B)]),
    )
    services.submit_draft(actor=world.a_specialist, document=letter, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=letter, decision="approve")
    services.sign_document(actor=world.a_director, document=letter, secret=SECRET)
    services.issue_document(actor=world.a_clerk, document=letter, secret=SECRET)
    return IncomingDocument.objects.get(agency=world.b, outgoing=letter)


def test_the_clerk_registers_a_scan_without_a_signature(world: World) -> None:
    client = _client(world.b_clerk)
    assert client.get(reverse("documents:register_incoming")).status_code == 200
    answer = client.post(reverse("documents:register_incoming"), _scan_data(world))
    document = IncomingDocument.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("documents:incoming", args=[document.pk])
    page = client.get(answer["Location"]).content.decode()
    assert "Văn bản đến số 01" in page
    assert "Không có chữ ký số" in page
    assert "15/UBND-VX" in page


def test_an_image_is_refused_with_a_request_for_a_pdf(world: World) -> None:
    upload = SimpleUploadedFile("anh.png", SIGNATURE_PNG, content_type="image/png")
    answer = _client(world.b_clerk).post(
        reverse("documents:register_incoming"), _scan_data(world, pdf=upload)
    )
    assert answer.status_code == 400
    assert "Tệp văn bản (PDF, kể cả bản quét):" in answer.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_a_duplicate_asks_for_confirmation_then_registers_the_other_copy(world: World) -> None:
    client = _client(world.b_clerk)
    client.post(reverse("documents:register_incoming"), _scan_data(world))
    again = client.post(reverse("documents:register_incoming"), _scan_data(world))
    assert again.status_code == 409
    assert "đã vào sổ đến số 01" in again.content.decode()
    assert IncomingDocument.objects.count() == 1
    confirmed = client.post(reverse("documents:register_incoming"), _scan_data(world, confirm_duplicate="on"))
    assert confirmed.status_code == 302
    copy = IncomingDocument.objects.get(arrival_number=2)
    assert copy.duplicate_of is not None and copy.duplicate_of.arrival_number == 1


def test_a_specialist_cannot_register_incoming(world: World) -> None:
    answer = _client(world.b_specialist).get(reverse("documents:register_incoming"))
    assert answer.status_code == 403
    assert "Chỉ văn thư được vào sổ văn bản đến." in answer.content.decode()


def test_the_leader_sees_the_signatures_and_assigns_with_a_working_day_deadline(world: World) -> None:
    document = _received(world)
    leader = _client(world.b_leader)
    queue = leader.get(reverse("documents:home") + "?hang=phan-cong").content.decode()
    assert document.subject in queue
    page = leader.get(reverse("documents:incoming", args=[document.pk])).content.decode()
    assert "Chữ ký hợp lệ, chứng thư tin cậy" in page
    assert page.count('class="chu-ky"') == 2
    assert "Chữ ký 1: Ngô Văn Thắng" in page and "Chữ ký 2: Sở Nội vụ tỉnh Thanh Lâm" in page
    assert 'id="form-assign"' in page

    act = reverse("documents:incoming_act", args=[document.pk])
    both = leader.post(
        act,
        {
            "action": "assign",
            "assign-main": f"p:{world.b_specialist.pk}",
            "assign-due_in_days": "5",
            "assign-due_date": (today() + timedelta(days=3)).isoformat(),
        },
    )
    assert both.status_code == 400
    assert "một trong hai" in both.content.decode()
    answer = leader.post(
        act,
        {
            "action": "assign",
            "assign-main": f"p:{world.b_specialist.pk}",
            "assign-cooperating": [f"u:{world.b_unit.pk}"],
            "assign-due_in_days": "5",
            "assign-note": "Chủ trì tham mưu trả lời.",
        },
    )
    assert answer.status_code == 302
    document.refresh_from_db()
    assert document.status == IncomingStatus.ASSIGNED and document.processing_due is not None
    rows = HandlingAssignment.objects.filter(document=document, is_active=True)
    assert {(r.person_id, r.unit_id, r.role) for r in rows} == {
        (world.b_specialist.pk, None, "main"),
        (None, world.b_unit.pk, "cooperating"),
    }


def test_handlers_note_progress_and_the_main_one_completes(world: World) -> None:
    document = _received(world)
    services.assign_incoming(
        actor=world.b_leader,
        document=document,
        main=world.b_specialist,
        cooperating=[world.b_unit_head],
        due_in_days=3,
    )
    specialist, cooperating = _client(world.b_specialist), _client(world.b_unit_head)
    queue = specialist.get(reverse("documents:home") + "?hang=xu-ly").content.decode()
    assert document.subject in queue and "Trong hạn" in queue
    act = reverse("documents:incoming_act", args=[document.pk])
    answer = cooperating.post(
        act, {"action": "note", "note-kind": "progress", "note-text": "Đã tổng hợp số liệu."}
    )
    assert answer.status_code == 302
    refused = cooperating.post(act, {"action": "complete", "complete-result_note": "Xong."})
    assert refused.status_code == 403
    assert "Chỉ người, đơn vị chủ trì xử lý được hoàn thành văn bản." in refused.content.decode()
    empty = specialist.post(act, {"action": "complete", "complete-result_note": ""})
    assert empty.status_code == 400
    assert "Kết quả xử lý: Kết quả xử lý không được để trống." in empty.content.decode()
    answer = specialist.post(act, {"action": "complete", "complete-result_note": "Đã báo cáo số liệu."})
    assert answer.status_code == 302
    page = specialist.get(answer["Location"]).content.decode()
    assert "Đã hoàn thành" in page and "Đã tổng hợp số liệu." in page and "Đã báo cáo số liệu." in page


def test_a_specialist_cannot_assign(world: World) -> None:
    document = _received(world)
    services.assign_incoming(actor=world.b_leader, document=document, main=world.b_specialist, due_in_days=3)
    answer = _client(world.b_specialist).post(
        reverse("documents:incoming_act", args=[document.pk]),
        {"action": "assign", "assign-main": f"p:{world.b_specialist.pk}", "assign-due_in_days": "2"},
    )
    assert answer.status_code == 403
    assert "Chỉ lãnh đạo của Ủy ban nhân dân phường Đông Lâm được phân công xử lý văn bản đến." in (
        answer.content.decode()
    )


def test_an_incoming_document_of_another_agency_is_404(world: World) -> None:
    document = _received(world)
    stranger = _client(world.a_clerk)
    assert stranger.get(reverse("documents:incoming", args=[document.pk])).status_code == 404
    assert stranger.get(reverse("documents:incoming_file", args=[document.pk])).status_code == 404
    # An officer of B not assigned to it does not see it either.
    assert (
        _client(world.b_unit_head).get(reverse("documents:incoming", args=[document.pk])).status_code == 404
    )


def test_a_work_file_is_opened_and_takes_an_issued_document(world: World) -> None:
    document = _received(world)
    letter = document.outgoing
    assert letter is not None
    client = _client(world.a_specialist)
    retention = RetentionPeriod.objects.filter(years=10).first() or RetentionPeriod.objects.first()
    assert retention is not None
    answer = client.post(
        reverse("documents:work_files"),
        {
            "agency": world.a.pk,
            "year": today().year,
            "code": "CCVC.01",
            "title": "Hồ sơ tập huấn",
            "retention": retention.pk,
        },
    )
    work_file = WorkFile.objects.get()
    assert answer.status_code == 302
    page = client.get(reverse("documents:work_file", args=[work_file.pk])).content.decode()
    assert letter.number_notation in page
    answer = client.post(
        reverse("documents:work_file", args=[work_file.pk]), {"document": f"out:{letter.pk}"}
    )
    assert answer.status_code == 302
    assert work_file.items.get().outgoing == letter
    duplicate = client.post(
        reverse("documents:work_files"),
        {
            "agency": world.a.pk,
            "year": today().year,
            "code": "CCVC.01",
            "title": "Lặp",
            "retention": retention.pk,
        },
    )
    assert duplicate.status_code == 409
    assert "đã có hồ sơ ký hiệu CCVC.01" in duplicate.content.decode()
    listing = client.get(reverse("documents:work_files")).content.decode()
    assert "Hồ sơ tập huấn" in listing


def test_a_document_put_in_a_work_file_by_mistake_is_taken_out_and_stays_where_it_was(world: World) -> None:
    document = _received(world)
    letter = document.outgoing
    assert letter is not None
    client = _client(world.a_specialist)
    retention = RetentionPeriod.objects.first()
    assert retention is not None
    client.post(
        reverse("documents:work_files"),
        {
            "agency": world.a.pk,
            "year": today().year,
            "code": "CCVC.02",
            "title": "Nhầm",
            "retention": retention.pk,
        },
    )
    work_file = WorkFile.objects.get()
    client.post(reverse("documents:work_file", args=[work_file.pk]), {"document": f"out:{letter.pk}"})
    item = work_file.items.get()

    stranger = _client(world.b_clerk).post(
        reverse("documents:work_file_remove", args=[work_file.pk, item.pk])
    )
    answer = client.post(reverse("documents:work_file_remove", args=[work_file.pk, item.pk]))

    assert stranger.status_code == 404
    assert answer.status_code == 302
    assert not work_file.items.exists()
    assert type(letter).objects.filter(pk=letter.pk).exists()
