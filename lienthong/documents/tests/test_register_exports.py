"""Printed registers: the outgoing and incoming registers as XLSX and PDF with the columns of Decree 30, for the
whole year or a period; who may print which register."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lienthong.core.errors import DomainError
from lienthong.documents import register_exports, services
from lienthong.documents.models import Direction, OutgoingDocument, Register
from lienthong.documents.register_exports import (
    HEADER_ROW,
    INCOMING_COLUMNS,
    NUMBERS_ROW,
    OUTGOING_COLUMNS,
    period_of,
    register_for,
    visible_registers,
)
from lienthong.documents.services import IncomingContent

from .world import SECRET, World, tiny_pdf


def _issue(world: World, **overrides: object) -> OutgoingDocument:
    document = services.create_draft(
        actor=world.a_specialist, agency=world.a, content=world.content(**overrides)
    )
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve")
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    return services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)


def _register_of(agency: object, direction: str, *, secret: bool = False) -> Register:
    return Register.objects.get(agency=agency, direction=direction, secret=secret)


def _sheet_rows(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _xlsx(register: Register, **period: date) -> list[list[object]]:
    sheet = register_exports.register_sheet(register, period_of(register, **period))
    return _sheet_rows(register_exports.register_xlsx(sheet))


@pytest.fixture
def issued(world: World) -> OutgoingDocument:
    return _issue(world)


def test_the_outgoing_register_in_xlsx_has_the_decree_columns_and_the_issued_document(
    world: World, issued: OutgoingDocument
) -> None:
    rows = _xlsx(_register_of(world.a, Direction.OUTGOING))
    assert rows[0][0] == "SỞ NỘI VỤ TỈNH THANH LÂM"
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert str(issued.issue_date.year) in str(rows[2][0])
    assert tuple(rows[HEADER_ROW - 1]) == OUTGOING_COLUMNS
    assert rows[NUMBERS_ROW - 1][:3] == ["(1)", "(2)", "(3)"]
    line = rows[NUMBERS_ROW]
    assert line[0] == issued.number_notation == "01/QĐ-SNV"
    assert line[1].date() == issued.issue_date  # type: ignore[union-attr]
    assert line[2] == "Quyết định\nVề việc cử cán bộ dự tập huấn chuyển đổi số"
    assert line[3] == "Ngô Văn Thắng"
    assert line[4] == "Ủy ban nhân dân phường Đông Lâm"
    assert line[5] == "Văn thư; Phòng Công chức, viên chức"
    assert line[6] == 1
    assert len(rows) == NUMBERS_ROW + 1


def test_the_incoming_register_lists_what_arrived_with_who_handles_it(
    world: World, issued: OutgoingDocument
) -> None:
    arrived = issued.recipients.get().incoming
    assert arrived is not None
    services.assign_incoming(actor=world.b_leader, document=arrived, main=world.b_unit, due_in_days=5)
    rows = _xlsx(_register_of(world.b, Direction.INCOMING))
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert tuple(rows[HEADER_ROW - 1]) == INCOMING_COLUMNS
    line = rows[NUMBERS_ROW]
    assert line[1] == arrived.arrival_number == 1
    assert line[2] == "Sở Nội vụ tỉnh Thanh Lâm"
    assert line[3] == "01/QĐ-SNV"
    assert line[5] == "Quyết định\nVề việc cử cán bộ dự tập huấn chuyển đổi số"
    assert line[6] == "Phòng Kinh tế"
    assert line[7] is not None


def test_a_period_keeps_only_the_documents_of_that_period(world: World, issued: OutgoingDocument) -> None:
    register = _register_of(world.a, Direction.OUTGOING)
    day = issued.issue_date
    assert len(_xlsx(register, date_from=day, date_to=day)) == NUMBERS_ROW + 1
    if day.month > 1:
        assert len(_xlsx(register, date_to=date(day.year, day.month - 1, 1))) == NUMBERS_ROW


def test_text_that_looks_like_a_formula_stays_text(world: World) -> None:
    services.register_incoming(
        actor=world.b_clerk,
        agency=world.b,
        content=IncomingContent(
            issuer_name='=HYPERLINK("http://x")',
            document_date=date(2025, 12, 1),
            subject="+84 gọi ngay",
            pdf=tiny_pdf(),
            number_notation="5/CV",
        ),
    )
    register = _register_of(world.b, Direction.INCOMING)
    data = register_exports.register_xlsx(register_exports.register_sheet(register, period_of(register)))
    cell = load_workbook(io.BytesIO(data)).active.cell(row=NUMBERS_ROW + 1, column=3)  # type: ignore[union-attr]
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_register_pdf_is_a_real_pdf_showing_the_columns_and_the_number(
    world: World, issued: OutgoingDocument
) -> None:
    register = _register_of(world.a, Direction.OUTGOING)
    pdf = register_exports.register_pdf(register_exports.register_sheet(register, period_of(register)))
    assert pdf.startswith(b"%PDF-")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    flat = " ".join(text.split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in flat
    for words in OUTGOING_COLUMNS:
        assert words in flat, words
    assert "01/QĐ-SNV" in flat


def test_keepers_print_every_register_other_officers_only_the_ordinary_outgoing_one(
    world: World, issued: OutgoingDocument
) -> None:
    services.register_incoming(
        actor=world.b_clerk,
        agency=world.b,
        content=IncomingContent(
            issuer_name="Công an tỉnh Thanh Lâm",
            document_date=date(2025, 12, 1),
            subject="Về việc bảo vệ bí mật nhà nước",
            pdf=tiny_pdf(),
            number_notation="9/CAT-PA03",
            secrecy="confidential",
        ),
    )
    secret_in = _register_of(world.b, Direction.INCOMING, secret=True)
    ordinary_in = _register_of(world.b, Direction.INCOMING)
    outgoing_a = _register_of(world.a, Direction.OUTGOING)
    assert set(visible_registers(world.b_clerk)) == {secret_in, ordinary_in}
    assert set(visible_registers(world.b_leader)) == {secret_in, ordinary_in}
    assert set(visible_registers(world.a_specialist)) == {outgoing_a}
    assert register_for(world.b_leader, secret_in.pk) == secret_in
    for person, register in (
        (world.b_specialist, secret_in),
        (world.b_specialist, ordinary_in),
        (world.a_clerk, ordinary_in),
        (world.b_clerk, outgoing_a),
    ):
        with pytest.raises(Http404):
            register_for(person, register.pk)


def test_a_period_outside_the_registers_year_is_refused_naming_the_field(
    world: World, issued: OutgoingDocument
) -> None:
    register = _register_of(world.a, Direction.OUTGOING)
    with pytest.raises(DomainError) as caught:
        period_of(register, date(register.year - 1, 12, 31), None)
    assert (caught.value.problems[0].field, caught.value.rule) == ("date_from", "period_outside_year")
    with pytest.raises(DomainError) as caught:
        period_of(register, date(register.year, 6, 1), date(register.year, 5, 1))
    assert caught.value.rule == "period_order"


def test_the_api_and_the_pages_hand_out_the_files_and_refuse_what_is_not_visible(
    world: World, issued: OutgoingDocument
) -> None:
    register = _register_of(world.a, Direction.OUTGOING)
    incoming_b = _register_of(world.b, Direction.INCOMING)
    clerk = Client()
    clerk.force_login(world.a_clerk)
    xlsx = clerk.get(reverse("api:documents_register_xlsx", kwargs={"register_id": register.pk}))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _sheet_rows(xlsx.content)[NUMBERS_ROW][0] == "01/QĐ-SNV"
    pdf = clerk.get(reverse("api:documents_register_pdf", kwargs={"register_id": register.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    listed = clerk.get(reverse("api:documents_registers")).json()
    assert [r["id"] for r in listed] == [register.pk]
    outside = clerk.get(reverse("api:documents_register_pdf", kwargs={"register_id": incoming_b.pk}))
    assert outside.status_code == 404
    wrong_year = clerk.get(
        reverse("api:documents_register_xlsx", kwargs={"register_id": register.pk}),
        {"date_from": f"{register.year + 1}-01-01"},
    )
    assert wrong_year.status_code == 400 and wrong_year.json()["errors"][0]["field"] == "date_from"

    page = clerk.get(reverse("documents:registers"))
    assert page.status_code == 200
    assert reverse("documents:register_pdf", args=[register.pk]) in page.content.decode()
    download = clerk.get(reverse("documents:register_xlsx", args=[register.pk]), {"date_from": "2000-01-01"})
    assert download.status_code == 400
    assert clerk.get(reverse("documents:register_pdf", args=[incoming_b.pk])).status_code == 404
    whole = clerk.get(reverse("documents:register_xlsx", args=[register.pk]))
    assert whole.status_code == 200 and "attachment" in whole["Content-Disposition"]
