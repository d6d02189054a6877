"""Reading the national procedure record (JSON, national field names): shapes, variants and named errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lienthong.catalog.incoming import ImportFileError, money_of, number_of, online_level_of, time_unit_of
from lienthong.catalog.national import parse_national
from lienthong.catalog.record import Component, Fee, LegalBasis, ProcedureRecord, Result

PROVINCE = "000.00.00.H99"
COMMUNE = "000.00.31.H99"


def national(
    code: str,
    name: str,
    *,
    days: Any = 15,
    unit: str = "Ngày làm việc",
    fee: Any = "50.000",
    field: tuple[str, str] = ("H99-XD01", "Xây dựng"),
    agencies: tuple[str, ...] = (PROVINCE,),
    **extra: Any,
) -> dict[str, Any]:
    """One record as the national database writes it."""
    return {
        "MATTHC": code,
        "TENTTHC": name,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field[0], "TENLINHVUC": field[1]}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": "Trực tiếp",
                "THOIGIAN": [
                    {"THOIGIANGIAIQUYET": days, "DONVITINH": unit, "MOTA": "Kể từ ngày nhận đủ hồ sơ"}
                ],
                "PHILEPHI": [{"SOTIEN": fee, "DONVI": "Đồng", "MOTA": ""}],
            }
        ],
        "THANHPHANHOSO": [
            {
                "GIAYTO": [
                    {
                        "MAGIAYTO": "1",
                        "TENGIAYTO": "Đơn đề nghị",
                        "SOBANCHINH": "1",
                        "SOBANSAO": "0",
                        "TENMAUDON": "Mẫu 01",
                        "URL": "https://dichvucong.gov.vn/mau-01.docx",
                    },
                    {"MAGIAYTO": "2", "TENGIAYTO": "Bản vẽ thiết kế", "SOBANCHINH": 2, "SOBANSAO": 1},
                ]
            }
        ],
        "YEUCAU": "Không",
        "TRINHTUTHUCHIEN": [{"TENTRINHTU": "Bước 1: Nộp hồ sơ"}, {"TENTRINHTU": "Bước 2: Nhận kết quả"}],
        "KETQUATHUCHIEN": [{"TENKETQUA": "Giấy phép"}],
        "CANCUPHAPLY": [{"SOVANBAN": "50/2014/QH13", "TENVANBAN": "Luật Xây dựng"}],
        "COQUANTHUCHIEN": [{"MADONVI": a, "TENDONVI": "Cơ quan"} for a in agencies],
        "CAPTHUCHIEN": "Cấp Tỉnh",
        "MUCDO": "Một phần",
        **extra,
    }


def as_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def texts(content: bytes) -> list[str]:
    return [p.text for p in parse_national(content).errors]


def test_a_national_record_becomes_a_procedure_record() -> None:
    result = parse_national(as_bytes([national("1.009994", "Cấp giấy phép xây dựng mới")]))
    assert result.errors == [] and result.warnings == []
    assert result.record_count == 1
    assert result.records[0].record == ProcedureRecord(
        code="1.009994",
        name="Cấp giấy phép xây dựng mới",
        field_code="H99-XD01",
        field_name="Xây dựng",
        processing_value=15,
        processing_unit="working_days",
        processing_note="Kể từ ngày nhận đủ hồ sơ",
        tiers=("province",),
        agencies=(PROVINCE,),
        fees=(Fee(case="", amount=50_000),),
        components=(
            Component(name="Đơn đề nghị", template_url="https://dichvucong.gov.vn/mau-01.docx"),
            Component(name="Bản vẽ thiết kế", originals=2, copies=1),
        ),
        steps="Bước 1: Nộp hồ sơ\nBước 2: Nhận kết quả",
        eligibility="Không",
        results=(Result(name="Giấy phép"),),
        legal_basis=(LegalBasis(number="50/2014/QH13", title="Luật Xây dựng"),),
        online_level="partial",
    )


def test_keys_are_read_in_any_case_and_the_list_may_sit_under_data_or_result() -> None:
    record = {k.title() if k == "MATTHC" else k: v for k, v in national("1.000001", "Thủ tục A").items()}
    record["MaTTHC"] = record.pop("Matthc")
    record["TenTTHC"] = record.pop("TENTTHC")
    for wrapped in ([record], {"data": [record]}, {"result": {"data": [record]}}, record):
        result = parse_national(as_bytes(wrapped))
        assert [r.code for r in result.records] == ["1.000001"], wrapped
        assert result.records[0].record.name == "Thủ tục A"


def test_malformed_json_is_refused_with_its_line_and_column() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_national(b'[\n  {"MATTHC": "1.000001",\n   "TENTTHC" "x"}\n]')
    assert caught.value.rule == "json_syntax"
    assert "dòng 3, cột 14" in caught.value.message


@pytest.mark.parametrize(
    ("content", "rule"),
    [(b"", "file_empty"), (b"[]", "file_empty"), (b'{"message": "ok"}', "json_shape"), (b"\xff[]", "file_encoding")],
)  # fmt: skip
def test_a_file_without_a_list_of_records_is_refused_as_a_whole(content: bytes, rule: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_national(content)
    assert caught.value.rule == rule


def test_a_bad_time_names_the_record_its_code_and_the_field() -> None:
    content = as_bytes([national("1.000001", "A"), national("1.001193", "B", days="mười lăm")])
    assert texts(content) == [
        "Bản ghi 2 (1.001193): CACHTHUCTHUCHIEN.THOIGIAN.THOIGIANGIAIQUYET: phải là số không âm "
        '(nhận được "mười lăm").'
    ]


def test_every_problem_of_a_record_is_reported_and_the_record_is_left_out() -> None:
    bad = national("1.00119", "", fee="năm mươi nghìn", unit="Tháng", MUCDO="mức 7", NGAYHIEULUC="31/02/2025")
    bad["THANHPHANHOSO"][0]["GIAYTO"][1]["SOBANSAO"] = "hai"
    result = parse_national(as_bytes([national("1.000001", "A"), bad, "không phải đối tượng"]))
    fields = {(p.where, p.field) for p in result.errors}
    assert fields == {
        ("Bản ghi 2", "TENTTHC"),
        ("Bản ghi 2", "CACHTHUCTHUCHIEN.THOIGIAN.DONVITINH"),
        ("Bản ghi 2", "CACHTHUCTHUCHIEN.PHILEPHI.SOTIEN"),
        ("Bản ghi 2", "THANHPHANHOSO.GIAYTO[2].SOBANSAO"),
        ("Bản ghi 2", "MUCDO"),
        ("Bản ghi 2", "NGAYHIEULUC"),
        ("Bản ghi 3", ""),
        ("Bản ghi 3", "MATTHC"),
    }
    assert [r.code for r in result.records] == ["1.000001"]
    assert result.codes == {"1.000001", "1.00119"}


def test_a_code_twice_in_the_file_is_an_error_on_the_second() -> None:
    result = parse_national(as_bytes([national("1.000001", "A"), national("1.000001", "A bis")]))
    assert [p.text for p in result.errors] == ["Bản ghi 2 (1.000001): MATTHC: mã 1.000001 đã có ở Bản ghi 1."]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("Ngày làm việc", "working_days"), ("ngày làm việc", "working_days"), ("Giờ", "working_hours"),
     ("Giờ làm việc", "working_hours"), ("Ngày", "calendar_days"), ("Ngày (kể cả ngày nghỉ)", "calendar_days"),
     ("working_days", "working_days"), ("Tháng", None), ("Tuần", None)],
)  # fmt: skip
def test_time_units_accept_the_spellings_of_the_national_database(unit: str, expected: str | None) -> None:
    assert time_unit_of(unit) == expected


@pytest.mark.parametrize(
    ("level", "expected"),
    [("Toàn trình", "full"), ("DVC trực tuyến toàn trình", "full"), (4, "full"), ("Mức độ 4", "full"),
     ("Một phần", "partial"), (3, "partial"), ("3", "partial"), ("Cung cấp thông tin", "info"), (2, "info"),
     ("mức 7", None), ("nhanh", None)],
)  # fmt: skip
def test_online_levels_accept_names_and_the_old_numbered_levels(level: Any, expected: str | None) -> None:
    assert online_level_of(level) == expected


def test_channels_that_charge_differently_keep_one_fee_line_per_channel() -> None:
    record = national("1.000001", "A")
    record["CACHTHUCTHUCHIEN"].append(
        {
            "KENH": 2,
            "THOIGIAN": [{"THOIGIANGIAIQUYET": 10, "DONVITINH": "Ngày làm việc"}],
            "PHILEPHI": [{"SOTIEN": 25000, "DONVI": "VNĐ", "MOTA": ""}],
        }
    )
    parsed = parse_national(as_bytes([record])).records[0].record
    assert parsed.processing_value == 15  # the direct channel's time
    assert parsed.fees == (Fee(case="Trực tiếp", amount=50_000), Fee(case="Trực tuyến", amount=25_000))


def test_a_fee_given_as_a_percentage_is_kept_as_text_with_a_warning() -> None:
    record = national("1.000001", "A")
    record["CACHTHUCTHUCHIEN"][0]["PHILEPHI"] = [{"SOTIEN": "0,5", "DONVI": "%", "MOTA": "Giá trị tài sản"}]
    result = parse_national(as_bytes([record]))
    assert result.records[0].record.fees == (Fee(case="Giá trị tài sản (0,5%)", amount=0),)
    assert [w.rule for w in result.warnings] == ["percent"]


def test_a_record_without_time_gets_zero_with_a_warning() -> None:
    record = national("1.000001", "A")
    del record["CACHTHUCTHUCHIEN"][0]["THOIGIAN"]
    result = parse_national(as_bytes([record]))
    assert result.records[0].record.processing_value == 0
    assert [w.rule for w in result.warnings] == ["no_time"]


def test_fields_absent_from_a_record_are_not_marked_as_provided() -> None:
    record = national("1.000001", "A")
    for key in ("THANHPHANHOSO", "CANCUPHAPLY", "MUCDO", "CAPTHUCHIEN", "YEUCAU"):
        del record[key]
    parsed = parse_national(as_bytes([record])).records[0]
    assert not {"components", "legal_basis", "online_level", "tiers", "eligibility"} & parsed.provided
    assert {"code", "name", "field_code", "processing_value", "fees", "steps"} <= parsed.provided
    assert "status" not in parsed.provided  # no TRANGTHAI: a local suspension stays


@pytest.mark.parametrize(
    ("extra", "status"),
    [({}, "active"), ({"TRANGTHAI": "Đã bãi bỏ"}, "cancelled"), ({"TrangThai": "Tạm ngừng"}, "suspended"),
     ({"DABAIBO": True}, "cancelled"), ({"TINHTRANG": "Còn hiệu lực"}, "active")],
)  # fmt: skip
def test_the_file_may_mark_a_procedure_cancelled(extra: dict[str, Any], status: str) -> None:
    assert parse_national(as_bytes([national("1.000001", "A", **extra)])).records[0].record.status == status


def test_tiers_and_agencies_accept_lists_strings_and_names() -> None:
    record = national("1.000001", "A", CAPTHUCHIEN=[{"CAPTHUCHIEN": "Cấp Xã"}, "Cấp Tỉnh", "Cấp Hội đồng"])
    record["COQUANTHUCHIEN"] = [{"MADONVI": COMMUNE}, {"TENDONVI": "UBND cấp xã"}, "000.00.99.H01"]
    result = parse_national(as_bytes([record]))
    parsed = result.records[0]
    assert parsed.record.tiers == ("commune", "province")
    assert parsed.record.agencies == (COMMUNE, "000.00.99.H01")
    assert parsed.agency_labels == (COMMUNE, "UBND cấp xã", "000.00.99.H01")
    assert [w.field for w in result.warnings] == ["CAPTHUCHIEN"]


@given(st.integers(min_value=0, max_value=10**12))
def test_amounts_written_with_dots_commas_or_spaces_read_back(amount: int) -> None:
    grouped = f"{amount:,}"
    for text in (str(amount), grouped.replace(",", "."), grouped, grouped.replace(",", " ") + " đồng"):
        assert money_of(text) == amount


@given(st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False))
def test_times_with_a_decimal_comma_read_back(value: Any) -> None:
    assert number_of(str(value).replace(".", ",")) == pytest.approx(float(value))
