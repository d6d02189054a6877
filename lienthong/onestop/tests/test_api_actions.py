"""The dossier's actions through the API: each action on a dossier walked into the right status, the
wrong status as a 409 naming national_status, problem details naming the field, scoping by agency, the
actor recorded, an unknown action name as a 404 problem, and the action paths in the OpenAPI schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from lienthong.directory import services as directory
from lienthong.onestop.models import Dossier, NationalStatus
from lienthong.worktime.services import seed_calendar

from .helpers import CODE_A, CODE_B, P_ONLY_B, P_WORKING_DAYS, World, vn

DETAIL = "/api/v1/dossiers/"
Clock = Callable[[datetime], None]
S = NationalStatus


@pytest.fixture
def calendar(world: World) -> None:
    seed_calendar([2026, 2027])


def bearer(agency: Any) -> Client:
    _, token = directory.create_api_credential(actor=None, agency=agency, name="Cổng dịch vụ công")
    return Client(headers={"Authorization": f"Bearer {token}"})


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    if body is None:  # no body at all, like `curl -X POST`
        return client.generic("POST", url)
    return client.post(url, data=json.dumps(body), content_type="application/json")


def act(client: Client, code: str, action: str, body: dict[str, Any] | None = None) -> Any:
    return post(client, f"{DETAIL}{code}/actions/{action}", body)


def file(client: Client, channel: str = "desk", agency: str = CODE_A, procedure: str = P_WORKING_DAYS) -> str:
    body = {
        "procedure_code": procedure,
        "agency": agency,
        "applicant": {
            "kind": "person",
            "name": "Đỗ Văn Minh",
            "id_number": "038095001234",
            "phone": "0912345678",
        },
        "channel": channel,
    }
    response = post(client, "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return str(response.json()["code"])


def walk(client: Client, code: str, *steps: tuple[str, dict[str, Any] | None]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for action, payload in steps:
        response = act(client, code, action, payload)
        assert response.status_code == 200, (action, response.content)
        body = response.json()
    return body


def status_of(code: str) -> int:
    return int(Dossier.objects.get(code=code).national_status)


def test_a_desk_dossier_walks_through_processing_and_supplement_to_its_returned_result(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2027, 2, 3, 9))  # before signing in: the session's age is read on this clock
    client = signed_in(world.officer_a)
    code = file(client)
    due = client.get(f"{DETAIL}{code}").json()["due_at"]
    clock(vn(2027, 2, 3, 10))
    body = walk(client, code, ("start-processing", {"expected_version": 1}))
    assert body["national_status"] == {"code": 4, "label": str(S.PROCESSING.label)}
    assert body["version"] == 2
    clock(vn(2027, 2, 3, 11))
    body = walk(client, code, ("request-supplement", {"reason": "Thiếu bản sao giấy khai sinh."}))
    assert body["national_status"]["code"] == S.SUPPLEMENT_REQUESTED
    assert body["timeline"][-1]["note"] == "Thiếu bản sao giấy khai sinh."
    clock(vn(2027, 2, 4, 11))  # one working day later: the appointment moves by it
    client = signed_in(world.officer_a)  # a new working day, a new session
    body = walk(client, code, ("answer-supplement", {"note": "Đã nộp bản sao."}))
    assert body["national_status"]["code"] == S.PROCESSING
    assert body["due_at"] > due
    clock(vn(2027, 2, 4, 14))
    body = walk(client, code, ("finish", None))
    assert body["national_status"]["code"] == S.FINISHED
    clock(vn(2027, 2, 4, 15))
    body = walk(client, code, ("return-result", {"method": "postal", "tracking_number": "EL123456789VN"}))
    assert body["national_status"] == {"code": 10, "label": str(S.RETURNED.label)}
    assert [e["action"] for e in body["timeline"]] == [
        "receive",
        "start_processing",
        "request_supplement",
        "answer_supplement",
        "finish",
        "return",
    ]
    assert {e["actor"] for e in body["timeline"]} == {"motcua.a"}
    dossier = Dossier.objects.get(code=code)
    assert dossier.tracking_number == "EL123456789VN"
    assert dossier.return_method == "postal"


def test_an_online_dossier_is_refused_at_intake_with_its_reason(world: World, calendar: None) -> None:
    code = file(bearer(world.a), channel="online")
    body = walk(signed_in(world.officer_a), code, ("refuse", {"reason": "Không thuộc thẩm quyền của Sở."}))
    assert body["national_status"]["code"] == S.REFUSED
    assert body["timeline"][-1]["action"] == "refuse"
    assert body["timeline"][-1]["note"] == "Không thuộc thẩm quyền của Sở."


def test_an_online_dossier_is_withdrawn_without_a_reason(world: World, calendar: None) -> None:
    code = file(bearer(world.a), channel="online")
    body = walk(signed_in(world.officer_a), code, ("withdraw", None))
    assert body["national_status"]["code"] == S.WITHDRAWN


def test_a_dossier_in_processing_is_stopped_with_its_reason(world: World, calendar: None) -> None:
    client = signed_in(world.officer_a)
    code = file(client)
    body = walk(client, code, ("start-processing", None), ("stop", {"reason": "Người nộp đã mất."}))
    assert body["national_status"]["code"] == S.STOPPED
    assert body["timeline"][-1]["note"] == "Người nộp đã mất."


def test_the_credential_of_the_agency_acts_as_the_system(world: World, calendar: None) -> None:
    client = bearer(world.a)
    code = file(client)
    body = walk(
        client,
        code,
        ("start-processing", None),
        ("finish", None),
        ("return-result", {"method": "electronic"}),
    )
    assert body["national_status"]["code"] == S.RETURNED
    assert {e["actor"] for e in body["timeline"]} == {"hệ thống"}


def test_a_specialist_processes_but_may_not_return_the_result(world: World, calendar: None) -> None:
    code = file(signed_in(world.officer_a))
    specialist = signed_in(world.specialist_a)
    body = walk(specialist, code, ("start-processing", None), ("finish", None))
    assert body["timeline"][-1]["actor"] == "chuyenvien.a"
    response = act(specialist, code, "return-result", {"method": "desk"})
    assert response.status_code == 403, response.content
    assert status_of(code) == S.FINISHED


def test_an_action_from_the_wrong_status_answers_409_naming_national_status(
    world: World, calendar: None
) -> None:
    client = signed_in(world.officer_a)
    code = file(client)  # a desk dossier: status 2
    for action, body in (
        ("refuse", {"reason": "Sai mẫu."}),
        ("finish", None),
        ("answer-supplement", None),
        ("return-result", {"method": "desk"}),
    ):
        response = act(client, code, action, body)
        assert response.status_code == 409, (action, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "national_status"
    assert status_of(code) == S.ACCEPTED


def test_a_postal_return_without_tracking_number_answers_400_naming_it(world: World, calendar: None) -> None:
    client = signed_in(world.officer_a)
    code = file(client)
    walk(client, code, ("start-processing", None), ("finish", None))
    response = act(client, code, "return-result", {"method": "postal"})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    error = response.json()["errors"][0]
    assert (error["field"], error["rule"]) == ("tracking_number", "required_for_postal")
    assert status_of(code) == S.FINISHED


def test_a_supplement_request_with_a_blank_reason_answers_400_naming_reason(
    world: World, calendar: None
) -> None:
    client = signed_in(world.officer_a)
    code = file(client)
    response = act(client, code, "request-supplement", {"reason": "   "})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "reason"
    missing = act(client, code, "request-supplement", {})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "reason"


def test_an_unknown_return_method_answers_422_naming_method(world: World, calendar: None) -> None:
    client = signed_in(world.officer_a)
    code = file(client)
    response = act(client, code, "return-result", {"method": "pigeon"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "method"


def test_a_stale_expected_version_answers_409(world: World, calendar: None) -> None:
    client = signed_in(world.officer_a)
    code = file(client)
    walk(client, code, ("start-processing", {"expected_version": 1}))
    response = act(client, code, "stop", {"reason": "Trùng hồ sơ.", "expected_version": 1})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    assert status_of(code) == S.PROCESSING


def test_credential_of_agency_a_cannot_act_on_agency_b_dossier(world: World, calendar: None) -> None:
    code_b = file(bearer(world.b), agency=CODE_B, procedure=P_ONLY_B)
    client = bearer(world.a)
    for action, body in (("start-processing", None), ("stop", {"reason": "Thử."}), ("withdraw", None)):
        response = act(client, code_b, action, body)
        assert response.status_code == 404, (action, response.content)
        assert response["Content-Type"] == "application/problem+json"
    assert status_of(code_b) == S.ACCEPTED


def test_officer_of_agency_b_cannot_act_on_agency_a_dossier(world: World, calendar: None) -> None:
    code = file(signed_in(world.officer_a))
    assert act(signed_in(world.officer_b), code, "start-processing").status_code == 404
    assert status_of(code) == S.ACCEPTED


def test_an_action_dated_in_the_future_answers_400_naming_at(
    world: World, calendar: None, clock: Clock
) -> None:
    clock(vn(2027, 2, 3, 9))
    client = signed_in(world.officer_a)
    code = file(client)
    response = act(client, code, "start-processing", {"at": "2027-02-05T09:00:00+07:00"})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "at"


def test_an_unknown_action_answers_a_404_problem(world: World, calendar: None) -> None:
    client = signed_in(world.officer_a)
    code = file(client)
    response = act(client, code, "teleport", {})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert status_of(code) == S.ACCEPTED


def test_without_credentials_an_action_answers_401(world: World, calendar: None) -> None:
    code = file(signed_in(world.officer_a))
    assert act(Client(), code, "start-processing").status_code == 401


def test_openapi_lists_every_action_path(world: World) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for name in (
        "accept",
        "refuse",
        "request-supplement",
        "answer-supplement",
        "start-processing",
        "finish",
        "return-result",
        "withdraw",
        "stop",
    ):
        assert "post" in paths[f"/api/v1/dossiers/{{code}}/actions/{name}"], name
    assert "/api/v1/dossiers/{code}/actions/{action}" not in paths
