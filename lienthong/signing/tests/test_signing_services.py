"""Signing a PDF as a leader and as the agency, end to end through each back-end, checked by independent tools.

Every signed PDF is read back by our validator (trusting the test root only), by pyHanko's own validator and by
poppler's ``pdfsig``; the signature's certificate must be the certificate registered for the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from lienthong.core.errors import DomainError, PermissionDenied
from lienthong.signing import services
from lienthong.signing.csc_service import DemoCredential, DemoCscService
from lienthong.signing.models import SigningKey
from lienthong.signing.pades import Box, seal_box_over
from lienthong.signing.validation import validate_pdf

from .backend_helpers import check_with_pyhanko, demo_keys, pdfsig, sha256_of, small_pdf
from .key_helpers import PASSWORD, Office, agency_p12, leader_signature, office, person_p12, red_seal, write
from .softhsm import SoftHsm

pytestmark = pytest.mark.django_db

SIGNER_BOX = Box(0, 330, 120, 540, 230)
FIELDS = {"so_ky_hieu": Box(0, 72, 740, 260, 760), "ngay_ban_hanh": Box(0, 330, 740, 540, 760)}
TITLE = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
PIN = "2468"
OTP = "135790"


@pytest.fixture
def ward(settings, tmp_path: Path) -> Office:
    settings.DATA_DIR = tmp_path
    return office()


def _leader_key_file(ward: Office, tmp_path: Path) -> SigningKey:
    return services.register_signing_key(
        actor=None,
        person=ward.leader,
        backend="keyfile",
        config={"path": write(tmp_path, "leader.p12", person_p12())},
        secret=PASSWORD,
        image_png=leader_signature(),
    )


def _agency_key_file(ward: Office, tmp_path: Path, **config: str) -> SigningKey:
    return services.register_signing_key(
        actor=None,
        agency=ward.agency,
        backend="keyfile",
        config={"path": write(tmp_path, "agency.p12", agency_p12()), **config},
        secret=PASSWORD,
        image_png=red_seal(),
    )


def _independently_valid(pdf: bytes, count: int) -> list[str]:
    """The certificates' SHA-256 of the ``count`` signatures, each valid for pyHanko, poppler and us."""
    checked = check_with_pyhanko(pdf)
    assert len(checked) == count and all(c.intact and c.valid and c.trusted for c in checked)
    assert pdfsig(pdf).count("Signature is Valid.") == count
    report = validate_pdf(pdf, trust=[demo_keys().root.certificate])
    assert report.all_valid_and_trusted, report.as_text()
    return [sha256_of(c.certificate) for c in checked]


def test_a_leader_signs_with_a_key_file_and_the_signature_is_the_registered_certificate(
    ward: Office, tmp_path: Path
) -> None:
    key = _leader_key_file(ward, tmp_path)

    signed = services.sign_pdf_as_person(
        person=ward.leader,
        pdf=small_pdf(),
        secret=PASSWORD,
        box=SIGNER_BOX,
        title=TITLE,
        reason="Ký ban hành",
    )

    assert _independently_valid(signed, 1) == [key.certificate_sha256]
    report = validate_pdf(signed, trust=[demo_keys().root.certificate])
    assert report.signatures[0].field_name == services.personal_field_name(ward.leader)
    assert report.signatures[0].signer == "Lương Văn Tài"


def test_the_leader_signs_then_the_clerk_applies_the_seal_filling_number_and_date(
    ward: Office, tmp_path: Path
) -> None:
    leader_key = _leader_key_file(ward, tmp_path)
    agency_key = _agency_key_file(ward, tmp_path)
    approved = services.sign_pdf_as_person(
        person=ward.leader, pdf=small_pdf(), secret=PASSWORD, box=SIGNER_BOX, title=TITLE, fields=FIELDS
    )

    issued = services.sign_pdf_as_agency(
        actor=ward.clerk,
        agency=ward.agency,
        pdf=approved,
        secret=PASSWORD,
        box=seal_box_over(SIGNER_BOX, red_seal()),
        fill={"so_ky_hieu": "15/QĐ-UBND", "ngay_ban_hanh": "Thành Lam, ngày 20 tháng 11 năm 2026"},
    )

    assert _independently_valid(issued, 2) == [leader_key.certificate_sha256, agency_key.certificate_sha256]
    first, second = validate_pdf(issued, trust=[demo_keys().root.certificate]).signatures
    assert first.changes_after == "form_filling"
    assert second.covers_whole_file


def test_an_agency_hsm_key_signs_with_the_password_from_the_environment(
    ward: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEAL_PASSWORD", PASSWORD)
    key = _agency_key_file(ward, tmp_path, secret_env="SEAL_PASSWORD")

    signed = services.sign_pdf_as_agency(
        actor=ward.clerk,
        agency=ward.agency,
        pdf=small_pdf(),
        secret=None,
        box=SIGNER_BOX,
        with_seal=False,
        text_lines=("Số: 15/QĐ-UBND",),
    )

    assert _independently_valid(signed, 1) == [key.certificate_sha256]
    monkeypatch.delenv("SEAL_PASSWORD")
    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_agency(
            actor=ward.clerk,
            agency=ward.agency,
            pdf=small_pdf(),
            secret=None,
            box=SIGNER_BOX,
            with_seal=False,
        )
    assert (error.value.rule, error.value.field) == ("secret_env_missing", "config.secret_env")


# --- a token (SoftHSM2) -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftHsm]:
    keys = demo_keys()
    softhsm = SoftHsm(tmp_path_factory.mktemp("softhsm-services"))
    softhsm.init_token("Lãnh đạo", PIN)
    softhsm.import_key(
        "Lãnh đạo", PIN, "ky-so", keys.person.key, keys.person.certificate, [keys.root.certificate]
    )
    # Another person's token, with that person's key and certificate, under the same labels.
    softhsm.init_token("Người khác", PIN)
    softhsm.import_key("Người khác", PIN, "ky-so", keys.stranger.key, keys.stranger.certificate)
    yield softhsm
    softhsm.close()


def _register_token(ward: Office, hsm: SoftHsm, settings) -> SigningKey:
    settings.LIENTHONG_PKCS11_MODULES = [hsm.module]
    return services.register_signing_key(
        actor=ward.admin,
        person=ward.leader,
        backend="pkcs11",
        config={"token_label": "Lãnh đạo", "key_label": "ky-so"},
        secret=PIN,
        image_png=leader_signature(),
    )


def test_a_leader_signs_with_a_hardware_token(ward: Office, hsm: SoftHsm, settings) -> None:
    key = _register_token(ward, hsm, settings)

    signed = services.sign_pdf_as_person(
        person=ward.leader, pdf=small_pdf(), secret=PIN, box=SIGNER_BOX, title=TITLE
    )

    assert _independently_valid(signed, 1) == [key.certificate_sha256]


def test_a_token_holding_someone_elses_key_is_refused_before_signing(
    ward: Office, hsm: SoftHsm, settings
) -> None:
    key = _register_token(ward, hsm, settings)
    # The leader's key now points at a token that holds another person's key and certificate.
    SigningKey.objects.filter(pk=key.pk).update(config={"token_label": "Người khác", "key_label": "ky-so"})

    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_person(
            person=ward.leader, pdf=small_pdf(), secret=PIN, box=SIGNER_BOX, title=TITLE
        )

    assert (error.value.rule, error.value.field) == ("certificate_mismatch", "signer")
    assert "Người Lạ" in error.value.message and "Lương Văn Tài" in error.value.message


def test_a_wrong_pin_is_refused_on_the_secret(ward: Office, hsm: SoftHsm, settings) -> None:
    _register_token(ward, hsm, settings)

    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_person(
            person=ward.leader, pdf=small_pdf(), secret="9999", box=SIGNER_BOX, title=TITLE
        )

    assert (error.value.rule, error.value.field) == ("wrong_secret", "secret")


# --- remote signing (CSC) ---------------------------------------------------------------------------------


@pytest.fixture
def csc_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    keys = demo_keys()
    service = DemoCscService(
        [
            DemoCredential(
                credential_id="tai-smartca",
                owner="lienthong",
                key=keys.person.key,
                certificate=keys.person.certificate,
                chain=[keys.root.certificate],
                code=OTP,
            )
        ],
        users={"lienthong": "dich-vu"},
    )
    monkeypatch.setenv("CSC_PASSWORD", "dich-vu")
    with service.serve() as url:
        yield url


def test_a_leader_signs_on_a_remote_signing_service_with_a_one_time_code(ward: Office, csc_url: str) -> None:
    key = services.register_signing_key(
        actor=ward.admin,
        person=ward.leader,
        backend="csc",
        config={
            "url": csc_url,
            "credential_id": "tai-smartca",
            "username": "lienthong",
            "password_env": "CSC_PASSWORD",
        },
        image_png=leader_signature(),
    )

    signed = services.sign_pdf_as_person(
        person=ward.leader, pdf=small_pdf(), secret=OTP, box=SIGNER_BOX, title=TITLE
    )

    assert _independently_valid(signed, 1) == [key.certificate_sha256]


# --- refusals ---------------------------------------------------------------------------------------------


def test_a_leader_without_a_key_is_told_to_ask_for_one(ward: Office) -> None:
    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_person(
            person=ward.leader, pdf=small_pdf(), secret="x", box=SIGNER_BOX, title=TITLE
        )

    assert (error.value.rule, error.value.field) == ("no_signing_key", "signer")


def test_a_certificate_that_has_run_out_is_refused(ward: Office, tmp_path: Path) -> None:
    key = _leader_key_file(ward, tmp_path)
    SigningKey.objects.filter(pk=key.pk).update(not_after=timezone.now())  # the day the certificate ends

    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_person(
            person=ward.leader, pdf=small_pdf(), secret=PASSWORD, box=SIGNER_BOX, title=TITLE
        )

    assert (error.value.rule, error.value.field) == ("certificate_expired", "signer")


def test_a_wrong_password_is_refused_on_the_secret(ward: Office, tmp_path: Path) -> None:
    _leader_key_file(ward, tmp_path)

    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_person(
            person=ward.leader, pdf=small_pdf(), secret="sai", box=SIGNER_BOX, title=TITLE
        )

    assert (error.value.rule, error.value.field) == ("wrong_secret", "secret")


def test_only_the_agencys_clerk_applies_its_signature(ward: Office, tmp_path: Path) -> None:
    _agency_key_file(ward, tmp_path)

    for actor in (ward.leader, ward.specialist):
        with pytest.raises(PermissionDenied) as error:
            services.sign_pdf_as_agency(
                actor=actor, agency=ward.agency, pdf=small_pdf(), secret=PASSWORD, box=SIGNER_BOX
            )
        assert error.value.rule == "clerk_required"


def test_a_seal_is_asked_for_but_the_key_has_no_seal_image(ward: Office, tmp_path: Path) -> None:
    key = _agency_key_file(ward, tmp_path)
    services.set_signing_key_image(actor=None, key=key, image_png=None)

    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_agency(
            actor=ward.clerk, agency=ward.agency, pdf=small_pdf(), secret=PASSWORD, box=SIGNER_BOX
        )

    assert (error.value.rule, error.value.field) == ("no_seal_image", "with_seal")


def test_signing_the_same_document_twice_takes_a_new_field(ward: Office, tmp_path: Path) -> None:
    _leader_key_file(ward, tmp_path)
    once = services.sign_pdf_as_person(
        person=ward.leader, pdf=small_pdf(), secret=PASSWORD, box=SIGNER_BOX, title=TITLE
    )

    twice = services.sign_pdf_as_person(
        person=ward.leader, pdf=once, secret=PASSWORD, box=Box(0, 72, 120, 282, 230), title=TITLE
    )

    names = [s.field_name for s in validate_pdf(twice, trust=[demo_keys().root.certificate]).signatures]
    base = services.personal_field_name(ward.leader)
    assert names == [base, f"{base}_2"]


def test_what_is_not_a_pdf_is_refused_before_the_key_is_opened(ward: Office, tmp_path: Path) -> None:
    _leader_key_file(ward, tmp_path)

    with pytest.raises(DomainError) as error:
        services.sign_pdf_as_person(
            person=ward.leader, pdf=b"not a pdf", secret="sai", box=SIGNER_BOX, title=TITLE
        )

    assert (error.value.rule, error.value.field) == ("pdf_not_pdf", "pdf")
