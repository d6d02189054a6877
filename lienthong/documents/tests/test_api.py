"""The documents API: the whole flow by officers' sessions, scoping, what an external system may read, and
problem details naming field and rule."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from lienthong.directory import services as directory

from .world import CODE_B, OUTSIDE, SECRET, World, tiny_pdf


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _draft_body(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agency": world.a.code,
        "document_type": "CV",
        "subject": "Về việc báo cáo số lượng công chức",
        "body": "Đề nghị Ủy ban nhân dân phường báo cáo.",
        "signer": world.a_director.username,
        "recipients": [{"agency_code": CODE_B}, {"agency_code": OUTSIDE, "name": "Văn phòng Chính phủ"}],
        "urgency": "urgent",
    }
    body.update(changes)
    return body


def test_officers_take_a_letter_from_draft_to_issue_through_the_api(world: World) -> None:
    drafter, head, director, clerk = (
        signed_in(p) for p in (world.a_specialist, world.a_unit_head, world.a_director, world.a_clerk)
    )
    created = post(drafter, reverse("api:documents_outgoing_create"), _draft_body(world))
    assert created.status_code == 201, created.content
    document = created.json()
    pk = document["id"]
    assert document["status"]["code"] == "draft" and document["number"] is None
    assert document["urgency"] == {"code": "urgent", "label": "Khẩn"}

    submitted = post(
        drafter, reverse("api:documents_outgoing_submit", args=[pk]), {"reviewer": world.a_unit_head.username}
    )
    assert submitted.json()["status"]["code"] == "in_review"
    post(head, reverse("api:documents_outgoing_review", args=[pk]), {"decision": "approve"})
    wrong = post(director, reverse("api:documents_outgoing_sign", args=[pk]), {"secret": "sai"})
    assert wrong.status_code == 400 and wrong["Content-Type"] == "application/problem+json"
    assert wrong.json()["errors"][0]["field"] == "secret"
    signed = post(director, reverse("api:documents_outgoing_sign", args=[pk]), {"secret": SECRET})
    assert signed.json()["status"]["code"] == "signed"
    issued = post(clerk, reverse("api:documents_outgoing_issue", args=[pk]), {"secret": SECRET})
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["number_notation"] == "01/SNV-CCVC"
    assert {r["agency_code"]: r["state"] for r in body["recipients"]} == {
        CODE_B: "delivered",
        OUTSIDE: "waiting",
    }
    pdf = clerk.get(body["file"]["url"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")

    ward_clerk = signed_in(world.b_clerk)
    received = ward_clerk.get(reverse("api:documents_incoming_list")).json()
    assert [d["number_notation"] for d in received] == ["01/SNV-CCVC"]
    incoming_pk = received[0]["id"]
    assert received[0]["signature"]["status"]["code"] == "valid_trusted"
    assigned = post(
        signed_in(world.b_leader),
        reverse("api:documents_incoming_assign", args=[incoming_pk]),
        {"main": {"person": world.b_specialist.username}, "cooperating": [{"unit": "KT"}], "due_in_days": 5},
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["status"]["code"] == "assigned" and len(assigned.json()["assignments"]) == 2


def test_a_draft_with_an_uploaded_pdf_and_its_places(world: World) -> None:
    places = {
        "so_ky_hieu": {"page": 0, "x1": 90, "y1": 700, "x2": 260, "y2": 722},
        "ngay_ban_hanh": {"page": "first", "x1": 300, "y1": 700, "x2": 540, "y2": 722},
        "signer": {"page": "last", "x1": 330, "y1": 200, "x2": 540, "y2": 330},
    }
    response = post(
        signed_in(world.a_specialist),
        reverse("api:documents_outgoing_create"),
        _draft_body(world, pdf_base64=base64.b64encode(tiny_pdf()).decode(), layout=places),
    )
    assert response.status_code == 201, response.content
    assert response.json()["pdf_source"] == "uploaded"
    assert response.json()["layout"]["signer"] == {"page": 0, "x1": 330, "y1": 200, "x2": 540, "y2": 330}


def test_refusals_leave_as_problem_documents_naming_field_and_rule(world: World) -> None:
    client = signed_in(world.a_specialist)
    url = reverse("api:documents_outgoing_create")
    cases = [
        (_draft_body(world, secrecy="secret"), 400, "secret_not_external", "recipients[1].agency_code"),
        (
            _draft_body(world, recipients=[{"agency_code": "000.00.31"}]),
            400,
            "agency_code_shape",
            "recipients[0].agency_code",
        ),
        (_draft_body(world, pdf_base64="không phải base64"), 400, "base64", "pdf_base64"),
        (_draft_body(world, signer="ai.do"), 400, "unknown_person", "signer"),
        (_draft_body(world, urgency="gấp"), 422, "literal_error", "urgency"),
    ]
    for body, status, rule, field in cases:
        response = post(client, url, body)
        assert response.status_code == status, (rule, response.content)
        problem = response.json()
        assert problem["errors"][0]["field"] == field and problem["errors"][0]["rule"] == rule
    forbidden = post(signed_in(world.a_clerk), url, _draft_body(world))
    assert forbidden.status_code == 403 and forbidden.json()["type"].endswith("drafter_role_required")


def test_drafts_are_private_to_their_agency_and_people_and_an_api_credential_only_reads(world: World) -> None:
    created = post(
        signed_in(world.a_specialist), reverse("api:documents_outgoing_create"), _draft_body(world)
    ).json()
    detail = reverse("api:documents_outgoing_detail", args=[created["id"]])
    assert signed_in(world.b_leader).get(detail).status_code == 404
    assert signed_in(world.a_director).get(detail).status_code == 200  # the designated signer and a leader
    other = directory.create_person(actor=None, username="a.khac", full_name="Người khác")
    directory.grant_role(actor=None, person=other, agency=world.a, role="specialist")
    assert signed_in(other).get(detail).status_code == 404

    _, token = directory.create_api_credential(actor=None, agency=world.a, name="Phần mềm quản lý văn bản cũ")
    system = Client(headers={"Authorization": f"Bearer {token}"})
    assert system.get(detail).status_code == 404  # not issued: not for an external system
    refused = post(system, reverse("api:documents_outgoing_create"), _draft_body(world))
    assert refused.status_code == 403 and refused.json()["type"].endswith("person_required")
    assert Client().get(reverse("api:documents_outgoing_list")).status_code == 401


def test_the_clerk_registers_a_scan_and_the_duplicate_is_a_409(world: World) -> None:
    client = signed_in(world.b_clerk)
    body = {
        "agency": CODE_B,
        "issuer_name": "Sở Y tế tỉnh Thanh Lâm",
        "number_notation": "88/SYT-NVY",
        "document_date": "2026-12-01",
        "subject": "Về việc tiêm chủng mở rộng",
        "pdf_base64": base64.b64encode(tiny_pdf()).decode(),
    }
    first = post(client, reverse("api:documents_incoming_register"), body)
    assert first.status_code == 201, first.content
    assert first.json()["arrival_number"] == 1
    assert first.json()["signature"]["status"]["label"] == "Không có chữ ký số"
    again = post(client, reverse("api:documents_incoming_register"), body)
    assert again.status_code == 409 and again.json()["errors"][0]["rule"] == "duplicate_incoming"
    confirmed = post(client, reverse("api:documents_incoming_register"), {**body, "confirm_duplicate": True})
    assert confirmed.status_code == 201 and confirmed.json()["duplicate_of"] == first.json()["id"]


def test_work_files_over_the_api(world: World) -> None:
    client = signed_in(world.a_specialist)
    created = post(
        client,
        reverse("api:documents_work_file_create"),
        {
            "agency": world.a.code,
            "year": 2026,
            "code": "CCVC.09",
            "title": "Hồ sơ thi đua",
            "retention": "20 năm",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["retention_years"] == 20
    unknown = post(
        client,
        reverse("api:documents_work_file_create"),
        {"agency": world.a.code, "year": 2026, "code": "X", "title": "x", "retention": "mãi mãi"},
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "retention"
    closed = client.post(reverse("api:documents_work_file_close", args=[created.json()["id"]]))
    assert closed.json()["status"] == "closed"


def test_the_schema_documents_the_documents_api(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/documents/")]
    assert (
        "/api/v1/documents/outgoing/{pk}/issue" in paths and "/api/v1/documents/incoming/{pk}/assign" in paths
    )
    issue = schema["paths"]["/api/v1/documents/outgoing/{pk}/issue"]["post"]
    assert "not_signed" in issue["description"]
