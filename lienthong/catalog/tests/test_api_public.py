"""Public catalogue API: search, one procedure with its appointment, versions; problems for bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from lienthong.catalog import selectors, services
from lienthong.catalog.models import Procedure

from .test_search import (
    BIRTH,
    BUILDING_PERMIT,
    COMMUNE,
    CONSTRUCTION_DEPT,
    PROVINCE_CENTRE,
    cancel,
    procedure,
)

API = "/api/v1"


@pytest.fixture
def catalogue(db: None) -> dict[str, Procedure]:
    return {
        "permit": procedure("1.009999", "Cấp giấy phép xây dựng mới", **BUILDING_PERMIT),
        "birth": procedure("1.001193", "Đăng ký khai sinh", **BIRTH),
        "death": procedure("1.000656", "Đăng ký khai tử", **{**BIRTH, "online_level": "partial"}),
    }


def get(path: str, **params: Any) -> Any:
    return Client().get(API + path, params)


def test_search_without_diacritics_needs_no_credentials(catalogue: dict[str, Procedure]):
    response = get("/procedures", q="cap phep xay dung")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["page"] == 1 and body["pages"] == 1
    item = body["items"][0]
    assert item == {
        "code": "1.009999",
        "name": "Cấp giấy phép xây dựng mới",
        "field_code": "H99-XD01",
        "field_name": "Hoạt động xây dựng",
        "online_level": "partial",
        "status": "active",
        "tiers": ["province"],
        "processing_value": 15.0,
        "processing_unit": "working_days",
        "url": "/thu-tuc/1.009999/",
    }


def test_search_filters_by_field_agency_tier_and_level(catalogue: dict[str, Procedure]):
    def found(**params: Any) -> set[str]:
        return {i["code"] for i in get("/procedures", **params).json()["items"]}

    assert found(field="H99-HT01") == {"1.001193", "1.000656"}
    assert found(agency=CONSTRUCTION_DEPT) == {"1.009999"}
    assert found(tier="commune") == {"1.001193", "1.000656"}
    assert found(level="full") == {"1.001193"}
    assert found(q="dang ky", level="partial") == {"1.000656"}


def test_search_pages_hold_twenty(db: None):
    for n in range(21):
        procedure(f"2.{n:06d}", f"Thủ tục mẫu {n:02d}", **{**BIRTH, "agencies": ()})
    first = get("/procedures", q="mau").json()
    assert (first["count"], first["pages"], len(first["items"])) == (21, 2, 20)
    second = get("/procedures", q="mau", page=2).json()
    assert [i["name"] for i in second["items"]] == ["Thủ tục mẫu 20"]
    beyond = get("/procedures", q="mau", page=5).json()
    assert beyond["items"] == [] and beyond["page"] == 5 and beyond["count"] == 21


def test_cancelled_procedures_leave_the_api(catalogue: dict[str, Procedure]):
    cancel(catalogue["death"])
    assert {i["code"] for i in get("/procedures").json()["items"]} == {"1.009999", "1.001193"}
    for path in ("/procedures/1.000656", "/procedures/1.000656/versions", "/procedures/1.000656/versions/1"):
        response = get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


def test_one_procedure_with_local_codes_and_the_appointment(catalogue: dict[str, Procedure]):
    response = get("/procedures/1.009999")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Cấp giấy phép xây dựng mới"
    assert body["version"] == 1
    assert body["fees"] == [{"case": "", "amount": 150_000, "kind": "lệ phí"}]
    assert body["components"][1]["file_types"] == ["pdf", "dwg"]
    assert body["components"][0]["template_url"] == "https://example.gov.vn/mau-01.docx"
    assert body["receiving_agency"] == PROVINCE_CENTRE
    assert body["receiving_agency_name"] == "Trung tâm Phục vụ hành chính công tỉnh Sông Lam"
    assert body["local_codes"] == [
        {
            "agency_code": CONSTRUCTION_DEPT,
            "agency_name": "Sở Xây dựng tỉnh Sông Lam",
            "local_code": f"1.009999.{CONSTRUCTION_DEPT}",
        }
    ]
    due = datetime.fromisoformat(body["appointment"]["due"])
    assert due.utcoffset() is not None and due.utcoffset().total_seconds() == 7 * 3600
    assert due > datetime.fromisoformat(body["appointment"]["submitted"])
    assert body["appointment"]["agency_code"] == PROVINCE_CENTRE


def test_suspended_procedure_has_no_appointment(catalogue: dict[str, Procedure]):
    birth = catalogue["birth"]
    services.save_procedure(actor=None, record=replace(selectors.current_record(birth), status="suspended"))
    body = get("/procedures/1.001193").json()
    assert body["status"] == "suspended"
    assert body["appointment"] is None
    assert body["local_codes"][0]["local_code"] == f"1.001193.{COMMUNE}"


def test_versions_list_and_one_version(catalogue: dict[str, Procedure]):
    birth = catalogue["birth"]
    current = selectors.current_record(birth)
    services.save_procedure(actor=None, record=replace(current, processing_value=2, steps="Nộp hồ sơ."))
    versions = get("/procedures/1.001193/versions").json()
    assert [(v["number"], v["current"], v["changed_fields"]) for v in versions] == [
        (1, False, []),
        (2, True, ["processing_value", "steps"]),
    ]
    first = get("/procedures/1.001193/versions/1").json()
    assert first["number"] == 1
    assert first["record"]["processing_value"] == 1.0
    assert get("/procedures/1.001193/versions/2").json()["record"]["steps"] == "Nộp hồ sơ."
    missing = get("/procedures/1.001193/versions/7")
    assert missing.status_code == 404


def test_unknown_code_is_a_404_problem(catalogue: dict[str, Procedure]):
    response = get("/procedures/1.234567")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "1.234567" in response.json()["detail"]


def test_code_of_the_wrong_shape_is_a_422_naming_code(catalogue: dict[str, Procedure]):
    for path in ("/procedures/khai-sinh", "/procedures/1.1193/versions", "/procedures/9.001193/versions/1"):
        response = get(path)
        assert response.status_code == 422, path
        assert [e["field"] for e in response.json()["errors"]] == ["code"], path


def test_unknown_level_or_tier_is_a_422_naming_it(catalogue: dict[str, Procedure]):
    response = get("/procedures", level="online")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["level"]
    assert [e["field"] for e in get("/procedures", tier="galaxy").json()["errors"]] == ["tier"]
    assert [e["field"] for e in get("/procedures", page=0).json()["errors"]] == ["page"]


def test_the_schema_documents_the_public_endpoints(db: None):
    schema = get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/procedures/{code}/versions",
        "/api/v1/procedures/{code}/versions/{number}",
    ):
        assert "get" in paths[path], path
    assert "security" not in paths["/api/v1/procedures"]["get"]
    procedure_schema = schema["components"]["schemas"]["ProcedureOut"]["properties"]
    assert procedure_schema["appointment"]["description"].startswith("Ngày hẹn trả")
    assert procedure_schema["code"]["description"] == "Mã thủ tục quốc gia."


def test_public_routes_do_not_shadow_the_import_endpoints(db: None):
    # POST /procedures/imports must reach the import endpoint (401 without sign-in), not the public
    # GET /procedures/{code} route (which would answer 405). Needs the import router mounted first in api.py.
    response = Client().post(f"{API}/procedures/imports", {})
    assert response.status_code != 405
