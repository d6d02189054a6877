"""The dossier tracking register (form 06): one line per dossier the desk received in the period, the
columns of the form, names that look like formulas kept as text, and the officer's download with its checks."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from lienthong.onestop import actions
from lienthong.onestop.models import Dossier, DossierStep
from lienthong.onestop.register import HEADER_ROW, register_rows, tracking_register_xlsx
from lienthong.onestop.services import receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import CODE_A, CODE_B, P_ONLY_B, P_WORKING_DAYS, World, applicant, vn

Clock = Callable[[datetime], None]
FEBRUARY = (date(2027, 2, 1), date(2027, 2, 28))
FORMULA_NAMES = ('=HYPERLINK("http://x.vn","Bấm")', "+84912345678", "-2+3", "@SUM(A1:A2)")


def receive(world: World, clock: Clock, at: datetime, name: str, *, at_b: bool = False) -> Dossier:
    clock(at)
    return receive_dossier(
        actor=world.officer_b if at_b else world.officer_a,
        procedure_code=P_ONLY_B if at_b else P_WORKING_DAYS,
        agency=world.b if at_b else world.a,
        applicant=applicant(name=name),
        channel="desk",
    )


@pytest.fixture
def february(world: World, clock: Clock) -> list[Dossier]:
    """A's desk received three dossiers in February 2027, one on 1 March; B's desk one in February."""
    seed_calendar([2027])
    made = [
        receive(world, clock, vn(2027, 2, 1, 0, 5), "Lê Văn Đầu"),  # just after midnight, Vietnam time
        receive(world, clock, vn(2027, 2, 17, 10), "Trần Thị Giữa"),
        receive(world, clock, vn(2027, 2, 26, 16), FORMULA_NAMES[0]),
    ]
    receive(world, clock, vn(2027, 3, 1, 8), "Ngô Văn Sau")
    receive(world, clock, vn(2027, 2, 17, 9), "Phan Thị Khác", at_b=True)
    return made


def open_sheet(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content)).active


def data_rows(sheet: Any) -> list[list[Any]]:
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 3, values_only=True)]
    return [r for r in rows if any(v not in (None, "") for v in r)]


def test_the_register_holds_the_desks_dossiers_of_the_period(world: World, february: list[Dossier]) -> None:
    rows = register_rows(world.officer_a, CODE_A, *FEBRUARY)
    assert [d.code for d in rows] == [d.code for d in february]
    sheet = open_sheet(tracking_register_xlsx(rows, world.a, *FEBRUARY))
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "Sở Tư pháp" in sheet["A2"].value and CODE_A in sheet["A2"].value
    assert sheet["A3"].value == "Từ ngày 01/02/2027 đến ngày 28/02/2027"
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header[:8] == [
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Ngày, tháng, năm",
    ]
    details = [c.value for c in sheet[HEADER_ROW + 1]]
    assert details[7:13] == [
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Ngày, tháng, năm",
        "Ký nhận",
    ]
    assert header[13] == "Ghi chú"
    lines = data_rows(sheet)
    assert [line[0] for line in lines] == [1, 2, 3]
    assert [line[1] for line in lines] == [d.code for d in february]
    first = lines[0]
    assert first[2] == "Thủ tục thử 1.000001" and first[3] == 1 and first[4] == "Lê Văn Đầu"
    assert first[5] == "Số 5 đường Lê Lợi, phường Hạc Thành, 0912345678"
    assert first[6] == "Sở Tư pháp"
    assert first[7] == datetime(2027, 2, 1, 0, 5)  # Vietnam wall-clock time, a real date cell
    assert first[8] is not None and first[8] > first[7]


def test_names_that_look_like_formulas_stay_text(world: World, clock: Clock) -> None:
    seed_calendar([2027])
    for hour, name in enumerate(FORMULA_NAMES, start=8):
        receive(world, clock, vn(2027, 2, 3, hour), name)
    content = tracking_register_xlsx(register_rows(world.officer_a, CODE_A, *FEBRUARY), world.a, *FEBRUARY)
    sheet = open_sheet(content)
    cells = [sheet.cell(row=HEADER_ROW + 3 + i, column=5) for i in range(len(FORMULA_NAMES))]
    assert [c.value for c in cells] == list(FORMULA_NAMES)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_dates_of_transfer_result_and_return_and_the_note(world: World, clock: Clock) -> None:
    seed_calendar([2027])
    dossier = receive(world, clock, vn(2027, 2, 3, 9), "Vũ Văn Đủ")
    DossierStep.objects.create(
        dossier=dossier,
        agency=world.a,
        sequence=1,
        step_order=1,
        title="Thẩm định",
        allowance_hours=Decimal("8"),
        started_at=vn(2027, 2, 3, 10),
        due_at=vn(2027, 2, 4, 10),
    )
    clock(vn(2027, 2, 3, 10))
    actions.start_processing(actor=world.officer_a, dossier=dossier)
    clock(vn(2027, 2, 4, 15))
    actions.finish(actor=world.officer_a, dossier=dossier)
    clock(vn(2027, 2, 5, 9))
    actions.return_result(
        actor=world.officer_a, dossier=dossier, method="postal", tracking_number="EB123456789VN"
    )
    sheet = open_sheet(
        tracking_register_xlsx(register_rows(world.officer_a, CODE_A, *FEBRUARY), world.a, *FEBRUARY)
    )
    line = data_rows(sheet)[0]
    assert line[9] == datetime(2027, 2, 3, 10)
    assert line[10] == datetime(2027, 2, 4, 15)
    assert line[11] == datetime(2027, 2, 5, 9)
    assert line[12] in (None, "")  # the applicant signs here on paper
    assert "Đã trả kết quả" in line[13] and "EB123456789VN" in line[13]


def test_an_agency_outside_the_scope_answers_404(world: World, february: list[Dossier]) -> None:
    with pytest.raises(Http404):
        register_rows(world.officer_a, CODE_B, *FEBRUARY)


# --- the officer's download -------------------------------------------------------------------------------------


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_officer_downloads_the_register_of_a_period(world: World, february: list[Dossier]) -> None:
    response = signed_in(world.officer_a).get(
        reverse("onestop:register_xlsx"), {"co_quan": CODE_A, "tu": "2027-02-01", "den": "2027-02-28"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="so-theo-doi-{CODE_A}-20270201-20270228.xlsx"'
    )
    assert len(data_rows(open_sheet(response.content))) == 3


def test_without_parameters_the_register_is_the_officers_desk_this_month(
    world: World, february: list[Dossier], clock: Clock
) -> None:
    clock(vn(2027, 2, 20, 9))
    response = signed_in(world.officer_b).get(reverse("onestop:register_xlsx"))
    assert response.status_code == 200
    sheet = open_sheet(response.content)
    assert CODE_B in sheet["A2"].value and sheet["A3"].value == "Từ ngày 01/02/2027 đến ngày 28/02/2027"
    assert [line[4] for line in data_rows(sheet)] == ["Phan Thị Khác"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tu": "01/02/2027"}, "tu"),
        ({"den": "2027-02-30"}, "den"),
        ({"tu": "2027-03-01", "den": "2027-02-01"}, "den"),
        ({"tu": "2026-01-01", "den": "2027-02-28"}, "den"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(world: World, params: dict[str, str], field: str) -> None:
    response = signed_in(world.officer_a).get(reverse("onestop:register_xlsx"), {"co_quan": CODE_A, **params})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-field="{field}"' in page and f"“{field}”" in page


def test_another_agencys_register_answers_404(world: World) -> None:
    response = signed_in(world.officer_a).get(reverse("onestop:register_xlsx"), {"co_quan": CODE_B})
    assert response.status_code == 404
