"""Importing procedures: the dry run's new / changed / cancelled sets and diffs, applying, API, pages and CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from lienthong.audit.models import AuditEntry
from lienthong.catalog import services
from lienthong.catalog.importing import apply_import, preview_import
from lienthong.catalog.models import CatalogImport, Procedure, ProcedureVersion
from lienthong.catalog.record import Component, ProcedureRecord
from lienthong.catalog.xlsx import write_xlsx
from lienthong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from lienthong.directory import services as directory
from lienthong.directory.models import Agency, Person, Role

from .test_national import COMMUNE, PROVINCE, as_bytes, national
from .test_xlsx import sheet

pytestmark = pytest.mark.django_db
API = "/api/v1/procedures/imports"
OTHER_PROVINCE = "000.00.00.H56"


@dataclass
class World:
    province: Agency
    commune: Agency
    admin: Person
    officer: Person
    token: str


@pytest.fixture
def world(db: None) -> World:
    province = directory.create_agency(
        actor=None, code=PROVINCE, name="Ủy ban nhân dân tỉnh Sông Lam", short_name="UBND", tier="province"
    )
    commune = directory.create_agency(
        actor=None, code=COMMUNE, name="Ủy ban nhân dân xã Hoà An", short_name="UBND", tier="commune"
    )
    admin = directory.create_person(actor=None, username="quantri", full_name="Phạm Thị Dung")
    directory.grant_role(actor=None, person=admin, agency=province, role=Role.SYSTEM_ADMIN)
    admin.refresh_from_db()
    officer = directory.create_person(actor=None, username="canbo", full_name="Lê Văn Cường")
    directory.grant_role(actor=None, person=officer, agency=province, role=Role.AGENCY_ADMIN)
    _credential, token = directory.create_api_credential(actor=None, agency=province, name="Một cửa")
    return World(province, commune, admin, officer, token)


def first_file() -> bytes:
    return as_bytes(
        {
            "data": [
                national("1.000001", "Cấp giấy phép xây dựng", agencies=(PROVINCE, OTHER_PROVINCE)),
                national("1.000002", "Cấp giấy phép in", field=("H99-TT01", "Thông tin và truyền thông")),
                national("1.000003", "Đăng ký máy photocopy màu", days=3),
                national("1.000004", "Đăng ký khai sinh", days=1, CAPTHUCHIEN="Cấp Xã", agencies=(COMMUNE,)),
            ]
        }
    )


def second_file() -> bytes:
    """1.000001 changes its time and fee; 1.000002 is gone; 1.000003 is marked cancelled; 1.000005 is new."""
    return as_bytes(
        [
            national("1.000001", "Cấp giấy phép xây dựng", days=10, fee="75.000", agencies=(PROVINCE,)),
            national("1.000003", "Đăng ký máy photocopy màu", days=3, TRANGTHAI="Đã bãi bỏ"),
            national("1.000004", "Đăng ký khai sinh", days=1, CAPTHUCHIEN="Cấp Xã", agencies=(COMMUNE,)),
            national("1.000005", "Cấp giấy phép hoạt động in", days=5),
        ]
    )


def imported_first(world: World) -> None:
    apply_import(
        actor=world.admin,
        import_id=preview_import(actor=world.admin, file_name="a.json", content=first_file()).pk,
    )


def codes(rows: list[dict[str, Any]]) -> list[str]:
    return [row["code"] for row in rows]


def test_the_dry_run_of_a_first_national_file_lists_everything_as_new_and_writes_nothing(
    world: World,
) -> None:
    imported = preview_import(actor=world.admin, file_name="tthc.json", content=first_file())
    report = imported.report
    assert codes(report["new"]) == ["1.000001", "1.000002", "1.000003", "1.000004"]
    assert report["changed"] == report["cancelled"] == report["errors"] == []
    assert report["format"] == "national" and report["cancel_rule"] == "marked_or_missing"
    assert [w["text"] for w in report["warnings"]] == [
        "Bản ghi 1 (1.000001): COQUANTHUCHIEN: không có trong danh bạ, bỏ qua: 000.00.00.H56."
    ]
    assert Procedure.objects.count() == 0
    assert imported.applied_at is None and imported.created_by == "quantri"
    assert bytes(imported.content) == first_file()


def test_applying_writes_a_version_per_procedure_and_records_who_and_when(world: World) -> None:
    imported = preview_import(actor=world.admin, file_name="tthc.json", content=first_file())
    report = apply_import(actor=world.admin, import_id=imported.pk)
    imported.refresh_from_db()
    assert imported.applied_by == "quantri" and imported.applied_at is not None
    assert report["applied_by"] == "quantri"
    assert Procedure.objects.filter(status="active").count() == 4
    building = Procedure.objects.get(code="1.000001")
    assert building.current_version.number == 1
    assert f"lần nhập {imported.pk}" in building.current_version.source
    assert list(building.implementations.values_list("local_code", flat=True)) == [f"1.000001.{PROVINCE}"]
    assert AuditEntry.objects.filter(action="catalog_import.apply", object_id=str(imported.pk)).count() == 1


def test_a_changed_file_reports_new_changed_and_cancelled_procedures_with_their_diffs(world: World) -> None:
    imported_first(world)
    report = preview_import(actor=world.admin, file_name="tthc-2.json", content=second_file()).report
    assert codes(report["new"]) == ["1.000005"]
    assert codes(report["changed"]) == ["1.000001"]
    assert report["changed"][0]["changes"] == {
        "processing_value": [15, 10],
        "fees": [
            [{"case": "", "amount": 50000, "kind": "lệ phí"}],
            [{"case": "", "amount": 75000, "kind": "lệ phí"}],
        ],
    }
    assert codes(report["unchanged"]) == ["1.000004"]
    cancelled = {row["code"]: row["reason"] for row in report["cancelled"]}
    assert cancelled == {"1.000003": "marked", "1.000002": "missing"}
    assert Procedure.objects.get(code="1.000001").processing_value == 15  # nothing written yet


def test_applying_keeps_cancelled_procedures_with_their_versions_and_agencies(world: World) -> None:
    imported_first(world)
    imported = preview_import(actor=world.admin, file_name="tthc-2.json", content=second_file())
    apply_import(actor=world.admin, import_id=imported.pk)
    statuses = dict(Procedure.objects.values_list("code", "status"))
    assert statuses == {
        "1.000001": "active",
        "1.000002": "cancelled",
        "1.000003": "cancelled",
        "1.000004": "active",
        "1.000005": "active",
    }
    printing = Procedure.objects.get(code="1.000002")
    assert list(printing.versions.values_list("number", "record__status")) == [
        (1, "active"),
        (2, "cancelled"),
    ]
    assert printing.implementations.count() == 1  # still referenced: kept, never deleted
    assert Procedure.objects.get(code="1.000001").current_version.number == 2
    assert Procedure.objects.get(code="1.000004").current_version.number == 1


def test_with_keep_missing_only_procedures_the_file_marks_are_cancelled(world: World) -> None:
    imported_first(world)
    report = preview_import(
        actor=world.admin, file_name="tthc-2.json", content=second_file(), missing_means_cancelled=False
    ).report
    assert report["cancel_rule"] == "marked_only"
    assert codes(report["cancelled"]) == ["1.000003"]


def test_a_cancelled_procedure_that_returns_in_the_file_is_reinstated(world: World) -> None:
    imported_first(world)
    apply_import(
        actor=world.admin,
        import_id=preview_import(actor=world.admin, file_name="b", content=second_file()).pk,
    )
    report = preview_import(actor=world.admin, file_name="c", content=first_file()).report
    assert set(codes(report["changed"])) >= {"1.000002", "1.000003"}
    assert report["changed"][1]["changes"]["status"] == ["cancelled", "active"]


def test_a_locally_suspended_procedure_stays_suspended_unless_the_file_gives_a_status(world: World) -> None:
    imported_first(world)
    record = ProcedureRecord.from_dict(Procedure.objects.get(code="1.000004").current_version.record)
    services.save_procedure(actor=world.admin, record=replace(record, status="suspended"))
    report = preview_import(actor=world.admin, file_name="e", content=first_file()).report
    assert codes(report["changed"]) == []
    again = as_bytes([national("1.000004", "Đăng ký khai sinh", days=1, CAPTHUCHIEN="Cấp Xã", agencies=(COMMUNE,),
                               TRANGTHAI="Đang áp dụng")])  # fmt: skip
    report = preview_import(
        actor=world.admin, file_name="f", content=again, missing_means_cancelled=False
    ).report
    assert report["changed"][0]["changes"] == {"status": ["suspended", "active"]}


def test_fields_the_file_leaves_out_keep_what_the_catalogue_has(world: World) -> None:
    imported_first(world)
    procedure = Procedure.objects.get(code="1.000001")
    record = ProcedureRecord.from_dict(procedure.current_version.record)
    edited = replace(
        record,
        receiving_agency=PROVINCE,
        components=(
            replace(record.components[0], file_types=("pdf", "docx"), required=False),
            *record.components[1:],
        ),
    )
    services.save_procedure(actor=world.admin, record=edited)
    no_agencies = national("1.000001", "Cấp giấy phép xây dựng", agencies=(OTHER_PROVINCE,))
    del no_agencies["MUCDO"]
    report = preview_import(
        actor=world.admin, file_name="d", content=as_bytes([no_agencies]), missing_means_cancelled=False
    ).report
    assert codes(report["unchanged"]) == ["1.000001"], report["changed"]


def test_a_file_with_an_invalid_record_writes_nothing_on_apply(world: World) -> None:
    content = as_bytes([national("1.000001", "A"), national("1.000002", "B", days="abc")])
    imported = preview_import(actor=world.admin, file_name="x.json", content=content)
    assert [e["text"] for e in imported.report["errors"]] == [
        'Bản ghi 2 (1.000002): CACHTHUCTHUCHIEN.THOIGIAN.THOIGIANGIAIQUYET: phải là số không âm (nhận được "abc").'
    ]
    with pytest.raises(DomainError) as caught:
        apply_import(actor=world.admin, import_id=imported.pk)
    assert caught.value.rule == "import_has_errors"
    assert Procedure.objects.count() == 0
    imported.refresh_from_db()
    assert imported.applied_at is None


def test_a_record_breaking_a_catalogue_rule_is_an_error_naming_the_national_field(world: World) -> None:
    content = as_bytes([national("1.00001", "A", field=("xây dựng", "Xây dựng"))])
    errors = preview_import(actor=world.admin, file_name="x.json", content=content).report["errors"]
    assert {e["field"] for e in errors} == {"MATTHC", "LINHVUCTHUCHIEN.MALINHVUC"}


def test_a_component_breaking_a_record_rule_is_named_by_its_item_number(world: World) -> None:
    record = ProcedureRecord(
        code="1.000009", name="A", field_code="H99-XD01", field_name="Xây dựng", processing_value=1,
        components=(Component(name="Tờ khai"), Component(name="Bản sao", copies=-1)),
    )  # fmt: skip
    report = preview_import(actor=world.admin, file_name="a.xlsx", content=write_xlsx([record])).report
    assert [e["text"] for e in report["errors"]] == [
        "Dòng 2 (1.000009): Thành phần hồ sơ, mục 2: số bản '-1' phải là số nguyên không âm."
    ]


def test_malformed_json_is_refused_before_anything_is_stored(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        preview_import(actor=world.admin, file_name="x.json", content=b'[{"MATTHC": }]')
    assert caught.value.field == "file" and "dòng 1, cột 13" in caught.value.message
    assert CatalogImport.objects.count() == 0


def test_applying_twice_is_refused(world: World) -> None:
    imported = preview_import(actor=world.admin, file_name="a.json", content=first_file())
    apply_import(actor=world.admin, import_id=imported.pk)
    with pytest.raises(Conflict) as caught:
        apply_import(actor=world.admin, import_id=imported.pk)
    assert caught.value.rule == "already_applied"
    assert ProcedureVersion.objects.count() == 4


def test_when_the_catalogue_changed_since_the_dry_run_apply_refuses_and_refreshes_the_report(
    world: World,
) -> None:
    imported_first(world)
    stale = preview_import(actor=world.admin, file_name="tthc-2.json", content=second_file())
    printing = Procedure.objects.get(code="1.000002")
    services.cancel_procedure(actor=world.admin, procedure=printing)  # someone else acted in between
    with pytest.raises(Conflict) as caught:
        apply_import(actor=world.admin, import_id=stale.pk)
    assert caught.value.rule == "catalogue_changed"
    stale.refresh_from_db()
    assert codes(stale.report["cancelled"]) == ["1.000003"] and stale.applied_at is None
    assert Procedure.objects.get(code="1.000001").processing_value == 15
    apply_import(actor=world.admin, import_id=stale.pk)  # the refreshed plan applies
    assert Procedure.objects.get(code="1.000001").processing_value == 10


def test_only_system_administrators_import(world: World) -> None:
    with pytest.raises(PermissionDenied):
        preview_import(actor=world.officer, file_name="a.json", content=first_file())
    imported = preview_import(actor=None, file_name="a.json", content=first_file())  # the command line
    with pytest.raises(PermissionDenied):
        apply_import(actor=world.officer, import_id=imported.pk)
    with pytest.raises(NotFound):
        apply_import(actor=world.admin, import_id=imported.pk + 1)


def test_an_exported_sheet_imports_back_unchanged_and_a_clerks_edit_shows_as_a_diff(world: World) -> None:
    imported_first(world)
    records = [
        ProcedureRecord.from_dict(p.current_version.record) for p in Procedure.objects.order_by("code")
    ]
    report = preview_import(actor=world.admin, file_name="dm.xlsx", content=write_xlsx(records)).report
    assert report["format"] == "xlsx" and report["cancel_rule"] == "marked_only"
    assert report["counts"]["unchanged"] == 4 and report["counts"]["errors"] == 0
    records[1] = replace(
        records[1], name="Cấp giấy phép hoạt động in", components=(Component(name="Tờ khai"),)
    )
    report = preview_import(actor=world.admin, file_name="dm.xlsx", content=write_xlsx(records)).report
    assert codes(report["changed"]) == ["1.000002"]
    assert set(report["changed"][0]["changes"]) == {"name", "components"}


def test_a_sheet_naming_an_agency_not_in_the_directory_is_an_error(world: World) -> None:
    record = ProcedureRecord(
        code="1.000009", name="A", field_code="H99-XD01", field_name="Xây dựng", processing_value=1,
        agencies=(PROVINCE, "000.00.77.H99"),
    )  # fmt: skip
    report = preview_import(actor=world.admin, file_name="a.xlsx", content=write_xlsx([record])).report
    assert [e["text"] for e in report["errors"]] == [
        "Dòng 2 (1.000009): Cơ quan thực hiện: chưa có trong danh bạ: 000.00.77.H99."
    ]


def test_a_new_procedure_in_a_sheet_needs_its_name_field_and_time(world: World) -> None:
    content = sheet([["Mã thủ tục", "Tên thủ tục"], ["1.000009", "Thủ tục mới"]])
    errors = preview_import(actor=world.admin, file_name="a.xlsx", content=content).report["errors"]
    assert {e["field"] for e in errors} == {"Mã lĩnh vực", "Tên lĩnh vực", "Thời hạn giải quyết"}
    assert {e["rule"] for e in errors} == {"required_for_new"}


# --- API -----------------------------------------------------------------------------------------------------


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def upload(client: Client, content: bytes, name: str = "tthc.json", **extra: Any) -> Any:
    return client.post(API, {"file": SimpleUploadedFile(name, content), **extra})


def test_the_api_dry_runs_shows_and_applies_an_import(world: World) -> None:
    client = signed_in(world.admin)
    created = upload(client, first_file())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["applied_at"] is None and body["report"]["counts"]["new"] == 4
    shown = client.get(f"{API}/{body['id']}")
    assert shown.status_code == 200 and shown.json()["report"] == body["report"]
    applied = client.post(f"{API}/{body['id']}/apply")
    assert applied.status_code == 200
    assert applied.json()["applied_by"] == "quantri"
    assert Procedure.objects.count() == 4
    again = client.post(f"{API}/{body['id']}/apply")
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert again.json()["type"].endswith("already_applied")


def test_the_api_takes_the_missing_means_cancelled_option(world: World) -> None:
    imported_first(world)
    body = upload(signed_in(world.admin), second_file(), missing_means_cancelled="false").json()
    assert body["report"]["cancel_rule"] == "marked_only"


def test_the_api_refuses_officers_and_api_credentials_with_403(world: World) -> None:
    imported = preview_import(actor=world.admin, file_name="a.json", content=first_file())
    officer = signed_in(world.officer)
    machine = Client(headers={"Authorization": f"Bearer {world.token}"})
    for client in (officer, machine):
        assert upload(client, first_file()).status_code == 403
        assert client.get(f"{API}/{imported.pk}").status_code == 403
        assert client.post(f"{API}/{imported.pk}/apply").status_code == 403
    assert machine.get(f"{API}/{imported.pk}").json()["type"].endswith("session_required")
    assert Client().get(f"{API}/{imported.pk}").status_code == 401
    assert Procedure.objects.count() == 0


def test_the_api_answers_404_for_an_unknown_import(world: World) -> None:
    client = signed_in(world.admin)
    assert client.get(f"{API}/999").status_code == 404
    response = client.post(f"{API}/999/apply")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_the_api_names_the_file_field_for_malformed_json(world: World) -> None:
    response = upload(signed_in(world.admin), b"[{")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_import_endpoints_are_in_the_openapi_schema(world: World) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/procedures/imports"]
    assert "get" in paths["/api/v1/procedures/imports/{import_id}"]
    assert "post" in paths["/api/v1/procedures/imports/{import_id}/apply"]


# --- pages ---------------------------------------------------------------------------------------------------


def test_an_administrator_uploads_reads_the_diff_and_applies_on_the_pages(world: World) -> None:
    imported_first(world)
    client = signed_in(world.admin)
    assert client.get(reverse("catalog:import")).status_code == 200
    response = client.post(
        reverse("catalog:import"),
        {"file": SimpleUploadedFile("tthc-2.json", second_file()), "missing": "auto"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Thời hạn giải quyết" in html and "<del>15</del>" in html and "<ins>10</ins>" in html
    assert "Không có trong tệp" in html and "Tệp ghi đã bãi bỏ" in html
    assert "Áp dụng" in html
    imported = CatalogImport.objects.order_by("-pk").first()
    applied = client.post(reverse("catalog:import_apply", args=[imported.pk]), follow=True)
    assert "Đã áp dụng: thêm 1, sửa 1, bãi bỏ 2 thủ tục." in applied.content.decode()
    imported.refresh_from_db()
    assert imported.applied_by == "quantri"


def test_the_import_pages_are_for_system_administrators_only(world: World) -> None:
    imported = preview_import(actor=world.admin, file_name="a.json", content=first_file())
    client = signed_in(world.officer)
    assert client.get(reverse("catalog:import")).status_code == 403
    assert client.get(reverse("catalog:import_detail", args=[imported.pk])).status_code == 403
    assert client.post(reverse("catalog:import_apply", args=[imported.pk])).status_code == 403
    assert Client().get(reverse("catalog:import")).status_code == 302  # to the sign-in page
    assert signed_in(world.admin).get(reverse("catalog:import_detail", args=[999])).status_code == 404


def test_a_page_upload_with_errors_shows_them_and_offers_no_apply(world: World) -> None:
    client = signed_in(world.admin)
    bad = as_bytes([national("1.000001", "A", unit="Tháng")])
    response = client.post(
        reverse("catalog:import"), {"file": SimpleUploadedFile("x.json", bad), "missing": "no"}, follow=True
    )
    html = response.content.decode()
    assert "CACHTHUCTHUCHIEN.THOIGIAN.DONVITINH" in html and "không áp dụng được" in html
    assert reverse("catalog:import_apply", args=[CatalogImport.objects.get().pk]) not in html
    malformed = client.post(
        reverse("catalog:import"), {"file": SimpleUploadedFile("x.json", b"{"), "missing": "auto"}
    )
    assert malformed.status_code == 400 and "sai cú pháp" in malformed.content.decode()


def test_the_current_catalogue_downloads_as_a_sheet_in_the_import_layout(world: World) -> None:
    imported_first(world)
    response = signed_in(world.admin).get(reverse("catalog:import_export"))
    assert response.status_code == 200
    report = preview_import(actor=world.admin, file_name="dm.xlsx", content=response.content).report
    assert report["counts"]["unchanged"] == 4


# --- command line --------------------------------------------------------------------------------------------


def test_the_command_dry_runs_then_applies(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tthc.json"
    path.write_bytes(first_file())
    call_command("catalog", "import", str(path))
    out = capsys.readouterr().out
    assert "[Chạy thử – chưa ghi] 4 thủ tục" in out and "4 thêm mới" in out
    assert Procedure.objects.count() == 0
    call_command("catalog", "import", str(path), "--apply")
    assert "Đã áp dụng lần nhập số" in capsys.readouterr().out
    assert Procedure.objects.count() == 4
    pending = CatalogImport.objects.filter(applied_at=None).get()
    with pytest.raises(CommandError, match="đã thay đổi từ lúc chạy thử"):
        call_command("catalog", "apply", str(pending.pk))  # the first dry run is stale now: recomputed
    call_command("catalog", "apply", str(pending.pk))  # the recomputed plan: nothing left to do
    assert "thêm 0, sửa 0, bãi bỏ 0, 4 không đổi" in capsys.readouterr().out
    assert CatalogImport.objects.filter(applied_at=None).count() == 0


def test_the_command_exits_3_and_writes_nothing_when_records_have_errors(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(json.dumps([national("1.000001", "A", days=-1)]).encode())
    with pytest.raises(CommandError) as caught:
        call_command("catalog", "import", str(path), "--apply")
    assert caught.value.returncode == 3
    assert Procedure.objects.count() == 0
    with pytest.raises(CommandError, match="sai cú pháp"):
        path.write_bytes(b"[1,")
        call_command("catalog", "import", str(path))
