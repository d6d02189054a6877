"""Reading and checking directory files (CSV/XLSX) without a database: lines, columns, rules, order."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from lienthong.core import spreadsheet
from lienthong.core.spreadsheet import FileRejected
from lienthong.directory import tabular
from lienthong.directory.exporting import write_csv, write_xlsx
from lienthong.directory.models import Agency, Tier, Unit, UnitKind
from lienthong.directory.tabular import AgencyRow, Existing, UnitRow, parse

HEADER = [
    "Loại bản ghi", "Mã định danh", "Mã đơn vị", "Tên", "Tên viết tắt", "Cấp", "Mã cơ quan cấp trên",
    "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Mã cơ quan kế thừa", "Loại đơn vị",
]  # fmt: skip
PROVINCE = ["co_quan", "000.00.00.H99", "", "UBND tỉnh Mẫu", "UBND", "tinh", "", "", "", "", "", ""]
SNV = ["co_quan", "000.00.01.H99", "", "Sở Nội vụ", "SNV", "tinh", "000.00.00.H99", "", "", "", "", ""]
OFFICE = ["don_vi", "000.00.01.H99", "VP", "Văn phòng Sở", "VP", "", "", "", "", "", "", "van_phong"]


def csv_bytes(
    rows: list[list[str]], *, delimiter: str = ",", bom: bool = False, header: list[str] = HEADER
) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in [header, *rows]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def errors_of(content: bytes, existing: Existing | None = None) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.rule) for e in parse(content, existing).errors]


def test_csv_with_bom_and_semicolons_reads_vietnamese_text():
    parsed = parse(csv_bytes([PROVINCE, SNV, OFFICE], delimiter=";", bom=True))

    assert parsed.errors == []
    assert [a.code for a in parsed.agencies] == ["000.00.00.H99", "000.00.01.H99"]
    assert parsed.agencies[1].name == "Sở Nội vụ"
    assert parsed.agencies[1].tier == "province"
    assert parsed.units == [UnitRow(4, "000.00.01.H99", "VP", "Văn phòng Sở", "VP", "office", "", True)]


def test_english_keys_and_headers_without_diacritics_are_accepted():
    header = ["record_type", "CODE", "name", "short_name", "Cap", "ma co quan cap tren"]
    content = csv_bytes([["agency", "000.00.00.H99", "UBND", "UBND", "province", ""]], header=header)

    parsed = parse(content)

    assert parsed.errors == []
    assert parsed.agencies[0].tier == "province"


def test_missing_required_column_is_reported_on_the_header_line():
    content = csv_bytes([["co_quan", "UBND"]], header=["Loại bản ghi", "Tên"])

    assert errors_of(content) == [(1, "Mã định danh", "required_column")]


def test_unknown_columns_are_ignored_and_listed():
    parsed = parse(csv_bytes([[*PROVINCE, "ghi chú"]], header=[*HEADER, "Ghi chú"]))

    assert parsed.errors == []
    assert parsed.ignored_headers == ["Ghi chú"]


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        (["co_quan", "000.00.2.H99", "", "Sở X", "SX", "tinh", "", "", "", "", "", ""], "Mã định danh",
         "agency_code_shape"),
        (["co_quan", "000.00.02.H99", "", "Sở X", "SX", "vùng", "", "", "", "", "", ""], "Cấp", "tier"),
        (["co_quan", "000.00.02.H99", "", "Sở X", "SX", "tinh", "000.00.00.H01", "", "", "", "", ""],
         "Mã cơ quan cấp trên", "unknown_agency"),
        (["co_quan", "000.00.01.H99", "", "Sở Y", "SY", "tinh", "", "", "", "", "", ""], "Mã định danh",
         "duplicate"),
        (["co_quan", "000.00.02.H99", "", "Sở X", "SX", "tinh", "", "", "31/02/2025", "", "", ""], "Hiệu lực từ",
         "date"),
        (["co_quan", "000.00.02.H99", "", "Sở X", "SX", "tinh", "", "", "01/07/2025", "30/06/2025", "", ""],
         "Hiệu lực đến", "valid_range"),
        (["co_quan", "000.00.02.H99", "", "Sở X", "SX", "tinh", "", "", "", "", "000.00.77.H99", ""],
         "Mã cơ quan kế thừa", "unknown_agency"),
        (["don_vi", "000.00.05.H99", "VP", "Văn phòng", "", "", "", "", "", "", "", ""], "Mã định danh",
         "unknown_unit_agency"),
        (["don_vi", "000.00.01.H99", "P1", "Phòng", "", "", "", "NOPE", "", "", "", ""], "Mã đơn vị cấp trên",
         "unknown_unit"),
        (["co_quan", "000.00.02.H99", "", "", "SX", "tinh", "", "", "", "", "", ""], "Tên", "required"),
        (["ban_ghi", "000.00.02.H99", "", "Sở X", "SX", "tinh", "", "", "", "", "", ""], "Loại bản ghi",
         "record_type"),
        (["don_vi", "000.00.01.H99", "P1", "Phòng", "", "", "", "", "", "", "", "tổ"], "Loại đơn vị", "unit_kind"),
    ],
)  # fmt: skip
def test_a_bad_row_is_reported_with_its_excel_line_column_and_rule(row, column, rule):
    content = csv_bytes([PROVINCE, SNV, OFFICE, row])

    errors = parse(content).errors

    assert [(e.line, e.column, e.rule) for e in errors] == [(5, column, rule)]
    assert str(errors[0]).startswith(f"Dòng 5, {column}: ")


def test_every_bad_row_is_reported_not_only_the_first():
    bad_code = ["co_quan", "H99", "", "Sở X", "SX", "tinh", "", "", "", "", "", ""]
    bad_date = ["co_quan", "000.00.03.H99", "", "Sở Z", "SZ", "xa", "", "", "hôm qua", "", "", ""]

    assert errors_of(csv_bytes([PROVINCE, bad_code, SNV, bad_date])) == [
        (3, "Mã định danh", "agency_code_shape"),
        (5, "Hiệu lực từ", "date"),
    ]


def test_line_numbers_count_blank_lines_as_excel_does():
    bad = ["co_quan", "000.00.02.H99", "", "Sở X", "SX", "tỉnh thành", "", "", "", "", "", ""]
    content = csv_bytes([PROVINCE, [""] * len(HEADER), [""] * len(HEADER), bad])

    assert errors_of(content) == [(5, "Cấp", "tier")]


def test_parent_and_agency_known_from_the_database_are_accepted():
    existing = Existing(agency_parents={"000.00.00.H99": ""}, unit_parents={("000.00.01.H99", "VP"): ""})
    child = ["don_vi", "000.00.01.H99", "P1", "Phòng", "", "", "", "VP", "", "", "", ""]

    assert errors_of(csv_bytes([SNV, child]), existing) == []


def test_parents_listed_after_their_children_are_ordered_first():
    commune = ["co_quan", "000.01.50.H99", "", "UBND xã A", "UBND", "xa", "000.00.01.H99", "", "", "", "", ""]
    sub = ["don_vi", "000.00.01.H99", "P1A", "Tổ 1", "", "", "", "P1", "", "", "", "khac"]
    dept = ["don_vi", "000.00.01.H99", "P1", "Phòng 1", "", "", "", "", "", "", "", "phong"]

    parsed = parse(csv_bytes([commune, sub, SNV, dept, PROVINCE]))

    assert parsed.errors == []
    assert [a.code for a in parsed.agencies] == ["000.00.00.H99", "000.00.01.H99", "000.01.50.H99"]
    assert [u.code for u in parsed.units] == ["P1", "P1A"]


def test_a_parent_cycle_is_an_error_naming_the_rows():
    a = ["co_quan", "000.00.03.H99", "", "A", "A", "tinh", "000.00.04.H99", "", "", "", "", ""]
    b = ["co_quan", "000.00.04.H99", "", "B", "B", "tinh", "000.00.03.H99", "", "", "", "", ""]

    errors = parse(csv_bytes([PROVINCE, a, b])).errors

    assert [(e.line, e.rule) for e in errors] == [(3, "cycle")]
    assert "dòng 3 (000.00.03.H99) → dòng 4 (000.00.04.H99)" in errors[0].message


def test_a_cycle_closed_through_the_database_is_caught():
    existing = Existing(agency_parents={"000.00.00.H99": "000.00.01.H99", "000.00.01.H99": ""})

    errors = parse(csv_bytes([SNV]), existing).errors

    assert [(e.line, e.rule) for e in errors] == [(2, "cycle")]
    assert "000.00.00.H99 (trong danh bạ)" in errors[0].message


def test_merged_agencies_may_name_a_successor_listed_later():
    old = ["co_quan", "000.00.00.H98", "", "UBND tỉnh Cũ", "UBND", "tinh", "", "", "01/01/2000", "30/06/2025",
           "000.00.00.H99", ""]  # fmt: skip

    parsed = parse(csv_bytes([old, PROVINCE]))

    assert parsed.errors == []
    assert [a.code for a in parsed.agencies] == ["000.00.00.H99", "000.00.00.H98"]
    assert parsed.agencies[1].valid_to == date(2025, 6, 30)


def test_a_new_agency_needs_short_name_and_tier_columns_but_an_update_does_not():
    header = ["Loại bản ghi", "Mã định danh", "Tên"]
    content = csv_bytes([["co_quan", "000.00.00.H99", "UBND tỉnh"]], header=header)

    assert errors_of(content) == [
        (2, "Tên viết tắt", "required_column_new"),
        (2, "Cấp", "required_column_new"),
    ]
    assert errors_of(content, Existing(agency_parents={"000.00.00.H99": ""})) == []


def test_xlsx_first_sheet_with_date_cells_and_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([*HEADER, "Điện thoại", "Đang hoạt động"])
    sheet.append([*PROVINCE[:8], datetime(2025, 7, 1), None, None, None, 2373852000, "không"])
    workbook.create_sheet("Khác").append(["không đọc"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = parse(buffer.getvalue())

    assert parsed.errors == []
    province = parsed.agencies[0]
    assert (province.valid_from, province.phone, province.is_active) == (
        date(2025, 7, 1),
        "2373852000",
        False,
    )


def test_exported_rows_read_back_identical_in_both_formats():
    records = [
        AgencyRow(0, "000.00.00.H99", "UBND tỉnh", "UBND", "province", phone="+84 237 385", email="a@b.vn",
                  website="https://thanhhoa.gov.vn", valid_from=date(2025, 7, 1)),
        AgencyRow(0, "000.00.01.H99", "=HYPERLINK(\"x\")", "SNV", "province", parent_code="000.00.00.H99",
                  is_active=False, valid_to=date(2026, 1, 1)),
        UnitRow(0, "000.00.01.H99", "VP", "Văn phòng", "", "office"),
        UnitRow(0, "000.00.01.H99", "MC", "Bộ phận một cửa", "MC", "onestop", parent_code="VP"),
    ]  # fmt: skip
    for content in (write_csv(records), write_csv(records, delimiter=";"), write_xlsx(records)):
        parsed = parse(content)
        assert parsed.errors == []
        got = [*parsed.agencies, *parsed.units]
        assert [r.__class__(**{**r.__dict__, "line": 0}) for r in got] == records


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"x" * (spreadsheet.MAX_BYTES + 1), "file_size"),
        (b"%PDF-1.7\n\x00\x01binary", "file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "file_type"),
        ("Tên,Đơn\n".encode("cp1258"), "file_encoding"),
        (b"   \n", "file_empty"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_rejected_by_content(content, rule):
    with pytest.raises(FileRejected) as caught:
        parse(content)
    assert caught.value.rule == rule


def test_a_zip_that_is_not_a_spreadsheet_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")

    with pytest.raises(FileRejected, match="không phải bảng tính XLSX"):
        parse(buffer.getvalue())


def test_delimiter_is_detected_from_the_header_line():
    assert spreadsheet.detect_delimiter("Loại bản ghi;Mã định danh;Tên, viết tắt") == ";"
    assert spreadsheet.detect_delimiter("a,b,c") == ","
    assert spreadsheet.detect_delimiter("a\tb") == "\t"
    assert spreadsheet.detect_delimiter("only") == ","


def test_limits_and_choices_match_the_models():
    for key, limit in tabular.AGENCY_LIMITS.items():
        assert Agency._meta.get_field(key).max_length == limit, key
    unit_fields = {"unit_code": "code", "parent_unit_code": "code"}
    for key, limit in tabular.UNIT_LIMITS.items():
        assert Unit._meta.get_field(unit_fields.get(key, key)).max_length == limit, key
    assert set(tabular.TIERS) == set(Tier.values)
    assert set(tabular.KINDS) == set(UnitKind.values)


def test_website_without_scheme_gets_https_and_a_bad_email_is_refused():
    header = ["Loại bản ghi", "Mã định danh", "Tên", "Tên viết tắt", "Cấp", "Trang thông tin", "Thư điện tử"]
    good = ["co_quan", "000.00.00.H99", "UBND", "UBND", "tinh", "mau.gov.vn", "ubnd@mau.gov.vn"]
    bad = ["co_quan", "000.00.01.H99", "Sở", "S", "tinh", "", "ubnd@"]

    parsed = parse(csv_bytes([good, bad], header=header))

    assert parsed.agencies[0].website == "https://mau.gov.vn"
    assert [(e.line, e.column, e.rule) for e in parsed.errors] == [(3, "Thư điện tử", "email")]
