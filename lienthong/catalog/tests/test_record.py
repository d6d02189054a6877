"""The procedure record as plain data: round trips, validation and diffs (no database)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lienthong.catalog.record import (
    Component,
    Fee,
    LegalBasis,
    ProcedureRecord,
    Result,
    diff,
    is_procedure_code,
    local_code,
)

BIRTH = ProcedureRecord(
    code="1.001193",
    name="Đăng ký khai sinh",
    field_code="H99-HT01",
    field_name="Hộ tịch",
    processing_value=1,
    tiers=("commune",),
    fees=(Fee(case="", amount=0),),
    components=(Component(name="Tờ khai đăng ký khai sinh"), Component(name="Giấy chứng sinh", copies=1)),
    results=(Result(name="Giấy khai sinh", kind="electronic"),),
    legal_basis=(LegalBasis(number="60/2014/QH13", title="Luật Hộ tịch"),),
    online_level="full",
    effective_from=date(2025, 7, 1),
)


def test_a_record_survives_the_trip_through_json():
    assert ProcedureRecord.from_dict(BIRTH.as_dict()) == BIRTH


def test_a_valid_record_has_no_problems():
    assert BIRTH.problems() == []


def test_each_broken_rule_names_its_field():
    broken = ProcedureRecord(
        code="1.1193",
        name=" ",
        field_code="hộ tịch",
        field_name="Hộ tịch",
        processing_value=-1,
        processing_unit="weeks",
        online_level="level4",
        fees=(Fee(case="", amount=-5),),
        effective_from=date(2026, 1, 2),
        effective_to=date(2026, 1, 1),
    )
    fields = {field for field, _, _ in broken.problems()}
    assert fields == {
        "code",
        "name",
        "field_code",
        "processing_value",
        "processing_unit",
        "online_level",
        "fees[0].amount",
        "effective_to",
    }


def test_the_diff_lists_only_the_fields_that_changed():
    changed = ProcedureRecord.from_dict(
        {**BIRTH.as_dict(), "processing_value": 2, "name": "Đăng ký khai sinh (mới)"}
    )
    assert set(diff(BIRTH.as_dict(), changed.as_dict())) == {"processing_value", "name"}
    assert diff(BIRTH.as_dict(), BIRTH.as_dict()) == {}


def test_codes_are_localised_by_appending_the_agency_code():
    assert local_code("1.000656", "000.00.00.H56") == "1.000656.000.00.00.H56"


@given(st.from_regex(r"\A[1-3]\.[0-9]{6}\Z"))
def test_every_national_code_shape_is_accepted(code):
    assert is_procedure_code(code)


@given(st.text(max_size=12))
def test_anything_else_is_refused(code):
    well_formed = (
        len(code) == 8 and code[0] in "123" and code[1] == "." and all(c in "0123456789" for c in code[2:])
    )
    assert is_procedure_code(code) == well_formed
