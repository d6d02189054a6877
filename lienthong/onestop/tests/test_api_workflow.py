"""The workflow through the API: components in the intake body, steps and files in the dossier, the workflow
actions, downloads checked against their hash, and the new paths in the OpenAPI schema."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from lienthong.onestop.models import Dossier, DossierFile

from .helpers import CODE_A, CODE_B, vn
from .test_api_actions import DETAIL, act, bearer, post, signed_in
from .workflow_world import P_LINKED, add_staff, pdf_bytes


@pytest.fixture
def staff(world):
    from lienthong.worktime.services import seed_calendar

    seed_calendar([2026, 2027])
    return add_staff(world)


def _intake(client: Any, components: list[dict[str, str]], **extra: Any) -> Any:
    body = {
        "procedure_code": P_LINKED,
        "agency": CODE_A,
        "applicant": {
            "kind": "person",
            "name": "Đỗ Văn Minh",
            "id_number": "038095001234",
            "phone": "0912345678",
        },
        "channel": "postal",
        "components": components,
        **extra,
    }
    return post(client, "/api/v1/dossiers", body)


def _component(data: bytes, name: str = "to-khai.pdf") -> dict[str, str]:
    return {"title": "Tờ khai", "file_name": name, "content_base64": base64.b64encode(data).decode()}


def test_a_postal_partner_sends_components_and_reads_them_back_with_their_hash(world, staff, clock):
    clock(vn(2026, 12, 1, 9))
    client = bearer(world.a)
    response = _intake(
        client, [_component(pdf_bytes("một")), _component(pdf_bytes("hai"), "ban-sao.pdf")], fee_paid=0
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [f["content_type"] for f in body["files"]] == ["application/pdf", "application/pdf"]
    assert body["handling_agency"]["code"] == CODE_A and body["fee_due"] == 0
    first = body["files"][0]
    download = client.get(f"{DETAIL}{body['code']}/files/{first['id']}")
    assert download.status_code == 200 and download.content == pdf_bytes("một")


def test_a_component_that_is_not_base64_or_not_a_known_type_names_its_place(world, staff, clock):
    clock(vn(2026, 12, 1, 9))
    client = bearer(world.a)
    bad = _intake(
        client, [_component(pdf_bytes()), {"title": "Ảnh", "file_name": "a.png", "content_base64": "@@@"}]
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "components[1].content_base64"
    exe = _intake(client, [_component(b"MZ\x90\x00" * 10, "giay-to.pdf")])
    assert exe.status_code == 400
    assert exe.json()["errors"][0] == {
        "field": "components[0].content_base64",
        "rule": "file_type",
        "message": exe.json()["errors"][0]["message"],
    }
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_another_agency_cannot_download_a_file(world, staff, clock):
    clock(vn(2026, 12, 1, 9))
    body = _intake(bearer(world.a), [_component(pdf_bytes())]).json()
    other = bearer(world.b)
    assert other.get(f"{DETAIL}{body['code']}/files/{body['files'][0]['id']}").status_code == 404


def test_an_officer_walks_the_steps_through_the_api(world, staff, clock):
    clock(vn(2026, 12, 1, 9))
    desk = signed_in(world.officer_a)
    code = _intake(desk, []).json()["code"]
    clock(vn(2026, 12, 1, 9, 30))
    assert act(desk, code, "start-processing", {}).status_code == 200
    head = signed_in(staff.head_a)
    clock(vn(2026, 12, 1, 10))
    body = act(head, code, "assign", {"assignee": "chuyenvien.a"}).json()
    assert body["steps"][0]["assignee"] == "chuyenvien.a"
    unknown = act(head, code, "assign", {"assignee": "khong.co"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "assignee"
    specialist = signed_in(world.specialist_a)
    clock(vn(2026, 12, 1, 11))
    body = act(specialist, code, "forward", {"note": "Đủ điều kiện"}).json()
    assert [s["outcome"] for s in body["steps"]] == ["forwarded", "open"]
    assert body["steps"][0]["timeliness"] in {"early", "on_time"}
    forbidden = act(specialist, code, "approve", {})
    assert forbidden.status_code == 403
    leader = signed_in(staff.leader_a)
    clock(vn(2026, 12, 1, 14))
    body = act(leader, code, "approve", {}).json()
    assert body["steps"][-1]["title"] == "Lãnh đạo ký duyệt"
    result = {
        "title": "Giấy xác nhận",
        "file_name": "kq.pdf",
        "content_base64": base64.b64encode(pdf_bytes("kq")).decode(),
    }
    clock(vn(2026, 12, 1, 15))
    assert act(specialist, code, "attach-result", result).status_code == 200
    assert act(leader, code, "finish", {}).json()["errors"][0]["rule"] == "result_not_signed"
    clock(vn(2026, 12, 1, 15, 30))
    body = act(leader, code, "sign-result", {}).json()
    assert body["files"][0]["signed_by"] == "lanhdao.a"
    clock(vn(2026, 12, 1, 16))
    assert act(leader, code, "finish", {}).json()["national_status"]["code"] == 9


def test_hand_over_payment_and_apology_through_the_api(world, staff, clock):
    clock(vn(2026, 12, 1, 9))
    desk = signed_in(world.officer_a)
    code = _intake(desk, []).json()["code"]
    specialist = signed_in(world.specialist_a)
    clock(vn(2026, 12, 1, 9, 30))
    act(desk, code, "start-processing", {})
    clock(vn(2026, 12, 1, 10))
    body = act(specialist, code, "request-payment", {"amount": 25000, "reason": "Lệ phí"}).json()
    assert body["national_status"]["code"] == 6 and body["fee_due"] == 25000
    clock(vn(2026, 12, 1, 11))
    first = act(
        desk,
        code,
        "record-payment",
        {"amount": 25000, "receipt": "BL-01", "expected_version": body["version"]},
    )
    again = act(
        desk,
        code,
        "record-payment",
        {"amount": 25000, "receipt": "BL-01", "expected_version": body["version"]},
    )
    assert first.status_code == 200 and again.status_code == 409
    assert first.json()["fee_paid"] == 25000
    clock(vn(2026, 12, 1, 14))
    new_due = "2026-12-20T17:00:00+07:00"
    assert (
        act(specialist, code, "draft-apology", {"reason": "Chờ xác minh", "new_due_at": new_due}).status_code
        == 200
    )
    leader = signed_in(staff.leader_a)
    clock(vn(2026, 12, 1, 15))
    body = act(leader, code, "decide-apology", {"approve": True}).json()
    assert body["rescheduled_due_at"].startswith("2026-12-20T")
    clock(vn(2026, 12, 1, 16))
    moved = act(specialist, code, "hand-over", {"to_agency": CODE_B, "reason": "Lấy ý kiến"}).json()
    assert moved["handling_agency"]["code"] == CODE_B
    unknown = act(specialist, code, "hand-over", {"to_agency": "999.99.99.H99"})
    assert (unknown.status_code, unknown.json()["errors"][0]["rule"]) == (400, "unknown_agency")


def test_the_workflow_actions_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in (
        "forward",
        "send-back",
        "assign",
        "approve",
        "attach-result",
        "sign-result",
        "hand-over",
        "request-payment",
        "record-payment",
        "draft-apology",
        "decide-apology",
    ):
        assert f"/api/v1/dossiers/{{code}}/actions/{action}" in paths
    assert "/api/v1/dossiers/{code}/files/{file_id}" in paths
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "components" in schema["DossierIn"]["properties"]
    assert "steps" in schema["DossierOut"]["properties"]
