"""Remote signing over the CSC API v2, against a small CSC service the test starts on a free port (real HTTP)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from lienthong.core.errors import DomainError
from lienthong.signing.csc_service import DemoCredential, DemoCscService
from lienthong.signing.plugins import backend_for

from .backend_helpers import check_with_pyhanko, demo_keys, pdfsig, sha256_of, sign_with, small_pdf

OTP = "246810"
SERVICE_USER = "lienthong"
SERVICE_PASSWORD = "mật khẩu dịch vụ"


@pytest.fixture
def service() -> DemoCscService:
    keys = demo_keys()

    def credential(ident: str, **options: object) -> DemoCredential:
        return DemoCredential(
            credential_id=ident,
            owner=SERVICE_USER,
            key=keys.person.key,
            certificate=keys.person.certificate,
            chain=[keys.root.certificate],
            **options,  # type: ignore[arg-type]
        )

    return DemoCscService(
        [
            credential("lanhdao-otp", code=OTP),
            credential("lanhdao-dienthoai", code=None, confirm_after_checks=2),
            credential("tam-ngung", code=OTP, enabled=False),
        ],
        users={SERVICE_USER: SERVICE_PASSWORD},
    )


@pytest.fixture
def url(service: DemoCscService, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CSC_PASSWORD", SERVICE_PASSWORD)
    with service.serve() as base:
        yield base


def _config(url: str, **extra: object) -> dict[str, object]:
    return {
        "url": url,
        "credential_id": "lanhdao-otp",
        "username": SERVICE_USER,
        "password_env": "CSC_PASSWORD",
        "poll_seconds": 0,
        **extra,
    }


def _refusal(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.rule, error.value.field


def test_a_remote_key_signs_a_pdf_with_a_one_time_code(url: str, service: DemoCscService) -> None:
    with backend_for("csc", _config(url)).open(OTP) as signer:
        signed = sign_with(signer, small_pdf())

    [found] = check_with_pyhanko(signed)
    assert found.intact and found.valid and found.trusted
    assert sha256_of(found.certificate) == sha256_of(demo_keys().person.certificate)
    assert "Signature is Valid." in pdfsig(signed)
    assert service.calls == [
        "info",
        "auth/login",
        "credentials/info",
        "credentials/authorize",
        "signatures/signHash",
    ]


def test_the_certificate_comes_from_the_service_after_listing_the_credentials(url: str, service) -> None:
    certificate = backend_for("csc", _config(url)).certificate()

    assert certificate == demo_keys().person.certificate
    assert "credentials/list" in service.calls


def test_a_wrong_code_is_refused_on_the_secret_and_three_lock_the_key(url: str) -> None:
    backend = backend_for("csc", _config(url))
    for _attempt in range(3):
        with pytest.raises(DomainError) as error, backend.open("000000") as signer:
            sign_with(signer, small_pdf())
        assert _refusal(error) == ("wrong_secret", "secret")

    with pytest.raises(DomainError) as error, backend.open(OTP) as signer:
        sign_with(signer, small_pdf())

    assert _refusal(error) == ("secret_locked", "secret")


def test_no_code_is_asked_for_before_anything_is_sent_for_signing(url: str, service: DemoCscService) -> None:
    with pytest.raises(DomainError) as error, backend_for("csc", _config(url)).open(None):
        pass

    assert _refusal(error) == ("secret_required", "secret")
    assert "credentials/authorize" not in service.calls


def test_a_service_that_is_down_gives_a_readable_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = f"http://127.0.0.1:{port}"

    with pytest.raises(DomainError) as error, backend_for("csc", _config(down, timeout=2)).open(OTP):
        pass

    assert _refusal(error) == ("signer_unreachable", "signer")
    assert error.value.status == 503
    assert down in error.value.message


def test_an_expired_authorisation_asks_to_sign_again(url: str, service: DemoCscService) -> None:
    service.sad_seconds = 0  # every SAD has expired by the time signHash arrives

    with pytest.raises(DomainError) as error, backend_for("csc", _config(url)).open(OTP) as signer:
        sign_with(signer, small_pdf())

    assert _refusal(error) == ("sad_expired", "secret")


def test_an_unknown_credential_is_named_in_the_config(url: str) -> None:
    backend = backend_for("csc", _config(url, credential_id="khong-co"))

    with pytest.raises(DomainError) as on_register:
        backend.certificate()
    with pytest.raises(DomainError) as on_signing, backend.open(OTP):
        pass

    assert _refusal(on_register) == ("credential_unknown", "config.credential_id")
    assert "lanhdao-otp" in on_register.value.message  # the admin sees which ids exist
    assert _refusal(on_signing) == ("credential_unknown", "config.credential_id")


def test_a_suspended_credential_is_refused(url: str) -> None:
    with (
        pytest.raises(DomainError) as error,
        backend_for("csc", _config(url, credential_id="tam-ngung")).open(OTP),
    ):
        pass

    assert _refusal(error) == ("credential_disabled", "config.credential_id")


def test_a_signature_confirmed_on_the_phone_needs_no_code(url: str, service: DemoCscService) -> None:
    with backend_for("csc", _config(url, credential_id="lanhdao-dienthoai")).open(None) as signer:
        signed = sign_with(signer, small_pdf())

    assert check_with_pyhanko(signed)[0].valid
    assert service.calls.count("credentials/authorizeCheck") == 3


def test_a_signer_who_does_not_confirm_in_time_is_told_so(url: str, service: DemoCscService) -> None:
    service.credentials["lanhdao-dienthoai"].confirm_after_checks = 1000
    backend = backend_for("csc", _config(url, credential_id="lanhdao-dienthoai", wait_seconds=0))

    with pytest.raises(DomainError) as error, backend.open(None) as signer:
        sign_with(signer, small_pdf())

    assert _refusal(error) == ("authorization_timeout", "secret")


def test_the_platform_account_with_a_wrong_password_is_reported_as_configuration(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_PASSWORD", "sai")

    with pytest.raises(DomainError) as error, backend_for("csc", _config(url)).open(OTP):
        pass

    assert _refusal(error) == ("signer_login_failed", "config")


def test_a_password_variable_not_set_on_the_server_is_named(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CSC_PASSWORD")

    with pytest.raises(DomainError) as error, backend_for("csc", _config(url)).open(OTP):
        pass

    assert _refusal(error) == ("secret_env_missing", "config.password_env")
    assert "CSC_PASSWORD" in error.value.message


def test_a_bearer_token_from_the_environment_replaces_the_login(
    url: str, service: DemoCscService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_TOKEN", service.bearer_for(SERVICE_USER))
    config = {"url": url, "credential_id": "lanhdao-otp", "token_env": "CSC_TOKEN"}

    with backend_for("csc", config).open(OTP) as signer:
        signed = sign_with(signer, small_pdf())

    assert check_with_pyhanko(signed)[0].valid
    assert "auth/login" not in service.calls


@pytest.mark.parametrize(
    ("config", "rule", "field"),
    [
        ({"url": "ftp://x", "credential_id": "a"}, "invalid_config", "config.url"),
        ({"url": "https://x"}, "required", "config.credential_id"),
        ({"url": "https://x", "credential_id": "a", "username": "u"}, "required", "config.password_env"),
        ({"url": "https://x", "credential_id": "a", "otp": "1"}, "secret_in_config", "config.otp"),
        ({"url": "https://x", "credential_id": "a", "timeout": 0}, "invalid_config", "config.timeout"),
    ],
)
def test_bad_remote_config_is_refused_naming_the_key(
    config: dict[str, object], rule: str, field: str
) -> None:
    with pytest.raises(DomainError) as error:
        backend_for("csc", config)

    assert _refusal(error) == (rule, field)
