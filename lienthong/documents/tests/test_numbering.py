"""Numbers, notations and date lines as Decree 30 prints them; registers that restart every 1 January; the
secret series apart."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lienthong.documents import numbering, services
from lienthong.documents.models import OutgoingDocument, Register
from lienthong.documents.services import RecipientInput
from lienthong.worktime.arith import VN_TZ

from .world import CODE_B, SECRET, World


def test_numbers_below_ten_get_a_leading_zero() -> None:
    assert numbering.format_number(5) == "05"
    assert numbering.format_number(10) == "10"
    assert numbering.format_number(1234) == "1234"
    assert numbering.number_line(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"
    with pytest.raises(ValueError):
        numbering.format_number(0)


@given(st.integers(min_value=1, max_value=10**6))
def test_a_formatted_number_reads_back_as_the_number(number: int) -> None:
    text = numbering.format_number(number)
    assert int(text) == number and len(text) >= 2


def test_the_notation_joins_type_agency_and_unit_and_a_letter_has_no_type() -> None:
    assert numbering.notation("QĐ", "BNV") == "QĐ-BNV"
    assert numbering.notation("", "UBND", "VX") == "UBND-VX"
    assert numbering.notation("", "BNV", "VP") == "BNV-VP"
    assert numbering.notation("KH", "SNV", "") == "KH-SNV"


def test_the_date_line_zero_pads_days_and_the_first_two_months_only() -> None:
    assert numbering.date_line("Thành Lam", date(2026, 12, 6)) == "Thành Lam, ngày 06 tháng 12 năm 2026"
    assert numbering.date_line("Sông Lam", date(2027, 1, 1)) == "Sông Lam, ngày 01 tháng 01 năm 2027"
    assert numbering.date_line("Sông Lam", date(2027, 2, 15)) == "Sông Lam, ngày 15 tháng 02 năm 2027"
    assert numbering.date_line("Sông Lam", date(2027, 3, 9)) == "Sông Lam, ngày 09 tháng 3 năm 2027"


def test_the_exchange_identifier_and_reading_a_printed_number() -> None:
    assert (
        numbering.document_identifier("000.00.00.G22", date(2015, 9, 30), 7816, "VPCP-TTĐT")
        == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    )
    assert numbering.parse_number_notation("Số: 05/QĐ-UBND") == ("05", "QĐ-UBND")
    assert numbering.parse_number_notation("12/UBND-VX") == ("12", "UBND-VX")
    with pytest.raises(ValueError):
        numbering.parse_number_notation("QĐ-UBND")


def _issue(world: World, **content: object) -> OutgoingDocument:
    document = services.create_draft(
        actor=world.a_unit_head, agency=world.a, content=world.content(**content)
    )
    services.submit_draft(actor=world.a_unit_head, document=document)
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    return services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)


def test_a_document_issued_on_1_january_starts_the_new_year_at_01(world: World, clock) -> None:
    clock(datetime(2026, 12, 31, 16, 30, tzinfo=VN_TZ))
    first = _issue(world)
    second = _issue(world)
    clock(datetime(2027, 1, 1, 8, 0, tzinfo=VN_TZ))
    new_year = _issue(world)

    assert (first.number, second.number, first.issue_date) == (1, 2, date(2026, 12, 31))
    assert new_year.number == 1 and new_year.issue_date == date(2027, 1, 1)
    assert new_year.number_notation == "01/QĐ-SNV"
    assert new_year.identifier == "000.00.02.H56,2027/01/01,01/QĐ-SNV"
    assert new_year.register != first.register
    outgoing = Register.objects.filter(agency=world.a, direction="outgoing")
    assert sorted(outgoing.values_list("year", "last_number")) == [(2026, 2), (2027, 1)]
    incoming = Register.objects.filter(agency=world.b, direction="incoming")
    assert sorted(incoming.values_list("year", "last_number")) == [(2026, 2), (2027, 1)]


def test_secret_documents_are_numbered_in_their_own_series(world: World) -> None:
    plain = _issue(world)
    secret = _issue(world, secrecy="confidential", recipients=[RecipientInput(CODE_B)])
    plain_again = _issue(world)
    assert (plain.number, secret.number, plain_again.number) == (1, 1, 2)
    assert secret.register.secret and not plain.register.secret
    received = secret.recipients.get().incoming
    assert received.register.secret and received.arrival_number == 1 and received.secrecy == "confidential"
