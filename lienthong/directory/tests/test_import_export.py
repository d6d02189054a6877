"""Importing and exporting the directory: all rows or nothing, idempotent, round trips, CLI and pages."""

from __future__ import annotations

import io
import random
import time
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lienthong.audit.models import AuditEntry
from lienthong.cli import main as lienthong_main
from lienthong.core.errors import DomainError, PermissionDenied
from lienthong.directory import services
from lienthong.directory.exporting import directory_records, export_directory, write_csv, write_xlsx
from lienthong.directory.importing import import_directory
from lienthong.directory.models import Agency, Role, Unit
from lienthong.directory.tabular import AgencyRow, UnitRow

pytestmark = pytest.mark.django_db

PROVINCE = "000.00.00.H99"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploads waiting for "Áp dụng" go to a fresh folder per test."""
    default = {
        "BACKEND": "lienthong.core.storage.DurableFileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    settings.STORAGES = {**settings.STORAGES, "default": default}


UNIT_KINDS = ["office", "department", "department", "department", "board", "onestop", "other"]


def province_records(departments: int = 30, communes: int = 170, units_each: int = 7) -> list:
    """A fictional province: the People's Committee, departments, communes, each with ``units_each`` units.

    The defaults give 201 agencies and 1,407 + 201 = 1,608 units: 1,809 rows, the size of a real province.
    """
    agencies = [AgencyRow(0, PROVINCE, "Ủy ban nhân dân tỉnh Mẫu", "UBND", "province", address="Số 1 Lê Lợi",
                          phone="0237 3852 000", email="ubnd@mau.gov.vn", website="https://mau.gov.vn",
                          valid_from=date(2025, 7, 1))]  # fmt: skip
    agencies += [
        AgencyRow(0, f"000.00.{i:02d}.H99", f"Sở số {i}", f"S{i}", "province", PROVINCE)
        for i in range(1, departments + 1)
    ]
    agencies += [
        AgencyRow(0, f"000.{i % 100:02d}.{50 + i // 100:02d}.H99", f"Ủy ban nhân dân xã số {i}", "UBND", "commune",
                  PROVINCE, valid_from=date(2025, 7, 1))
        for i in range(1, communes + 1)
    ]  # fmt: skip
    units = []
    for agency in agencies:
        units.append(UnitRow(0, agency.code, "VP", "Văn phòng", "VP", "office"))
        units += [
            UnitRow(0, agency.code, f"P{n}", f"Phòng số {n}", f"P{n}", UNIT_KINDS[n % len(UNIT_KINDS)], "VP")
            for n in range(1, units_each + 1)
        ]
    return agencies + units


def shuffled(records: list, seed: int = 7) -> list:
    """The same records with children before parents, as a clerk's sorted sheet may have them."""
    copy = list(records)
    random.Random(seed).shuffle(copy)
    return copy


def small_file() -> bytes:
    return write_csv(province_records(departments=2, communes=2, units_each=2))


def test_a_good_file_imports_agencies_and_units_with_an_audit_entry_each():
    result = import_directory(actor=None, content=small_file())

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged, result.applied) == (20, 0, 0, True)
    assert Agency.objects.count() == 5 and Unit.objects.count() == 15
    commune = Agency.objects.get(code="000.01.50.H99")
    assert (commune.parent.code, commune.tier, commune.valid_from) == (PROVINCE, "commune", date(2025, 7, 1))
    assert Unit.objects.get(agency=commune, code="P1").parent.code == "VP"
    assert AuditEntry.objects.filter(action="agency.create").count() == 5
    assert AuditEntry.objects.filter(action="unit.create").count() == 15


def test_one_bad_row_among_many_writes_nothing_and_names_its_line_and_reason():
    records = province_records(departments=10, communes=30, units_each=3)
    content = write_csv(records).decode("utf-8-sig").splitlines()
    content[57] = content[57].replace(
        ".H99,", ".H9X,", 1
    )  # line 58 in Excel: a unit row with a bad agency code
    before = AuditEntry.objects.count()

    result = import_directory(actor=None, content="\r\n".join(content).encode())

    assert not result.applied
    assert [(e.line, e.column, e.rule) for e in result.errors] == [(58, "Mã định danh", "agency_code_shape")]
    assert "NNN.NN.NN.XNN" in result.errors[0].message
    assert Agency.objects.count() == 0 and Unit.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_an_overlong_email_is_refused_before_anything_is_written():
    records = province_records(departments=2, communes=1, units_each=1)
    records.append(
        AgencyRow(0, "000.00.09.H99", "Sở", "S9", "province", email="x@y.vn", website="https://x.vn")
    )
    content = write_csv(records).replace(b"x@y.vn", b"x" * 250 + b"@y.vn")

    result = import_directory(actor=None, content=content)

    assert [(e.column, e.rule) for e in result.errors] == [("Thư điện tử", "max_length")]
    assert Agency.objects.count() == 0


def test_csv_from_excel_with_bom_and_semicolons_imports():
    content = write_csv(shuffled(province_records(departments=3, communes=3, units_each=2)), delimiter=";")
    assert content.startswith("\ufeff".encode()) and b";" in content.splitlines()[0]

    result = import_directory(actor=None, content=content)

    assert result.errors == [] and result.created == 7 + 21


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    content = write_xlsx(shuffled(province_records(departments=3, communes=3, units_each=2)))
    import_directory(actor=None, content=content)
    entries = AuditEntry.objects.count()

    again = import_directory(actor=None, content=content)

    assert again.errors == [] and again.changes == [] and again.unchanged == 28
    assert not again.applied
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_of_the_exported_file_reports_no_change(fmt):
    import_directory(actor=None, content=small_file())
    province = Agency.objects.get(code=PROVINCE)
    services.update_agency(actor=None, agency=province, phone="+84 237 3852 000", valid_to=date(2030, 1, 1))
    entries = AuditEntry.objects.count()

    exported = export_directory(viewer=None, fmt=fmt)
    result = import_directory(actor=None, content=exported)

    assert result.errors == [] and result.changes == [] and result.unchanged == 20
    assert AuditEntry.objects.count() == entries


def test_xlsx_round_trip_carries_an_edit_made_in_excel():
    import openpyxl

    import_directory(actor=None, content=small_file())
    workbook = openpyxl.load_workbook(io.BytesIO(export_directory(viewer=None, fmt="xlsx")))
    sheet = workbook.active
    sheet["D2"] = "Ủy ban nhân dân tỉnh Mẫu (mới)"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_directory(actor=None, content=buffer.getvalue())

    assert [(c.label, c.changes) for c in result.changes] == [
        (PROVINCE, {"Tên": ["Ủy ban nhân dân tỉnh Mẫu", "Ủy ban nhân dân tỉnh Mẫu (mới)"]})
    ]
    assert Agency.objects.get(code=PROVINCE).name.endswith("(mới)")


def test_2025_merger_rows_close_old_agencies_and_point_to_their_successor():
    import_directory(actor=None, content=write_csv([
        AgencyRow(0, "000.00.00.H98", "UBND tỉnh Cũ A", "UBND", "province"),
        AgencyRow(0, "000.00.00.H97", "UBND tỉnh Cũ B", "UBND", "province"),
    ]))  # fmt: skip
    merger = [
        AgencyRow(0, "000.00.00.H98", "UBND tỉnh Cũ A", "UBND", "province", is_active=False,
                  valid_to=date(2025, 6, 30), successor_code=PROVINCE),
        AgencyRow(0, "000.00.00.H97", "UBND tỉnh Cũ B", "UBND", "province", is_active=False,
                  valid_to=date(2025, 6, 30), successor_code=PROVINCE),
        AgencyRow(0, PROVINCE, "UBND tỉnh Mới", "UBND", "province", valid_from=date(2025, 7, 1)),
    ]  # fmt: skip

    result = import_directory(actor=None, content=write_csv(merger))

    assert result.errors == [] and (result.created, result.updated) == (1, 2)
    old = Agency.objects.get(code="000.00.00.H98")
    assert (old.is_active, old.valid_to, old.successor.code) == (False, date(2025, 6, 30), PROVINCE)
    assert set(Agency.objects.get(code=PROVINCE).predecessors.values_list("code", flat=True)) == {
        "000.00.00.H98", "000.00.00.H97",
    }  # fmt: skip
    assert import_directory(actor=None, content=write_csv(merger)).changes == []


def test_agencies_naming_each_other_as_successor_are_written_in_two_passes():
    records = [
        AgencyRow(0, "000.00.00.H98", "A", "A", "province", successor_code="000.00.00.H97"),
        AgencyRow(0, "000.00.00.H97", "B", "B", "province", successor_code="000.00.00.H98"),
    ]

    result = import_directory(actor=None, content=write_csv(records))

    assert result.errors == []
    assert Agency.objects.get(code="000.00.00.H98").successor.code == "000.00.00.H97"
    assert Agency.objects.get(code="000.00.00.H97").successor.code == "000.00.00.H98"


def test_columns_missing_from_the_file_are_left_as_they_are():
    import_directory(actor=None, content=small_file())
    content = "Loại bản ghi;Mã định danh;Tên\nco_quan;000.00.00.H99;UBND tỉnh Mẫu mới\n".encode()

    result = import_directory(actor=None, content=content)

    province = Agency.objects.get(code=PROVINCE)
    assert result.updated == 1
    assert (province.name, province.address, province.email) == (
        "UBND tỉnh Mẫu mới",
        "Số 1 Lê Lợi",
        "ubnd@mau.gov.vn",
    )


def test_a_dry_run_reports_the_changes_and_writes_nothing():
    result = import_directory(actor=None, content=small_file(), dry_run=True)

    assert result.created == 20 and not result.applied
    assert Agency.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_an_unreadable_file_is_refused_naming_the_rule():
    with pytest.raises(DomainError) as caught:
        import_directory(actor=None, content=b"%PDF-1.7\x00\x00")
    assert (caught.value.field, caught.value.rule) == ("file", "file_type")


def test_only_system_administrators_import(django_user_model):
    clerk = services.create_person(actor=None, username="vanthu", full_name="Văn thư")

    with pytest.raises(PermissionDenied):
        import_directory(actor=clerk, content=small_file())


def test_a_province_file_of_1800_rows_imports_in_seconds():
    records = province_records()
    assert len(records) >= 1800
    content = write_xlsx(shuffled(records))

    started = time.perf_counter()
    preview = import_directory(actor=None, content=content, dry_run=True)
    preview_seconds = time.perf_counter() - started
    assert preview.created == len(records) and Agency.objects.count() == 0
    started = time.perf_counter()
    first = import_directory(actor=None, content=content)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = import_directory(actor=None, content=content)
    again_seconds = time.perf_counter() - started

    assert first.errors == [] and first.created == len(records)
    assert again.changes == [] and again.unchanged == len(records)
    print(
        f"\n{len(records)} rows: preview {preview_seconds:.2f} s, first import {first_seconds:.2f} s, "
        f"unchanged re-import {again_seconds:.2f} s"
    )
    assert preview_seconds < 10 and first_seconds < 60 and again_seconds < 10


# --- command line ------------------------------------------------------------------------------------------


def test_cli_imports_and_exports(tmp_path):
    source = tmp_path / "danh-ba.csv"
    source.write_bytes(small_file())
    out = io.StringIO()

    call_command("directory", "import", str(source), stdout=out)
    call_command("directory", "export", str(tmp_path / "xuat.xlsx"))
    call_command("directory", "import", str(tmp_path / "xuat.xlsx"), stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith("20 dòng: đã thêm 20, đã sửa 0, 0 không đổi")
    assert second.startswith("20 dòng: đã thêm 0, đã sửa 0, 20 không đổi")


def test_cli_dry_run_writes_nothing(tmp_path):
    source = tmp_path / "danh-ba.xlsx"
    source.write_bytes(write_xlsx(province_records(departments=1, communes=0, units_each=0)))
    out = io.StringIO()

    call_command("directory", "import", str(source), "--dry-run", stdout=out)

    assert "Chạy thử" in out.getvalue() and Agency.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_cli_exits_non_zero_with_the_row_errors_on_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "loi.csv"
    bad.write_text("Loại bản ghi,Mã định danh,Tên,Tên viết tắt,Cấp\nco_quan,000.00.00.H99,UBND,UBND,tinh\n"
                   "co_quan,H99,Sở,S,tinh\nco_quan,000.00.01.H99,Sở,S,vùng\n", encoding="utf-8")  # fmt: skip

    with pytest.raises(SystemExit) as exited:
        lienthong_main(["lienthong", "directory", "import", str(bad)])

    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert "Dòng 3, Mã định danh: 'H99' sai định dạng" in err
    assert "Dòng 4, Cấp: 'vùng' không phải cấp hợp lệ" in err
    assert "không ghi gì" in err
    assert Agency.objects.count() == 0


def test_cli_export_needs_a_known_format(tmp_path):
    with pytest.raises(CommandError, match="--format"):
        call_command("directory", "export", str(tmp_path / "danh-ba.txt"))
    call_command("directory", "export", str(tmp_path / "danh-ba.txt"), "--format", "csv")
    assert (tmp_path / "danh-ba.txt").read_bytes().startswith("\ufeffLoại bản ghi".encode())


# --- pages ---------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = services.create_person(actor=None, username="quantri", full_name="Quản trị", is_superuser=True,
                                   is_staff=True)  # fmt: skip
    client.force_login(admin)
    return client


def test_system_admin_previews_an_upload_then_applies_it(admin_client):
    upload = io.BytesIO(small_file())
    upload.name = "danh-ba.csv"

    preview = admin_client.post(reverse("directory:import"), {"file": upload})

    assert preview.status_code == 200
    assert "Sẽ thêm 20, sửa 0, 0 dòng không đổi." in preview.text
    assert Agency.objects.count() == 0
    token = preview.context["token"]
    applied = admin_client.post(reverse("directory:import_apply"), {"token": token}, follow=True)
    assert "Đã nhập danh-ba.csv: thêm 20, sửa 0, 0 dòng không đổi." in applied.text
    assert Agency.objects.count() == 5
    again = admin_client.post(reverse("directory:import_apply"), {"token": token}, follow=True)
    assert "Không còn tệp chờ áp dụng" in again.text


def test_upload_page_lists_every_bad_row_and_offers_no_apply(admin_client):
    lines = small_file().decode("utf-8-sig").splitlines()
    lines[2] = lines[2].replace(",tinh,", ",vùng,")
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "loi.csv"

    page = admin_client.post(reverse("directory:import"), {"file": upload})

    assert page.status_code == 200
    assert "Có 1 lỗi: không dòng nào được ghi." in page.text
    assert "&#x27;vùng&#x27; không phải cấp hợp lệ" in page.text
    assert "Áp dụng các thay đổi" not in page.text and not page.context["token"]


def test_upload_of_a_non_spreadsheet_is_refused_with_a_message(admin_client):
    upload = io.BytesIO(b"%PDF-1.7\x00binary")
    upload.name = "danh-ba.xlsx"

    page = admin_client.post(reverse("directory:import"), {"file": upload})

    assert page.status_code == 400
    assert "không phải CSV hay XLSX" in page.text


def test_an_officer_may_not_open_the_import_page(client):
    officer = services.create_person(actor=None, username="chuyenvien", full_name="Chuyên viên")
    client.force_login(officer)

    assert client.get(reverse("directory:import")).status_code == 403
    assert client.post(reverse("directory:import_apply"), {"token": "x"}).status_code == 403


def test_an_officer_exports_only_the_agencies_where_they_hold_a_role(client):
    import_directory(actor=None, content=small_file())
    officer = services.create_person(actor=None, username="chuyenvien", full_name="Chuyên viên")
    services.grant_role(actor=None, person=officer, agency=Agency.objects.get(code="000.00.01.H99"),
                        role=Role.SPECIALIST)  # fmt: skip
    client.force_login(officer)

    page = client.get(reverse("directory:export"))
    response = client.get(reverse("directory:export_download"), {"dinh_dang": "csv"})

    assert "Tệp gồm 1 cơ quan" in page.text
    assert response["Content-Disposition"].startswith('attachment; filename="danh-ba-')
    rows = response.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 1 + 3
    assert all(",000.00.01.H99," in row for row in rows[1:])
    assert len(directory_records(viewer=officer)) == 4


def test_xlsx_download_is_a_spreadsheet(admin_client):
    import_directory(actor=None, content=small_file())

    response = admin_client.get(reverse("directory:export_download"), {"dinh_dang": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK\x03\x04")


def test_a_file_left_waiting_for_a_day_is_swept_on_the_next_upload(admin_client):
    import os

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from lienthong.directory.import_views import PENDING_DIR

    old = default_storage.save(f"{PENDING_DIR}/bo-quen.bin", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    upload = io.BytesIO(small_file())
    upload.name = "danh-ba.csv"

    admin_client.post(reverse("directory:import"), {"file": upload})

    assert not default_storage.exists(old)
    assert len(default_storage.listdir(PENDING_DIR)[1]) == 1  # the file just previewed waits
