"""The procedure sheet (XLSX/CSV) a clerk fills in: round trips, typed list cells, named errors."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lienthong.catalog.incoming import ImportFileError
from lienthong.catalog.record import Component, Fee, LegalBasis, ProcedureRecord, Result
from lienthong.catalog.xlsx import COLUMNS, parse_table, write_csv, write_xlsx
from lienthong.core.text import nfc

BUILDING = ProcedureRecord(
    code="1.009994",
    name="Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I",
    field_code="H99-XD01",
    field_name="Xây dựng",
    processing_value=20,
    processing_note="Kể từ ngày nhận đủ hồ sơ hợp lệ",
    tiers=("province",),
    agencies=("000.00.08.H99",),
    receiving_agency="000.00.20.H99",
    fees=(Fee(case="Nhà ở riêng lẻ", amount=75_000), Fee(case="Công trình khác", amount=150_000, kind="phí")),
    components=(
        Component(
            name="Đơn đề nghị cấp giấy phép xây dựng", template_url="https://example.gov.vn/mau-01.docx"
        ),
        Component(name="Bản vẽ thiết kế", originals=2, copies=1, file_types=("pdf", "dwg")),
        Component(name="Giấy tờ về quyền sử dụng đất", originals=0, copies=1, required=False),
    ),
    steps="- Bước 1: Nộp hồ sơ tại Trung tâm Phục vụ hành chính công\n- Bước 2: Nhận kết quả",
    eligibility="=Phù hợp quy hoạch",  # looks like a formula: must stay text
    results=(Result(name="Giấy phép xây dựng"), Result(name="Bản vẽ có đóng dấu", kind="electronic")),
    legal_basis=(
        LegalBasis(number="50/2014/QH13", title="Luật Xây dựng"),
        LegalBasis(number="", title="Quyết định"),
    ),
    online_level="full",
    effective_from=date(2025, 7, 1),
)
BIRTH = ProcedureRecord(
    code="1.001193",
    name="Đăng ký khai sinh",
    field_code="H99-HT01",
    field_name="Hộ tịch",
    processing_value=0.5,
    processing_unit="working_hours",
    tiers=("commune",),
    agencies=("000.00.31.H99", "000.00.32.H99"),
    fees=(Fee(case="", amount=0),),
    status="suspended",
)


def sheet(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("write", [write_xlsx, write_csv])
def test_a_written_sheet_reads_back_to_the_same_records(write) -> None:
    result = parse_table(write([BUILDING, BIRTH]))
    assert result.errors == []
    assert [p.record for p in result.records] == [BUILDING, BIRTH]
    assert result.records[0].where == "Dòng 2"
    assert result.records[0].provided == {c.key for c in COLUMNS}


def test_a_clerk_types_list_cells_one_item_per_line() -> None:
    content = sheet(
        [
            ["Mã TTHC", "Tên thủ tục", "Mã lĩnh vực", "Tên lĩnh vực", "Thời hạn giải quyết", "Đơn vị thời hạn",
             "Thành phần hồ sơ", "Phí, lệ phí", "Kết quả", "Căn cứ pháp lý", "Cấp thực hiện", "Ghi chú riêng"],
            ["1.000001", "Cấp giấy phép in", "G16-XB01", "Xuất bản, in", "10,5", "Ngày làm việc",
             "Tờ khai | 1 | 0 | có\n\nBản sao giấy phép | 0 | 1 | không | | pdf, jpg",
             "Cấp mới | 50.000\nCấp lại | 25.000 | phí\nMiễn phí", "Giấy phép | điện tử",
             "Luật Xuất bản\n25/2018/NĐ-CP | Nghị định về in", "tỉnh; xã", "bỏ qua"],
        ]
    )  # fmt: skip
    result = parse_table(content)
    assert result.errors == []
    assert [w.field for w in result.warnings] == ["Ghi chú riêng"]
    parsed = result.records[0]
    record = parsed.record
    assert record.processing_value == 10.5
    assert record.components == (
        Component(name="Tờ khai"),
        Component(name="Bản sao giấy phép", originals=0, copies=1, required=False, file_types=("pdf", "jpg")),
    )
    assert parsed.unspecified == (frozenset({"template_url", "file_types"}), frozenset({"template_url"}))
    assert record.fees == (Fee("Cấp mới", 50_000), Fee("Cấp lại", 25_000, "phí"), Fee("", 0))
    assert record.results == (Result("Giấy phép", "electronic"),)
    assert record.legal_basis == (
        LegalBasis("", "Luật Xuất bản"),
        LegalBasis("25/2018/NĐ-CP", "Nghị định về in"),
    )
    assert record.tiers == ("province", "commune")
    assert "online_level" not in parsed.provided and "agencies" not in parsed.provided


def test_bad_cells_name_the_line_the_code_and_the_column() -> None:
    content = sheet(
        [
            ["Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết", "Thành phần hồ sơ", "Mức độ trực tuyến", "Hiệu lực từ"],
            ["1.000001", "Đúng", 5, "Tờ khai", "Toàn trình", "01/07/2025"],
            ["1.000002", "Sai", "năm", "Tờ khai | một", "mức 9", "30/02/2025"],
            [None, None, None, None, None, None],
            ["1.000001", "Trùng", 5, "", "", ""],
        ]
    )  # fmt: skip
    result = parse_table(content)
    assert [p.text for p in result.errors] == [
        "Dòng 3 (1.000002): Thời hạn giải quyết: phải là số không âm (nhận được 'năm').",
        "Dòng 3 (1.000002): Mức độ trực tuyến: 'mức 9' không hợp lệ; dùng “Toàn trình”, “Một phần” hoặc "
        "“Cung cấp thông tin”.",
        "Dòng 3 (1.000002): Hiệu lực từ: '30/02/2025' không phải ngày; ghi dạng ngày/tháng/năm, ví dụ 01/07/2025.",
        "Dòng 3 (1.000002): Thành phần hồ sơ, mục 1: số bản 'một' phải là số nguyên không âm.",
        "Dòng 5 (1.000001): Mã thủ tục: mã 1.000001 đã có ở Dòng 2.",
    ]
    assert result.record_count == 3  # the empty line is skipped
    assert [p.code for p in result.records] == ["1.000001"]


def test_empty_cells_in_choice_columns_keep_the_current_value() -> None:
    content = sheet(
        [["Mã thủ tục", "Mức độ trực tuyến", "Trạng thái", "Ghi chú thời hạn"], ["1.000001", "", None, ""]]
    )
    parsed = parse_table(content).records[0]
    assert parsed.provided == {"code", "processing_note"}


@pytest.mark.parametrize(
    ("rows", "rule"),
    [([["Tên thủ tục"], ["A"]], "required_column"), ([["Mã thủ tục", "ma tthc"], ["1.000001", "x"]], "duplicate_column"),
     ([["Mã thủ tục"]], "file_empty")],
)  # fmt: skip
def test_a_sheet_without_codes_is_refused_as_a_whole(rows: list[list[object]], rule: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_table(sheet(rows))
    assert caught.value.rule == rule


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_table(b"\xd0\xcf\x11\xe0 old excel")
    assert caught.value.rule == "file_type"


def test_formula_like_text_is_guarded_in_csv_and_read_back_plain() -> None:
    content = write_csv([BUILDING])
    assert b"'=Ph" in content and b"'- B" in content
    assert parse_table(content).records[0].record.eligibility == "=Phù hợp quy hoạch"


_text = (
    st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1, max_size=30)
    .map(lambda s: " ".join(nfc(s).split()))
    .filter(bool)
)
_records = st.builds(
    ProcedureRecord,
    code=st.from_regex(r"\A[1-3]\.[0-9]{6}\Z"),
    name=_text,
    field_code=st.from_regex(r"\A[A-Z][0-9]{2}-[A-Z]{2}[0-9]{2}\Z"),
    field_name=_text,
    processing_value=st.integers(0, 365).map(float),
    processing_unit=st.sampled_from(["working_days", "working_hours", "calendar_days"]),
    tiers=st.lists(st.sampled_from(["province", "commune"]), min_size=1, max_size=2, unique=True).map(tuple),
    fees=st.lists(st.builds(Fee, case=_text, amount=st.integers(0, 10**9)), max_size=3, unique=True).map(
        tuple
    ),
    components=st.lists(
        st.builds(
            Component,
            name=_text,
            originals=st.integers(0, 5),
            copies=st.integers(0, 5),
            required=st.booleans(),
        ),
        max_size=3,
        unique_by=lambda c: c.name,
    ).map(tuple),
    online_level=st.sampled_from(["full", "partial", "info"]),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(_records, min_size=1, max_size=3, unique_by=lambda r: r.code))
def test_any_catalogue_survives_a_trip_through_xlsx(records: list[ProcedureRecord]) -> None:
    result = parse_table(write_xlsx(records))
    assert result.errors == []
    assert [p.record for p in result.records] == records
