"""The key file back-end: a PKCS#12 file on the server, unlocked with its password for each signature."""

from __future__ import annotations

from pathlib import Path

import pytest

from lienthong.core.errors import DomainError
from lienthong.signing.plugins import backend_choices, backend_for

from .backend_helpers import check_with_pyhanko, demo_keys, pdfsig, sha256_of, sign_with, small_pdf


@pytest.fixture
def p12(tmp_path: Path) -> Path:
    path = tmp_path / "lanhdao.p12"
    path.write_bytes(demo_keys().p12(demo_keys().person, "mật khẩu"))
    return path


def _problem(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.rule, error.value.field


def test_a_key_file_signs_a_pdf_that_pyhanko_and_poppler_accept(p12: Path) -> None:
    backend = backend_for("keyfile", {"path": str(p12)})

    with backend.open("mật khẩu") as signer:
        signed = sign_with(signer, small_pdf())

    [found] = check_with_pyhanko(signed)
    assert found.intact and found.valid and found.trusted
    assert sha256_of(found.certificate) == sha256_of(demo_keys().person.certificate)
    report = pdfsig(signed)
    assert "Signature is Valid." in report
    assert "Lương Văn Tài" in report


def test_a_wrong_password_is_refused_on_the_secret(p12: Path) -> None:
    backend = backend_for("keyfile", {"path": str(p12)})

    with pytest.raises(DomainError) as error, backend.open("sai"):
        pass

    assert _problem(error) == ("wrong_secret", "secret")


def test_no_password_for_a_protected_file_asks_for_it(p12: Path) -> None:
    backend = backend_for("keyfile", {"path": str(p12)})

    with pytest.raises(DomainError) as error, backend.open(None):
        pass

    assert _problem(error) == ("secret_required", "secret")


def test_the_certificate_of_a_protected_file_needs_the_password(p12: Path) -> None:
    backend = backend_for("keyfile", {"path": str(p12)})

    with pytest.raises(DomainError) as error:
        backend.certificate()
    certificate, chain = backend.certificate_with("mật khẩu")

    assert _problem(error) == ("secret_required", "secret")
    assert certificate == demo_keys().person.certificate
    assert chain == [demo_keys().root.certificate]


def test_a_file_without_password_gives_its_certificate_freely(tmp_path: Path) -> None:
    path = tmp_path / "open.p12"
    path.write_bytes(demo_keys().p12(demo_keys().agency, ""))

    assert backend_for("keyfile", {"path": str(path)}).certificate() == demo_keys().agency.certificate


def test_a_file_that_is_not_pkcs12_is_named_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "key.p12"
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot really\n")

    with pytest.raises(DomainError) as error, backend_for("keyfile", {"path": str(path)}).open("demo"):
        pass

    assert _problem(error) == ("pkcs12_invalid", "config.path")


def test_a_missing_file_is_named_in_the_config(tmp_path: Path) -> None:
    backend = backend_for("keyfile", {"path": str(tmp_path / "gone.p12")})

    with pytest.raises(DomainError) as error, backend.open("demo"):
        pass

    assert _problem(error) == ("key_file_missing", "config.path")
    assert "gone.p12" in error.value.message


def test_a_relative_path_is_under_the_data_directory(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "a.p12").write_bytes(demo_keys().p12(demo_keys().agency))

    certificate, _chain = backend_for("keyfile", {"path": "keys/a.p12"}).certificate_with("demo")

    assert certificate == demo_keys().agency.certificate


@pytest.mark.parametrize(
    ("config", "rule", "field"),
    [
        ({}, "required", "config.path"),
        ({"path": "k.p12", "password": "demo"}, "secret_in_config", "config.password"),
        ({"path": "k.p12", "PIN": "1234"}, "secret_in_config", "config.PIN"),
        ({"path": "k.p12", "paht": "x"}, "unknown_config_key", "config.paht"),
        ({"path": 12}, "invalid_config", "config.path"),
    ],
)
def test_bad_config_is_refused_naming_the_key(config: dict[str, object], rule: str, field: str) -> None:
    with pytest.raises(DomainError) as error:
        backend_for("keyfile", config)

    assert _problem(error) == (rule, field)


def test_a_backend_the_installation_does_not_allow_is_refused(settings) -> None:
    settings.LIENTHONG_SIGNER_BACKENDS = ["pkcs11", "csc"]

    with pytest.raises(DomainError) as error:
        backend_for("keyfile", {"path": "k.p12"})

    assert _problem(error) == ("unknown_backend", "backend")
    assert [name for name, _label in backend_choices()] == ["pkcs11", "csc"]
