"""The back-office pages for signing keys: problems show on the field, a saved key went through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lienthong.audit.models import AuditEntry
from lienthong.signing import selectors
from lienthong.signing.models import SigningKey

from .key_helpers import PASSWORD, Office, leader_signature, office, person_p12

pytestmark = pytest.mark.django_db
ADD = "/quan-tri/signing/signingkey/add/"


@pytest.fixture
def ward(settings, tmp_path: Path) -> Office:
    settings.DATA_DIR = tmp_path
    return office()


@pytest.fixture
def admin_client(ward: Office) -> Client:
    ward.admin.is_staff = ward.admin.is_superuser = True
    ward.admin.save()
    client = Client()
    client.force_login(ward.admin)
    return client


def _form(ward: Office, **changes: object) -> dict[str, object]:
    return {
        "person": str(ward.leader.pk),
        "agency": "",
        "backend": "keyfile",
        "config": "{}",
        "secret": PASSWORD,
        "key_file": SimpleUploadedFile("lanhdao.p12", person_p12()),
        "image": SimpleUploadedFile("chuky.png", leader_signature(), content_type="image/png"),
        **changes,
    }


def test_an_admin_registers_a_key_file_with_its_signature_image(admin_client: Client, ward: Office) -> None:
    response = admin_client.post(ADD, _form(ward))

    assert response.status_code == 302, response.content.decode()[:2000]
    key = selectors.personal_key_for(ward.leader)
    assert key is not None and key.common_name == "Lương Văn Tài"
    assert selectors.key_image(key) == leader_signature()
    assert AuditEntry.objects.filter(action="signing_key.register", actor=ward.admin.username).count() == 1


def test_a_wrong_password_is_shown_on_the_password_field_and_nothing_is_saved(
    admin_client: Client, ward: Office
) -> None:
    response = admin_client.post(ADD, _form(ward, secret="sai"))

    assert response.status_code == 200
    assert "Sai mật khẩu" in str(response.context["adminform"].form.errors["secret"])
    assert SigningKey.objects.count() == 0


def test_an_image_that_is_not_png_is_shown_on_the_image_field(admin_client: Client, ward: Office) -> None:
    fake = SimpleUploadedFile("chuky.png", b"GIF89a" + b"\x00" * 40, content_type="image/png")

    response = admin_client.post(ADD, _form(ward, image=fake))

    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors
    assert SigningKey.objects.count() == 0


def test_registering_over_an_active_key_needs_the_replace_box(admin_client: Client, ward: Office) -> None:
    admin_client.post(ADD, _form(ward))

    refused = admin_client.post(ADD, _form(ward))
    replaced = admin_client.post(ADD, _form(ward, replace="on"))

    assert "replace" in refused.context["adminform"].form.errors
    assert replaced.status_code == 302
    assert SigningKey.objects.filter(person=ward.leader).count() == 2
    assert SigningKey.objects.filter(person=ward.leader, is_active=True).count() == 1


def test_the_list_action_stops_the_chosen_keys(admin_client: Client, ward: Office) -> None:
    admin_client.post(ADD, _form(ward))
    key = SigningKey.objects.get()

    response = admin_client.post(
        "/quan-tri/signing/signingkey/", {"action": "deactivate_keys", "_selected_action": [str(key.pk)]}
    )

    assert response.status_code == 302
    key.refresh_from_db()
    assert not key.is_active
    assert AuditEntry.objects.filter(action="signing_key.deactivate").count() == 1


def test_the_change_page_shows_the_certificate_and_the_image(admin_client: Client, ward: Office) -> None:
    admin_client.post(ADD, _form(ward))
    key = SigningKey.objects.get()

    page = admin_client.get(f"/quan-tri/signing/signingkey/{key.pk}/change/").content.decode()

    assert "Lương Văn Tài" in page and key.certificate_sha256 in page
    assert "data:image/png;base64," in page
    assert PASSWORD not in page
