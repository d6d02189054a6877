"""The desk intake page: a one-stop officer records a dossier handed in at the desk, with its files, and gets
the receipt; bad input comes back with every field named and nothing stored."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lienthong.core.files import storage_name_for
from lienthong.directory.models import Person
from lienthong.onestop.files import read_file
from lienthong.onestop.models import Channel, Dossier, DossierFile, FileKind, NationalStatus
from lienthong.worktime.services import seed_calendar

from .helpers import P_CANCELLED, P_HOURS, P_ONLY_B, P_WORKING_DAYS, World, vn

Clock = Callable[[datetime], None]
PREFIX = "thanh-phan"


def pdf_bytes() -> bytes:
    """A small PDF with a structure the content check accepts, different on every call."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + uuid.uuid4().hex.encode() + b"\n"
        b"trailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    )


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + uuid.uuid4().bytes * 4


def stored(data: bytes) -> bool:
    return default_storage.exists(storage_name_for(hashlib.sha256(data).hexdigest()))


@pytest.fixture
def desk(world: World, clock: Clock) -> Client:
    seed_calendar([2026, 2027])
    clock(vn(2026, 8, 20, 9))  # Thursday, working hours
    client = Client()
    client.force_login(world.officer_a)
    return client


def _post(world: World, files: list[tuple[str, str, bytes]], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": str(world.a.pk),
        "procedure": P_WORKING_DAYS,
        "channel": Channel.DESK,
        "applicant_kind": "person",
        "applicant_name": "Đỗ Văn Minh",
        "applicant_id_number": "038095001234",
        "applicant_date_of_birth": "1995-03-14",
        "applicant_address": "Số 5 đường Lê Lợi, phường Hạc Thành",
        "applicant_phone": "0912345678",
        "applicant_email": "minh@example.vn",
        "fee_paid": "0",
        f"{PREFIX}-TOTAL_FORMS": str(max(len(files), 3)),
        f"{PREFIX}-INITIAL_FORMS": "0",
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "30",
    }
    for index, (title, name, content) in enumerate(files):
        data[f"{PREFIX}-{index}-title"] = title
        data[f"{PREFIX}-{index}-file"] = SimpleUploadedFile(name, content)
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_intake_page_offers_only_the_procedures_the_officers_agency_implements(
    world: World, desk: Client
) -> None:
    response = desk.get(reverse("onestop:intake"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{P_WORKING_DAYS}"' in html and f'value="{P_HOURS}"' in html
    assert f'value="{P_ONLY_B}"' not in html and f'value="{P_CANCELLED}"' not in html
    assert "Sở Tư pháp" in html and "Sở Xây dựng" not in html
    for label in ("Họ và tên / tên tổ chức", "Số định danh cá nhân / mã số thuế", "Tệp giấy tờ 1"):
        assert label in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.django_db
def test_the_queue_page_links_to_intake_for_the_desk_only(world: World, desk: Client) -> None:
    intake = reverse("onestop:intake")
    assert intake in desk.get(reverse("onestop:queues")).content.decode()
    specialist = Client()
    specialist.force_login(world.specialist_a)
    assert intake not in specialist.get(reverse("onestop:queues")).content.decode()
    response = specialist.get(intake)
    assert response.status_code == 403
    assert "Chỉ cán bộ một cửa mới được tiếp nhận hồ sơ trực tiếp." in response.content.decode()


@pytest.mark.django_db
def test_intake_stores_the_dossier_and_its_files_and_offers_the_receipt(world: World, desk: Client) -> None:
    form, photo = pdf_bytes(), png_bytes()
    response = desk.post(
        reverse("onestop:intake"),
        _post(
            world,
            [
                ("Tờ khai đăng ký khai sinh", "Tờ khai.pdf", form),
                ("Giấy chứng sinh", "chung-sinh.png", photo),
            ],
        ),
        follow=True,
    )
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == reverse("onestop:detail", args=[dossier.code])
    assert dossier.national_status == NationalStatus.ACCEPTED
    assert dossier.channel == Channel.DESK and dossier.agency == world.a
    assert dossier.applicant_name == "Đỗ Văn Minh" and str(dossier.applicant_date_of_birth) == "1995-03-14"
    assert dossier.due_at is not None
    html = response.content.decode()
    due = dossier.due_at.astimezone(vn(2026, 1, 1).tzinfo)
    assert f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả: {due:%H:%M %d/%m/%Y}." in html
    assert reverse("onestop:slip_pdf", args=[dossier.code, "01"]) in html
    assert "In giấy tiếp nhận và hẹn trả kết quả (mẫu 01)" in html

    files = list(DossierFile.objects.filter(dossier=dossier).order_by("id"))
    assert [(f.kind, f.title, f.file_name, f.content_type) for f in files] == [
        (FileKind.COMPONENT, "Tờ khai đăng ký khai sinh", "Tờ khai.pdf", "application/pdf"),
        (FileKind.COMPONENT, "Giấy chứng sinh", "chung-sinh.png", "image/png"),
    ]
    assert read_file(files[0]) == form and read_file(files[1]) == photo
    assert "Tờ khai đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    download = desk.get(reverse("onestop:file", args=[dossier.code, files[0].pk]))
    assert download.status_code == 200 and download.content == form


@pytest.mark.django_db
def test_a_file_that_is_not_a_pdf_is_refused_naming_the_field_and_nothing_is_stored(
    world: World, desk: Client
) -> None:
    good, fake = pdf_bytes(), b"MZ\x90\x00 this is an executable, not a PDF " + uuid.uuid4().bytes
    response = desk.post(
        reverse("onestop:intake"),
        _post(
            world,
            [("Tờ khai", "to-khai.pdf", good), ("Giấy chứng sinh", "chung-sinh.pdf", fake)],
            applicant_id_number="12345",
            applicant_email="khong-phai-email",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hồ sơ chưa được tiếp nhận" in html
    # Every mistake at once, each naming its field.
    assert "Tệp giấy tờ 2: Nội dung tệp không phải PDF, ảnh PNG/JPEG, DOCX, XLSX hay XML." in html
    assert f'href="#id_{PREFIX}-1-file"' in html
    assert "Số định danh cá nhân / mã số thuế: Số định danh cá nhân phải gồm đúng 12 chữ số." in html
    assert "Thư điện tử:" in html
    assert "hãy chọn lại các tệp" in html
    assert 'value="Giấy chứng sinh"' in html  # what was typed stays
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    assert not stored(good) and not stored(fake)


@pytest.mark.django_db
def test_a_broken_pdf_is_refused_and_nothing_is_stored(world: World, desk: Client) -> None:
    broken = b"%PDF-1.7\n" + uuid.uuid4().bytes + b" truncated"
    response = desk.post(reverse("onestop:intake"), _post(world, [("Tờ khai", "to-khai.pdf", broken)]))
    assert response.status_code == 400
    assert "Tệp giấy tờ 1: Tệp PDF bị hỏng hoặc không đầy đủ." in response.content.decode()
    assert not Dossier.objects.exists() and not stored(broken)


@pytest.mark.django_db
def test_a_refusal_of_the_service_is_shown_on_its_field_and_nothing_is_stored(
    world: World, desk: Client
) -> None:
    good = pdf_bytes()
    response = desk.post(
        reverse("onestop:intake"), _post(world, [("Tờ khai", "to-khai.pdf", good)], fee_paid="50000")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phí, lệ phí đã thu (đồng): Số tiền đã nộp không được lớn hơn số phải nộp." in html
    assert not Dossier.objects.exists() and not stored(good)


@pytest.mark.django_db
def test_a_file_without_a_title_and_a_title_without_a_file_are_named(world: World, desk: Client) -> None:
    data = _post(world, [("", "to-khai.pdf", pdf_bytes())])
    data[f"{PREFIX}-1-title"] = "Giấy chứng sinh"
    response = desk.post(reverse("onestop:intake"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tên giấy tờ 1: Hãy ghi tên giấy tờ của tệp này." in html
    assert "Tệp giấy tờ 2: Hãy chọn tệp cho giấy tờ này." in html
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_an_officer_cannot_receive_for_an_agency_that_is_not_theirs(world: World, desk: Client) -> None:
    response = desk.post(
        reverse("onestop:intake"), _post(world, [], agency=str(world.b.pk), procedure=P_ONLY_B)
    )
    assert response.status_code == 400
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_a_postal_dossier_without_files_is_received_with_its_appointment(world: World, desk: Client) -> None:
    response = desk.post(reverse("onestop:intake"), _post(world, [], channel=Channel.POSTAL))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.POSTAL and dossier.due_at is not None
    assert not DossierFile.objects.filter(dossier=dossier).exists()


def test_pdf_helper_is_accepted_by_the_content_check() -> None:
    from lienthong.core.files import PDF, sniff_content_type

    assert sniff_content_type(pdf_bytes()) == PDF


@pytest.mark.django_db
def test_a_person_without_roles_is_refused(world: World, desk: Client) -> None:
    stranger = Person.objects.create(username="nguoila", full_name="Người Lạ")
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("onestop:intake")).status_code == 403


def _token(page: Any) -> str:
    found = re.search(r'name="submission" value="([0-9a-f]{32})"', page.content.decode())
    assert found, "the intake form carries its submission token"
    return found.group(1)


@pytest.mark.django_db
def test_a_double_click_on_receive_creates_one_dossier_and_both_land_on_it(
    world: World, desk: Client
) -> None:
    token = _token(desk.get(reverse("onestop:intake")))
    component = ("Tờ khai", "to-khai.pdf", pdf_bytes())
    first = desk.post(reverse("onestop:intake"), _post(world, [component], submission=token))
    again = desk.post(reverse("onestop:intake"), _post(world, [component], submission=token), follow=True)
    dossier = Dossier.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("onestop:detail", args=[dossier.code])
    assert again.redirect_chain[-1][0] == reverse("onestop:detail", args=[dossier.code])
    assert (
        f"hồ sơ {dossier.code} đã được tiếp nhận; lần gửi lại không tạo hồ sơ mới" in again.content.decode()
    )
    assert DossierFile.objects.count() == 1


@pytest.mark.django_db
def test_each_opening_of_the_form_is_a_new_dossier_and_a_refused_one_keeps_its_token(
    world: World, desk: Client
) -> None:
    first_token = _token(desk.get(reverse("onestop:intake")))
    second_token = _token(desk.get(reverse("onestop:intake")))
    assert first_token != second_token
    refused = desk.post(reverse("onestop:intake"), _post(world, [], fee_paid="50000", submission=first_token))
    assert (
        refused.status_code == 400 and _token(refused) == first_token
    )  # corrected and sent again: one dossier
    assert desk.post(reverse("onestop:intake"), _post(world, [], submission=first_token)).status_code == 302
    assert desk.post(reverse("onestop:intake"), _post(world, [], submission=second_token)).status_code == 302
    assert Dossier.objects.count() == 2


@pytest.mark.django_db
def test_several_files_stored_side_by_side_come_back_paired_with_their_own_upload() -> None:
    from lienthong.core import files as core_files
    from lienthong.onestop.files import Upload, put_in_storage

    uploads = [(Upload(f"Giấy tờ {i}", f"giay-to-{i}.pdf", pdf_bytes()), core_files.PDF) for i in range(6)]
    stored_files = put_in_storage(uploads)
    assert [upload.title for upload, _saved in stored_files] == [f"Giấy tờ {i}" for i in range(6)]
    for upload, saved in stored_files:
        assert saved.sha256 == hashlib.sha256(upload.data).hexdigest()
        assert core_files.read(saved.storage_name, saved.sha256) == upload.data
