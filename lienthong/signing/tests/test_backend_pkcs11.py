"""The PKCS#11 back-end against a real SoftHSM2 token made by the test (the key imported, never extractable)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from lienthong.core.errors import DomainError
from lienthong.signing.plugins import backend_for

from .backend_helpers import check_with_pyhanko, demo_keys, pdfsig, sha256_of, sign_with, small_pdf
from .softhsm import SoftHsm

PIN = "1234"
LEADER_TOKEN = "Lãnh đạo Thành Lam"
SWAPPED_TOKEN = "Token bị tráo"


@pytest.fixture(scope="module")
def hsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftHsm]:
    keys = demo_keys()
    softhsm = SoftHsm(tmp_path_factory.mktemp("softhsm"))
    softhsm.init_token(LEADER_TOKEN, PIN)
    softhsm.import_key(
        LEADER_TOKEN, PIN, "ky-so", keys.person.key, keys.person.certificate, [keys.root.certificate]
    )
    # Someone else's private key next to the leader's certificate: the pair does not belong together.
    softhsm.init_token(SWAPPED_TOKEN, PIN)
    softhsm.import_key(SWAPPED_TOKEN, PIN, "ky-so", keys.stranger.key, keys.person.certificate)
    yield softhsm
    softhsm.close()


@pytest.fixture
def settings_for_hsm(settings, hsm: SoftHsm):
    settings.LIENTHONG_PKCS11_MODULES = [hsm.module]
    return settings


def _config(**extra: str) -> dict[str, str]:
    return {"token_label": LEADER_TOKEN, "key_label": "ky-so", **extra}


def test_a_token_signs_a_pdf_that_pyhanko_and_poppler_accept(settings_for_hsm) -> None:
    backend = backend_for("pkcs11", _config())

    with backend.open(PIN) as signer:
        signed = sign_with(signer, small_pdf())

    [found] = check_with_pyhanko(signed)
    assert found.intact and found.valid and found.trusted
    assert sha256_of(found.certificate) == sha256_of(demo_keys().person.certificate)
    report = pdfsig(signed)
    assert "Signature is Valid." in report and "Lương Văn Tài" in report


def test_the_chain_on_the_token_travels_with_the_signature(settings_for_hsm) -> None:
    with backend_for("pkcs11", _config()).open(PIN) as signer:
        registry = {c.dump() for c in signer.cert_registry}

    assert demo_keys().root.certificate.public_bytes(Encoding.DER) in registry


def test_the_certificate_is_read_without_the_pin(settings_for_hsm) -> None:
    assert backend_for("pkcs11", _config()).certificate() == demo_keys().person.certificate


def test_a_wrong_pin_is_refused_on_the_secret(settings_for_hsm) -> None:
    with pytest.raises(DomainError) as error, backend_for("pkcs11", _config()).open("0000"):
        pass

    assert (error.value.rule, error.value.field) == ("wrong_secret", "secret")


def test_no_pin_asks_for_it(settings_for_hsm) -> None:
    with pytest.raises(DomainError) as error, backend_for("pkcs11", _config()).open(None):
        pass

    assert (error.value.rule, error.value.field) == ("secret_required", "secret")


def test_a_token_that_is_not_plugged_in_names_the_token_label_and_lists_what_is(settings_for_hsm) -> None:
    backend = backend_for("pkcs11", _config(token_label="Token của người khác"))

    with pytest.raises(DomainError) as error, backend.open(PIN):
        pass

    assert (error.value.rule, error.value.field) == ("token_not_found", "config.token_label")
    assert "Token của người khác" in error.value.message and LEADER_TOKEN in error.value.message


def test_a_missing_key_label_is_named(settings_for_hsm) -> None:
    backend = backend_for("pkcs11", _config(key_label="khong-co", cert_label="ky-so"))

    with pytest.raises(DomainError) as error, backend.open(PIN):
        pass

    assert (error.value.rule, error.value.field) == ("key_not_found", "config.key_label")
    assert "khong-co" in error.value.message


def test_a_missing_certificate_label_is_named(settings_for_hsm) -> None:
    backend = backend_for("pkcs11", _config(cert_label="chung-thu-khac"))

    with pytest.raises(DomainError) as error:
        backend.certificate()

    assert (error.value.rule, error.value.field) == ("certificate_not_found", "config.cert_label")


def test_a_key_that_does_not_match_its_certificate_is_refused_before_signing(settings_for_hsm) -> None:
    backend = backend_for("pkcs11", _config(token_label=SWAPPED_TOKEN))

    with pytest.raises(DomainError) as error, backend.open(PIN):
        pytest.fail("the signer must not be handed out")

    assert (error.value.rule, error.value.field) == ("key_certificate_mismatch", "config.key_label")


def test_only_the_allowed_pkcs11_libraries_may_be_named(settings_for_hsm) -> None:
    with pytest.raises(DomainError) as error:
        backend_for("pkcs11", _config(module="/tmp/evil.so"))

    assert (error.value.rule, error.value.field) == ("module_not_allowed", "config.module")


def test_a_pin_in_the_config_is_refused(settings_for_hsm) -> None:
    with pytest.raises(DomainError) as error:
        backend_for("pkcs11", _config(pin=PIN))

    assert (error.value.rule, error.value.field) == ("secret_in_config", "config.pin")
