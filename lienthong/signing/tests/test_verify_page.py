"""An officer checks the signatures of a PDF received outside the platform on the 'Kiểm tra chữ ký số' page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lienthong.directory import services as directory
from lienthong.signing.pades import sign_pdf

from .pades_helpers import DemoKeys, document_pdf, make_pki

pytestmark = pytest.mark.django_db

PAGE = "/ky-so/kiem-tra/"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DemoKeys:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def officer() -> Client:
    person = directory.create_person(actor=None, username="vanthu.kiemtra", full_name="Văn thư")
    client = Client()
    client.force_login(person)
    return client


def test_a_signed_pdf_shows_each_signature_valid_and_trusted(
    keys: DemoKeys, officer: Client, settings: Any
) -> None:
    settings.LIENTHONG_TRUST_ANCHORS = [str(keys.root_pem)]
    personal = sign_pdf(document_pdf(), keys.person, field_name="ChuKyLanhDao")
    issued = sign_pdf(personal, keys.agency, field_name="ChuKyCoQuan")

    page = officer.post(PAGE, {"file": SimpleUploadedFile("cong-van.pdf", issued)})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Mọi chữ ký đều hợp lệ và tin cậy." in html
    assert "ChuKyLanhDao" in html and "ChuKyCoQuan" in html
    assert "chỉ thêm chữ ký" in html  # what came after the leader's signature


def test_a_pdf_from_an_untrusted_root_is_not_accepted_as_original(
    keys: DemoKeys, officer: Client, settings: Any, tmp_path: Any
) -> None:
    settings.LIENTHONG_TRUST_ANCHORS = [str(tmp_path / "trong")]
    signed = sign_pdf(document_pdf(), keys.person, field_name="ChuKyLanhDao")

    html = officer.post(PAGE, {"file": SimpleUploadedFile("la.pdf", signed)}).content.decode()

    assert "không được coi tệp là bản gốc" in html


def test_a_file_that_is_not_a_pdf_is_refused_on_the_file_field(officer: Client) -> None:
    page = officer.post(PAGE, {"file": SimpleUploadedFile("anh.pdf", b"\x89PNG\r\n\x1a\n not really")})

    assert page.status_code == 400
    assert 'aria-invalid="true"' in page.content.decode()


def test_sending_nothing_asks_for_a_file(officer: Client) -> None:
    page = officer.post(PAGE, {})

    assert page.status_code == 400
    assert "Hãy chọn tệp PDF cần kiểm tra." in page.content.decode()


def test_the_page_needs_a_signed_in_officer() -> None:
    answer = Client().get(PAGE)

    assert answer.status_code == 302 and "next=" in answer["Location"]
