"""Dossier codes: the shape ``{agency}-{yyMMdd}-{NNNN}``, growth past 9999, and applicant identifier shapes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lienthong.onestop.codes import (
    DossierCode,
    format_dossier_code,
    is_citizen_id,
    is_dossier_code,
    is_tax_code,
    parse_dossier_code,
)

agency_codes = st.from_regex(r"\A[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}\Z")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
numbers = st.integers(min_value=1, max_value=10_000_000)


def test_the_example_from_identifiers_md_has_the_documented_shape() -> None:
    assert format_dossier_code("000.00.06.H56", date(2023, 10, 27), 361) == "000.00.06.H56-231027-0361"


def test_numbers_past_9999_grow_instead_of_wrapping() -> None:
    assert format_dossier_code("000.00.06.H56", date(2026, 1, 5), 9999) == "000.00.06.H56-260105-9999"
    assert format_dossier_code("000.00.06.H56", date(2026, 1, 5), 10000) == "000.00.06.H56-260105-10000"
    assert parse_dossier_code("000.00.06.H56-260105-10000").number == 10000


@given(agency_codes, days, numbers)
def test_every_formatted_code_parses_back_to_its_parts(agency: str, day: date, n: int) -> None:
    code = format_dossier_code(agency, day, n)
    assert parse_dossier_code(code) == DossierCode(agency, day, n)
    assert is_dossier_code(code)
    prefix, digits = code.rsplit("-", 1)
    assert prefix == f"{agency}-{day:%y%m%d}"
    assert len(digits) == max(4, len(str(n)))


@given(agency_codes, days, st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9999))
def test_four_digit_codes_of_one_agency_and_day_sort_like_their_numbers(
    agency: str, day: date, a: int, b: int
) -> None:
    assert (format_dossier_code(agency, day, a) < format_dossier_code(agency, day, b)) == (a < b)


@pytest.mark.parametrize(
    "code",
    [
        "000.00.06.H56-231027-361",  # fewer than four digits
        "000.00.06.H56-231027-0000",  # number 0
        "000.00.06.H56-231027-00361",  # extra leading zero
        "000.00.06.H56-231332-0361",  # month 13
        "000.00.06.h56-231027-0361",  # lower-case letter
        "00.00.06.H56-231027-0361",  # agency code too short
        "000.00.06.H56/231027/0361",
        "000.00.06.H56-231027-0361 ",
    ],
)
def test_malformed_codes_are_refused(code: str) -> None:
    assert not is_dossier_code(code)
    with pytest.raises(ValueError):
        parse_dossier_code(code)


def test_formatting_refuses_a_bad_agency_code_or_number() -> None:
    with pytest.raises(ValueError):
        format_dossier_code("H56", date(2026, 1, 5), 1)
    with pytest.raises(ValueError):
        format_dossier_code("000.00.06.H56", date(2026, 1, 5), 0)


def test_citizen_id_is_twelve_digits_and_tax_code_ten_or_ten_plus_branch() -> None:
    assert is_citizen_id("038095001234")
    assert not is_citizen_id("38095001234")
    assert not is_citizen_id("03809500123a")
    assert is_tax_code("2801234567")
    assert is_tax_code("2801234567-001")
    assert not is_tax_code("280123456")
    assert not is_tax_code("2801234567-01")
