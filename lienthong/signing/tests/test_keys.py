"""Registering, replacing and stopping signing keys: checked, audited, one active key per owner, no secrets kept."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from lienthong.audit.models import AuditEntry
from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.signing import selectors, services
from lienthong.signing.models import Purpose, SigningKey

from .backend_helpers import demo_keys, expired_certificate, sha256_of
from .key_helpers import PASSWORD, Office, agency_p12, leader_signature, office, person_p12, red_seal, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def ward() -> Office:
    return office()


def _register_leader(ward: Office, **extra: object) -> SigningKey:
    arguments: dict[str, object] = {
        "actor": ward.admin,
        "person": ward.leader,
        "backend": "keyfile",
        "config": {},
        "secret": PASSWORD,
        "key_file": person_p12(),
        "image_png": leader_signature(),
        **extra,
    }
    return services.register_signing_key(**arguments)  # type: ignore[arg-type]


def test_an_agency_admin_registers_a_leaders_key_file_and_no_password_is_kept(
    ward: Office, data_dir: Path
) -> None:
    key = _register_leader(ward)

    assert key.purpose == Purpose.PERSONAL and key.person == ward.leader and key.is_active
    assert key.common_name == "Lương Văn Tài"
    assert key.certificate_sha256 == sha256_of(demo_keys().person.certificate)
    assert key.not_after == demo_keys().person.certificate.not_valid_after_utc
    assert key.serial_number == format(demo_keys().person.certificate.serial_number, "X")
    stored = data_dir / key.config["path"]
    assert stored.parent == data_dir / "keys"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    row = json.dumps(SigningKey.objects.filter(pk=key.pk).values().get(), default=str, ensure_ascii=False)
    assert PASSWORD not in row
    entry = AuditEntry.objects.get(action="signing_key.register")
    assert entry.object_id == str(key.pk) and entry.actor == ward.admin.username
    assert PASSWORD not in json.dumps(entry.changes, ensure_ascii=False)
    assert selectors.personal_key_for(ward.leader) == key
    assert selectors.key_image(key) == leader_signature()


def test_a_second_active_key_for_the_same_leader_is_refused(ward: Office, data_dir: Path) -> None:
    _register_leader(ward)

    with pytest.raises(Conflict) as error:
        _register_leader(ward)

    assert (error.value.rule, error.value.field) == ("active_key_exists", "person")
    assert SigningKey.objects.count() == 1


def test_the_database_itself_holds_one_active_key_per_person(ward: Office, data_dir: Path) -> None:
    key = _register_leader(ward)
    twin = SigningKey.objects.values().get(pk=key.pk)
    twin.pop("id")

    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.create(**twin)


def test_replacing_a_key_stops_the_old_one_and_keeps_the_signature_image(
    ward: Office, data_dir: Path
) -> None:
    old = _register_leader(ward)
    renewed = demo_keys().p12(demo_keys().stranger, "mới")  # a renewed certificate stands in for the new key

    new = services.replace_signing_key(
        actor=ward.admin, key=old, backend="keyfile", config={}, secret="mới", key_file=renewed
    )

    old.refresh_from_db()
    assert not old.is_active and old.deactivated_at is not None
    assert new.is_active and new.image_sha256 == old.image_sha256
    assert selectors.personal_key_for(ward.leader) == new
    entry = AuditEntry.objects.get(action="signing_key.replace")
    assert entry.object_id == str(new.pk) and entry.changes["replaces"] == [None, old.pk]


def test_stopping_a_key_is_audited_once_and_frees_the_place_for_a_new_one(
    ward: Office, data_dir: Path
) -> None:
    key = _register_leader(ward)

    services.deactivate_signing_key(actor=ward.admin, key=key)
    services.deactivate_signing_key(actor=ward.admin, key=key)

    assert selectors.personal_key_for(ward.leader) is None
    assert AuditEntry.objects.filter(action="signing_key.deactivate").count() == 1
    assert _register_leader(ward).is_active


def test_a_specialist_or_another_agencys_admin_may_not_register_keys(ward: Office, data_dir: Path) -> None:
    other = office("000.00.32.H99", prefix="b.")

    for actor in (ward.specialist, other.admin, ward.leader):
        with pytest.raises(PermissionDenied) as error:
            _register_leader(ward, actor=actor)
        assert error.value.rule == "key_admin_required"
    assert SigningKey.objects.count() == 0


def test_a_system_administrator_may_register_any_key(ward: Office, data_dir: Path) -> None:
    ward.specialist.is_superuser = True
    ward.specialist.save()

    assert _register_leader(ward, actor=ward.specialist).is_active


def test_an_expired_certificate_is_refused_at_registration(ward: Office, data_dir: Path) -> None:
    expired = expired_certificate(demo_keys().person)

    with pytest.raises(DomainError) as error:
        _register_leader(ward, key_file=demo_keys().p12(expired, PASSWORD))

    assert (error.value.rule, error.value.field) == ("certificate_expired", "certificate")
    assert not (data_dir / "keys").exists()  # nothing stored for a refused key


def test_a_wrong_password_at_registration_is_refused_on_the_secret(ward: Office, data_dir: Path) -> None:
    with pytest.raises(DomainError) as error:
        _register_leader(ward, secret="sai")

    assert (error.value.rule, error.value.field) == ("wrong_secret", "secret")


def test_a_personal_key_may_not_read_its_secret_from_the_server(ward: Office, data_dir: Path) -> None:
    path = write(data_dir, "p.p12", person_p12())

    with pytest.raises(DomainError) as error:
        _register_leader(ward, key_file=None, config={"path": path, "secret_env": "LEADER_PASSWORD"})

    assert (error.value.rule, error.value.field) == ("secret_env_personal", "config.secret_env")


def test_an_agency_key_on_the_server_reads_its_password_from_the_environment(
    ward: Office, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEAL_PASSWORD", PASSWORD)
    path = write(data_dir, "agency.p12", agency_p12())

    key = services.register_signing_key(
        actor=ward.admin,
        agency=ward.agency,
        backend="keyfile",
        config={"path": path, "secret_env": "SEAL_PASSWORD"},
        image_png=red_seal(),
    )

    assert key.purpose == Purpose.AGENCY and selectors.agency_key_for(ward.agency) == key
    assert key.config == {"path": path, "secret_env": "SEAL_PASSWORD"}


def test_an_image_is_checked_by_its_content(ward: Office, data_dir: Path) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    broken_png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    with pytest.raises(DomainError) as not_png:
        _register_leader(ward, image_png=jpeg)
    with pytest.raises(DomainError) as broken:
        _register_leader(ward, image_png=broken_png)

    assert (not_png.value.rule, not_png.value.field) == ("file_type", "image_png")
    assert (broken.value.rule, broken.value.field) == ("image_unreadable", "image_png")


def test_changing_and_removing_the_image_is_audited(ward: Office, data_dir: Path) -> None:
    key = _register_leader(ward, image_png=None)

    services.set_signing_key_image(actor=ward.admin, key=key, image_png=leader_signature())
    services.set_signing_key_image(actor=ward.admin, key=key, image_png=leader_signature())
    services.set_signing_key_image(actor=ward.admin, key=key, image_png=None)

    key.refresh_from_db()
    assert key.image_sha256 == "" and selectors.key_image(key) is None
    assert AuditEntry.objects.filter(action="signing_key.image").count() == 2


def test_one_certificate_cannot_serve_two_owners(ward: Office, data_dir: Path) -> None:
    _register_leader(ward)

    with pytest.raises(Conflict) as error:
        services.register_signing_key(
            actor=ward.admin,
            person=ward.clerk,
            backend="keyfile",
            config={},
            secret=PASSWORD,
            key_file=person_p12(),
        )

    assert (error.value.rule, error.value.field) == ("certificate_in_use", "certificate")


def test_a_key_belongs_to_exactly_one_owner(ward: Office, data_dir: Path) -> None:
    for owners in ({}, {"person": ward.leader, "agency": ward.agency}):
        with pytest.raises(DomainError) as error:
            services.register_signing_key(
                actor=None, backend="keyfile", config={}, secret=PASSWORD, key_file=person_p12(), **owners
            )
        assert (error.value.rule, error.value.field) == ("owner_required", "owner")


def test_an_uploaded_file_is_only_for_key_file_keys(ward: Office, data_dir: Path) -> None:
    with pytest.raises(DomainError) as error:
        _register_leader(ward, backend="pkcs11", config={"token_label": "A", "key_label": "B"})

    assert (error.value.rule, error.value.field) == ("key_file_unexpected", "key_file")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_registering_a_key_for_the_same_leader_at_once_leave_one_active_key(
    settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    ward = office()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def register() -> None:
        try:
            start.wait()
            _register_leader(ward)
            outcomes.append("registered")
        except Conflict as error:
            outcomes.append(error.rule)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["active_key_exists", "registered"]
    assert SigningKey.objects.filter(person=ward.leader, is_active=True).count() == 1
    assert AuditEntry.objects.filter(action="signing_key.register").count() == 1
