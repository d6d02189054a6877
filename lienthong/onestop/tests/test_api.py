"""The dossier API: intake by an external system's credential, scoping to the caller's agency, officers
accepting online dossiers, the timeline, problem details naming the field, and the OpenAPI schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse_lazy

from lienthong.directory import services as directory
from lienthong.onestop.models import Dossier, NationalStatus
from lienthong.worktime.services import seed_calendar

from .helpers import CODE_A, CODE_B, P_ONLY_B, P_WORKING_DAYS, World, vn
from .test_intake_page import pdf_bytes

# Reversed, so the tests hold whether the router is mounted at "/dossiers" or "/dossiers/".
BASE = reverse_lazy("api:dossier_receive")
DETAIL = "/api/v1/dossiers/"
Clock = Callable[[datetime], None]


@pytest.fixture
def calendar(world: World) -> None:
    seed_calendar([2026, 2027])


def bearer(world: World, agency: Any) -> Client:
    _, token = directory.create_api_credential(actor=None, agency=agency, name="Cổng dịch vụ công")
    return Client(headers={"Authorization": f"Bearer {token}"})


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    if body is None:  # no body at all, like `curl -X POST`
        return client.generic("POST", str(url))
    return client.post(url, data=json.dumps(body), content_type="application/json")


def intake(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure_code": P_WORKING_DAYS,
        "agency": CODE_A,
        "applicant": {
            "kind": "person",
            "name": "Đỗ Văn Minh",
            "id_number": "038095001234",
            "phone": "0912345678",
        },
        "channel": "postal",
    }
    body.update(changes)
    return body


def test_credential_intake_creates_a_dossier_with_code_and_appointment(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2027, 2, 3, 9))
    response = post(bearer(world, world.a), BASE, intake())
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(re.escape(CODE_A) + r"-270203-\d{4}", body["code"])
    assert body["code"].endswith("-0001")
    assert body["national_status"] == {"code": 2, "label": "Đã tiếp nhận"}
    assert body["channel"] == "postal"
    assert body["received_at"] == "2027-02-03T09:00:00+07:00"  # every moment leaves in Vietnam time
    assert body["due_at"] is not None
    assert body["procedure"]["code"] == P_WORKING_DAYS and body["procedure"]["version"] == 1
    assert body["agency"] == {"code": CODE_A, "name": "Sở Tư pháp"}
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.applicant_name == "Đỗ Văn Minh"
    assert [e["actor"] for e in body["timeline"]] == ["hệ thống"]


def test_online_intake_waits_at_status_1_without_appointment(world: World, calendar: None) -> None:
    body = post(bearer(world, world.a), BASE, intake(channel="online")).json()
    assert body["national_status"]["code"] == NationalStatus.SUBMITTED
    assert body["due_at"] is None


def test_double_intake_creates_two_dossiers(world: World, calendar: None) -> None:
    client = bearer(world, world.a)
    first = post(client, BASE, intake()).json()["code"]
    second = post(client, BASE, intake()).json()["code"]
    assert first != second
    assert Dossier.objects.count() == 2


def test_credential_of_agency_a_cannot_file_for_agency_b(world: World, calendar: None) -> None:
    response = post(bearer(world, world.a), BASE, intake(agency=CODE_B, procedure_code=P_ONLY_B))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert Dossier.objects.count() == 0


def test_credential_of_agency_a_cannot_read_agency_b_dossier(world: World, calendar: None) -> None:
    code_b = post(bearer(world, world.b), BASE, intake(agency=CODE_B, procedure_code=P_ONLY_B)).json()["code"]
    response = bearer(world, world.a).get(f"{DETAIL}{code_b}")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert post(bearer(world, world.a), f"{DETAIL}{code_b}/actions/accept").status_code == 404


def test_unknown_code_and_foreign_code_answer_alike(world: World, calendar: None) -> None:
    code_b = post(bearer(world, world.b), BASE, intake(agency=CODE_B, procedure_code=P_ONLY_B)).json()["code"]
    client = bearer(world, world.a)
    foreign = client.get(f"{DETAIL}{code_b}").json()
    missing = client.get(f"{DETAIL}{CODE_A}-270203-9999").json()
    assert foreign == missing


def test_without_credentials_intake_answers_401(world: World) -> None:
    assert post(Client(), BASE, intake()).status_code == 401


def test_officer_session_can_accept_an_online_dossier(world: World, calendar: None, clock: Clock) -> None:
    clock(vn(2027, 2, 3, 9))
    code = post(bearer(world, world.a), BASE, intake(channel="online")).json()["code"]
    clock(vn(2027, 2, 3, 10))
    response = post(signed_in(world.officer_a), f"{DETAIL}{code}/actions/accept", {"expected_version": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["national_status"] == {"code": 2, "label": "Đã tiếp nhận"}
    assert body["version"] == 2
    assert body["due_at"] is not None
    assert [(e["action"], e["action_label"]) for e in body["timeline"]] == [
        ("receive", "Nhận hồ sơ"),
        ("accept", "Tiếp nhận hồ sơ"),
    ]
    assert body["timeline"][1]["actor"] == "motcua.a"
    assert (body["timeline"][1]["from_status"], body["timeline"][1]["to_status"]) == (1, 2)


def test_accept_with_a_stale_version_answers_409(world: World, calendar: None) -> None:
    code = post(bearer(world, world.a), BASE, intake(channel="online")).json()["code"]
    client = signed_in(world.officer_a)
    assert post(client, f"{DETAIL}{code}/actions/accept", {"expected_version": 1}).status_code == 200
    again = post(client, f"{DETAIL}{code}/actions/accept", {"expected_version": 1})
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "version"


def test_specialist_without_desk_role_cannot_accept(world: World, calendar: None) -> None:
    code = post(bearer(world, world.a), BASE, intake(channel="online")).json()["code"]
    response = post(signed_in(world.specialist_a), f"{DETAIL}{code}/actions/accept")
    assert response.status_code == 403, response.content
    assert Dossier.objects.get(code=code).national_status == NationalStatus.SUBMITTED


def test_officer_of_agency_b_cannot_file_for_agency_a(world: World, calendar: None) -> None:
    response = post(signed_in(world.officer_b), BASE, intake())
    assert response.status_code == 404


def test_officer_files_a_desk_dossier_and_reads_its_timeline(world: World, calendar: None) -> None:
    client = signed_in(world.officer_a)
    code = post(client, BASE, intake(channel="desk")).json()["code"]
    body = client.get(f"{DETAIL}{code}").json()
    assert body["code"] == code
    assert body["national_status"]["code"] == 2
    assert [e["action"] for e in body["timeline"]] == ["receive"]
    assert body["timeline"][0]["actor"] == "motcua.a"
    assert body["timeline"][0]["to_status"] == 2


def test_bad_applicant_id_is_a_problem_naming_the_field(world: World, calendar: None) -> None:
    bad = intake()
    bad["applicant"]["id_number"] = "12345"
    response = post(bearer(world, world.a), BASE, bad)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors[0]["field"] == "applicant.id_number"
    assert errors[0]["rule"] == "citizen_id_shape"
    assert Dossier.objects.count() == 0


def test_schema_violations_answer_422_naming_the_field(world: World, calendar: None) -> None:
    bad = intake(channel="pigeon")
    bad["applicant"]["kind"] = "robot"
    response = post(bearer(world, world.a), BASE, bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"channel", "applicant.kind"} <= fields


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"", "empty"),
        (b'{"procedure_code": "1.000001", ', "cut short"),
        (b"\xff\xfe{}", "not UTF-8"),
        (
            json.dumps(intake(), ensure_ascii=False).encode("utf-16"),
            "UTF-16, which RFC 8259 rules out between systems",
        ),
        (
            json.dumps(intake(), ensure_ascii=False).replace("Đỗ Văn Minh", "\\ud800").encode(),
            "a lone surrogate",
        ),
    ],
)
def test_a_body_that_is_not_utf8_json_is_refused_naming_the_body_and_nothing_is_stored(
    world: World, calendar: None, body: bytes, why: str
) -> None:
    response = bearer(world, world.a).post(BASE, data=body, content_type="application/json")
    assert response.status_code == 400, why
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["type"].endswith("/json")
    assert problem["detail"].startswith("Nội dung yêu cầu không phải JSON hợp lệ mã hóa UTF-8: ")
    assert [(e["field"], e["rule"]) for e in problem["errors"]] == [("body", "json")]
    assert "line 1 column" in problem["errors"][0]["message"]  # where the reader stopped
    assert Dossier.objects.count() == 0


def test_unknown_procedure_names_the_field(world: World, calendar: None) -> None:
    response = post(bearer(world, world.a), BASE, intake(procedure_code="9.999999"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "procedure_code"


def test_intake_is_served_at_the_path_without_trailing_slash(world: World) -> None:
    assert str(BASE) == "/api/v1/dossiers"


def test_openapi_lists_the_dossier_paths_and_statuses(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths[str(BASE)]
    assert "get" in paths["/api/v1/dossiers/{code}"]
    assert "post" in paths["/api/v1/dossiers/{code}/actions/accept"]
    text = json.dumps(schema, ensure_ascii=False)
    assert "Đã trả kết quả" in text and "Yêu cầu bổ sung hồ sơ" in text


def test_the_intake_answer_is_exactly_what_reading_the_dossier_back_gives_and_fits_the_schema(
    world: World, calendar: None, clock: Clock
) -> None:
    from lienthong.onestop.api import DossierOut

    clock(vn(2027, 2, 3, 9))
    client = bearer(world, world.a)
    pdf = pdf_bytes()
    import base64

    component = {
        "title": "Tờ khai",
        "file_name": "to-khai.pdf",
        "content_base64": base64.b64encode(pdf).decode(),
    }
    created = post(client, BASE, intake(components=[component]))
    assert created.status_code == 201, created.content
    assert created["Content-Type"] == "application/json; charset=utf-8"
    answer = created.json()
    read_back = client.get(f"{DETAIL}{answer['code']}")
    assert read_back.status_code == 200
    assert answer == read_back.json()
    # Byte for byte: the intake writes its answer with pydantic-core, every other endpoint with ninja's renderer;
    # both write compact UTF-8 (Vietnamese as it is, not \u escapes).
    assert created.content == read_back.content
    assert "Tờ khai".encode() in created.content and b'","' in created.content
    DossierOut.model_validate(answer)
    assert answer["files"][0]["file_name"] == "to-khai.pdf" and answer["timeline"][0]["action"] == "receive"
