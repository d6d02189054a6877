"""The directory API: scoping (404 outside), roles (403), problem documents for bad input, credentials."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lienthong.audit.models import AuditEntry
from lienthong.directory import services
from lienthong.directory.models import Agency, ApiCredential, Role, Unit
from lienthong.directory.selectors import forget_cached_credentials

from .test_scoping import CODE_A, CODE_B, World, build_world

BASE = "/api/v1/directory"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def test_without_credentials_the_api_answers_401_problem(world: World) -> None:
    response = Client().get(f"{BASE}/agencies")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_agency_list_contains_only_the_callers_agencies(world: World) -> None:
    body = signed_in(world.specialist_a).get(f"{BASE}/agencies").json()
    assert body["count"] == 1
    assert [item["code"] for item in body["items"]] == [CODE_A]
    assert body["items"][0]["parent_code"] == "000.00.00.H56"


def test_agency_list_filters_by_query_without_diacritics(world: World) -> None:
    client = signed_in(world.sysadmin)
    body = client.get(f"{BASE}/agencies", {"q": "tai chinh"}).json()
    assert [item["code"] for item in body["items"]] == [CODE_B]
    assert client.get(f"{BASE}/agencies", {"tier": "commune"}).json()["count"] == 0
    assert client.get(f"{BASE}/agencies", {"active": "false"}).json()["count"] == 0


def test_agency_list_is_paginated(world: World) -> None:
    body = signed_in(world.sysadmin).get(f"{BASE}/agencies", {"page": 2, "page_size": 2}).json()
    assert body["count"] == 3
    assert [item["code"] for item in body["items"]] == [CODE_B]


def test_officer_of_agency_a_cannot_read_agency_b_through_the_api(world: World) -> None:
    client = signed_in(world.specialist_a)
    assert client.get(f"{BASE}/agencies/{CODE_A}").status_code == 200
    for path in ("", "/units", "/people", "/history"):
        response = client.get(f"{BASE}/agencies/{CODE_B}{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"].endswith("not_found")


def test_out_of_scope_and_unknown_agencies_answer_the_same(world: World) -> None:
    client = signed_in(world.specialist_a)
    out_of_scope = client.get(f"{BASE}/agencies/{CODE_B}")
    unknown = client.get(f"{BASE}/agencies/999.99.99.Z99")
    assert out_of_scope.status_code == unknown.status_code == 404
    assert out_of_scope.json() == unknown.json()


def test_officer_of_agency_a_cannot_change_agency_b_through_the_api(world: World) -> None:
    response = patch(signed_in(world.admin_a), f"{BASE}/agencies/{CODE_B}", {"name": "Sở bị chiếm"})
    assert response.status_code == 404
    assert Agency.objects.get(code=CODE_B).name == "Sở Tài chính tỉnh Khánh Hòa"
    response = signed_in(world.admin_a).post(
        f"{BASE}/agencies/{CODE_B}/units", data={"code": "X", "name": "X"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_api_credential_of_agency_a_reads_a_but_not_b(world: World) -> None:
    client = bearer(world.token_a)
    assert client.get(f"{BASE}/agencies/{CODE_A}").json()["code"] == CODE_A
    assert [item["code"] for item in client.get(f"{BASE}/agencies").json()["items"]] == [CODE_A]
    assert client.get(f"{BASE}/agencies/{CODE_B}").status_code == 404
    assert client.get(f"{BASE}/agencies/{CODE_B}/people").status_code == 404


def test_api_credential_only_reads(world: World) -> None:
    response = patch(bearer(world.token_a), f"{BASE}/agencies/{CODE_A}", {"phone": "0258 3822 000"})
    assert response.status_code == 403
    assert response.json()["type"].endswith("role_required")


def test_wrong_secret_unknown_key_and_revoked_credential_are_rejected(world: World) -> None:
    key_id = world.token_a.split(".")[0]
    assert bearer(f"{key_id}.not-the-secret").get(f"{BASE}/agencies").status_code == 401
    assert bearer("0000000000000000.whatever").get(f"{BASE}/agencies").status_code == 401
    assert bearer("no-dot-at-all").get(f"{BASE}/agencies").status_code == 401
    services.revoke_api_credential(actor=None, credential=world.credential_a)
    assert bearer(world.token_a).get(f"{BASE}/agencies").status_code == 401


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("bearer {token}", 200),  # the scheme's case does not matter (RFC 9110)
        ("BEARER {token}", 200),
        ("Basic {token}", 401),
        ("Bearer", 401),
        ("Bearer ", 401),
        ("{token}", 401),
    ],
)
def test_only_the_bearer_scheme_with_a_token_authenticates(world: World, header: str, status: int) -> None:
    client = Client(headers={"Authorization": header.format(token=world.token_a)})
    assert client.get(f"{BASE}/agencies").status_code == status


def test_a_credential_revoked_on_another_app_server_stops_working_once_the_cache_time_has_passed(
    world: World, settings: Any
) -> None:
    client = bearer(world.token_a)
    assert client.get(f"{BASE}/agencies").status_code == 200
    # Another app server revokes it: this process learns of it when its copy is older than the cache time.
    ApiCredential.objects.filter(pk=world.credential_a.pk).update(is_active=False)
    assert client.get(f"{BASE}/agencies").status_code == 200
    settings.LIENTHONG_CREDENTIAL_CACHE_SECONDS = 0
    assert client.get(f"{BASE}/agencies").status_code == 401


def test_credential_use_is_noted_at_most_once_a_minute(world: World) -> None:
    client = bearer(world.token_a)
    client.get(f"{BASE}/agencies")
    first = ApiCredential.objects.get(pk=world.credential_a.pk).last_used_at
    assert first is not None
    client.get(f"{BASE}/agencies")
    assert ApiCredential.objects.get(pk=world.credential_a.pk).last_used_at == first
    ApiCredential.objects.filter(pk=world.credential_a.pk).update(last_used_at=first - timedelta(minutes=2))
    forget_cached_credentials()  # two minutes on, the app server's copy (kept 2 s) has long been read again
    client.get(f"{BASE}/agencies")
    assert ApiCredential.objects.get(pk=world.credential_a.pk).last_used_at > first - timedelta(seconds=1)


def test_specialist_of_agency_a_cannot_edit_agency_a(world: World) -> None:
    response = patch(signed_in(world.specialist_a), f"{BASE}/agencies/{CODE_A}", {"name": "Tên mới"})
    assert response.status_code == 403
    body = response.json()
    assert body["type"].endswith("role_required")
    assert Agency.objects.get(code=CODE_A).name == "Sở Nội vụ tỉnh Khánh Hòa"


def test_agency_admin_patches_their_agency_and_the_change_is_audited(world: World) -> None:
    client = signed_in(world.admin_a)
    response = patch(client, f"{BASE}/agencies/{CODE_A}", {"phone": "0258 3822 000", "successor_code": None})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0258 3822 000"
    entry = AuditEntry.objects.filter(action="agency.update", object_id=str(world.a.pk)).get()
    assert entry.actor == "quantri.a"
    assert entry.changes == {"phone": ["", "0258 3822 000"]}
    history = client.get(f"{BASE}/agencies/{CODE_A}/history").json()["items"]
    assert history[-1]["action"] == "agency.update"
    assert history[-1]["changes"] == {"phone": ["", "0258 3822 000"]}


def test_patch_sets_the_successor_of_a_merged_agency(world: World) -> None:
    client = signed_in(world.sysadmin)
    body = {"is_active": False, "valid_to": "2025-06-30", "successor_code": CODE_A}
    response = patch(client, f"{BASE}/agencies/{CODE_B}", body)
    assert response.status_code == 200, response.content
    assert response.json()["successor_code"] == CODE_A
    assert response.json()["valid_to"] == "2025-06-30"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tier": "galaxy"}, "tier"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"valid_from": "30/06/2025"}, "valid_from"),
        ({"parent_code": "H56"}, "parent_code"),
        ({"nam": "lỗi chính tả"}, "nam"),
    ],
)
def test_bad_input_to_patch_gives_a_422_problem_naming_the_field(
    world: World, body: dict, field: str
) -> None:
    response = patch(signed_in(world.admin_a), f"{BASE}/agencies/{CODE_A}", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"email": "khong-phai-email"}, "email", "invalid"),
        ({"parent_code": "999.99.99.Z99"}, "parent_code", "exists"),
    ],
)
def test_input_refused_by_the_rules_gives_a_400_problem_naming_field_and_rule(
    world: World, body: dict, field: str, rule: str
) -> None:
    response = patch(signed_in(world.admin_a), f"{BASE}/agencies/{CODE_A}", body)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert (errors[0]["field"], errors[0]["rule"]) == (field, rule)
    assert not AuditEntry.objects.filter(action="agency.update").exists()


def test_an_end_date_before_the_start_date_is_refused_without_a_change(world: World) -> None:
    body = {"valid_from": "2025-07-01", "valid_to": "2025-06-30"}
    response = patch(signed_in(world.admin_a), f"{BASE}/agencies/{CODE_A}", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "__all__"
    assert Agency.objects.get(code=CODE_A).valid_from is None


def test_session_patch_without_csrf_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    response = patch(client, f"{BASE}/agencies/{CODE_A}", {"phone": "1"})
    assert response.status_code == 403
    assert Agency.objects.get(code=CODE_A).phone == ""


def test_units_are_listed_and_created_by_the_agency_admin(world: World) -> None:
    client = signed_in(world.admin_a)
    url = f"{BASE}/agencies/{CODE_A}/units"
    created = client.post(
        url, data={"code": "VP", "name": "Văn phòng Sở", "kind": "office"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    child = client.post(
        url,
        data={"code": "VP-HC", "name": "Tổ hành chính", "parent_code": "VP"},
        content_type="application/json",
    )
    assert child.json()["parent_code"] == "VP"
    listed = client.get(url).json()
    assert [unit["code"] for unit in listed["items"]] == ["VP", "VP-HC"]
    assert AuditEntry.objects.filter(action="unit.create").count() == 2


def test_a_duplicate_unit_code_is_refused_on_the_code_field(world: World) -> None:
    services.create_unit(actor=None, agency=world.a, code="VP", name="Văn phòng")
    response = signed_in(world.admin_a).post(
        f"{BASE}/agencies/{CODE_A}/units",
        data={"code": "VP", "name": "Văn phòng 2"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "code",
        "rule": "unique",
        "message": response.json()["errors"][0]["message"],
    }
    assert Unit.objects.filter(agency=world.a).count() == 1


def test_specialist_cannot_create_units(world: World) -> None:
    response = signed_in(world.specialist_a).post(
        f"{BASE}/agencies/{CODE_A}/units",
        data={"code": "VP", "name": "Văn phòng"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_people_of_an_agency_come_with_their_roles_there(world: World) -> None:
    services.grant_role(actor=None, person=world.specialist_a, agency=world.b, role=Role.CLERK)
    body = bearer(world.token_a).get(f"{BASE}/agencies/{CODE_A}/people").json()
    people = {item["username"]: [role["role"] for role in item["roles"]] for item in body["items"]}
    assert people == {"chuyenvien.a": ["specialist"], "quantri.a": ["agency_admin"]}


def test_openapi_schema_documents_the_directory_paths(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/directory/agencies",
        "/api/v1/directory/agencies/{code}",
        "/api/v1/directory/agencies/{code}/units",
        "/api/v1/directory/agencies/{code}/people",
        "/api/v1/directory/agencies/{code}/history",
    ):
        assert path in schema["paths"], path
    assert "patch" in schema["paths"]["/api/v1/directory/agencies/{code}"]
    agency = schema["components"]["schemas"]["AgencyOut"]
    assert "description" in agency["properties"]["code"]
    assert {"ApiCredentialAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    assert set(agency["properties"]["tier"]["enum"]) == {
        tier for tier, _label in Agency._meta.get_field("tier").choices
    }


def test_history_of_a_visible_agency_is_readable_by_its_officers(world: World) -> None:
    services.update_agency(actor=world.admin_a, agency=world.a, address="Số 1 Trần Phú, Nha Trang")
    items = signed_in(world.specialist_a).get(f"{BASE}/agencies/{CODE_A}/history").json()["items"]
    assert [item["action"] for item in items] == ["agency.create", "agency.update"]
    assert items[1]["actor"] == "quantri.a"
    assert timezone.now() - timedelta(minutes=5) < timezone.datetime.fromisoformat(items[1]["at"])
