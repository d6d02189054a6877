"""An integrator checks the signatures of a PDF or an edXML package through the API, against the
installation's trust anchors; nothing it sends is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lienthong.directory import services as directory
from lienthong.signing.keys import load_pkcs12
from lienthong.signing.pades import sign_pdf
from lienthong.signing.xmldsig import sign_xml

from .pades_helpers import PASSWORD, DemoKeys, document_pdf, make_pki

pytestmark = pytest.mark.django_db

VERIFY_PDF = "/api/v1/signing/pdf/verify"
VERIFY_XML = "/api/v1/signing/xml/verify"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DemoKeys:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trusting(keys: DemoKeys, settings: Any) -> DemoKeys:
    settings.LIENTHONG_TRUST_ANCHORS = [str(keys.root_pem)]
    return keys


@pytest.fixture
def client() -> Client:
    person = directory.create_person(actor=None, username="tichhop", full_name="Cán bộ tích hợp")
    signed_in = Client()
    signed_in.force_login(person)
    return signed_in


def _send(client: Client, url: str, data: bytes, name: str) -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_a_signed_pdf_is_reported_valid_and_trusted_with_its_signer(
    trusting: DemoKeys, client: Client
) -> None:
    signed = sign_pdf(document_pdf(), trusting.person, field_name="ChuKyLanhDao")

    answer = _send(client, VERIFY_PDF, signed, "quyet-dinh.pdf")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["all_valid_and_trusted"] is True
    [signature] = body["signatures"]
    assert signature["field_name"] == "ChuKyLanhDao"
    assert signature["intact"] and signature["valid"] and signature["trusted"]
    assert signature["changes_after"] == "none"
    assert "mọi chữ ký đều hợp lệ và tin cậy" in body["report"]


def test_one_changed_byte_makes_the_pdf_fail(trusting: DemoKeys, client: Client) -> None:
    signed = bytearray(sign_pdf(document_pdf(), trusting.person, field_name="ChuKyLanhDao"))
    # A byte inside the signed page content, well before the signature dictionary.
    position = bytes(signed).index(b"stream") + 20
    signed[position] = signed[position] ^ 0x01

    body = _send(client, VERIFY_PDF, bytes(signed), "sua.pdf").json()

    assert body["all_valid_and_trusted"] is False
    assert body["signatures"][0]["intact"] is False


def test_a_pdf_signed_under_an_unknown_root_is_valid_but_not_trusted(
    keys: DemoKeys, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.LIENTHONG_TRUST_ANCHORS = [str(tmp_path / "khong-co")]
    signed = sign_pdf(document_pdf(), keys.agency, field_name="ChuKyCoQuan")

    body = _send(client, VERIFY_PDF, signed, "la.pdf").json()

    [signature] = body["signatures"]
    assert signature["valid"] is True and signature["trusted"] is False
    assert body["all_valid_and_trusted"] is False


def test_a_file_that_is_not_a_pdf_is_refused_naming_the_field(trusting: DemoKeys, client: Client) -> None:
    answer = _send(client, VERIFY_PDF, b"GIF89a not a pdf at all", "anh.pdf")

    assert answer.status_code == 400
    problem = answer.json()
    assert problem["errors"][0]["field"] == "file" and problem["errors"][0]["rule"] == "file_type"


def test_a_signed_edxml_package_is_verified_and_a_changed_one_is_not(
    trusting: DemoKeys, client: Client
) -> None:
    key = load_pkcs12((trusting.directory / "agency.p12").read_bytes(), PASSWORD)
    package = (
        '<?xml version="1.0" encoding="UTF-8"?><edXMLEnvelope><Subject>Kế hoạch</Subject></edXMLEnvelope>'
    )
    package_bytes = package.encode()
    signed = sign_xml(package_bytes, key)

    good = _send(client, VERIFY_XML, signed, "goi.xml").json()
    changed = _send(client, VERIFY_XML, signed.replace("Kế hoạch".encode(), b"Ke hoach"), "goi.xml")

    assert good["valid"] is True and good["signer"]
    assert changed.status_code == 200 and changed.json()["valid"] is False


def test_the_trust_anchors_are_listed(trusting: DemoKeys, client: Client) -> None:
    anchors = client.get("/api/v1/signing/trust-anchors").json()

    assert [a["subject"] for a in anchors] == [trusting.anchor.subject.rfc4514_string()]


def test_without_signing_in_the_check_is_refused() -> None:
    assert Client().post(VERIFY_PDF).status_code == 401
