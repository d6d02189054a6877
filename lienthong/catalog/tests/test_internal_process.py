"""Internal-process pages: agency administrators set the ordered steps of a procedure in their agency; the
page shows the legal time and the sum, and a refusal ("vượt … giờ") next to the steps; outside the scope
answers 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lienthong.catalog import services
from lienthong.catalog.models import InternalProcess, Procedure
from lienthong.directory.models import Person

from .test_services import CODE_A, CODE_B, World, build_world, make_record, step


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def procedure(world: World) -> Procedure:
    """Implemented by agency A only: 5 working days, 40 working hours."""
    return services.save_procedure(actor=None, record=make_record()).procedure


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def edit_url(procedure: Procedure, agency_code: str = CODE_A) -> str:
    return reverse("catalog:process_edit", kwargs={"code": procedure.code, "agency_code": agency_code})


def rows(*steps: dict[str, Any], initial: int = 0) -> dict[str, str]:
    """The POST of the steps formset: one dict per row (title, unit, role, allowance_hours, ORDER, DELETE)."""
    data = {
        "buoc-TOTAL_FORMS": str(len(steps)),
        "buoc-INITIAL_FORMS": str(initial),
        "buoc-MIN_NUM_FORMS": "0",
        "buoc-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(steps):
        for key, value in row.items():
            data[f"buoc-{index}-{key}"] = "" if value is None else str(value)
    return data


def saved_steps(procedure: Procedure) -> list[tuple[str, str, int | None, str]]:
    process = InternalProcess.objects.filter(procedure=procedure).first()
    if process is None:
        return []
    return [
        (s.title, f"{s.allowance_hours.normalize():f}", s.unit_id, s.role)
        for s in process.steps.order_by("order")
    ]


def test_an_agency_admin_sets_the_steps_and_sees_them_with_the_sum(
    world: World, procedure: Procedure
) -> None:
    client = signed_in(world.admin_a)
    response = client.post(
        edit_url(procedure),
        rows(
            {"title": "Tiếp nhận hồ sơ", "role": "onestop_officer", "allowance_hours": "4"},
            {
                "title": "Tra cứu, xác minh",
                "unit": world.unit_a.pk,
                "role": "specialist",
                "allowance_hours": "28,5",
            },
            {"title": "Lãnh đạo Sở ký", "role": "leader", "allowance_hours": "7,5"},
            {"title": "", "allowance_hours": ""},
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url(procedure)
    assert saved_steps(procedure) == [
        ("Tiếp nhận hồ sơ", "4", None, "onestop_officer"),
        ("Tra cứu, xác minh", "28.5", world.unit_a.pk, "specialist"),
        ("Lãnh đạo Sở ký", "7.5", None, "leader"),
    ]
    page = client.get(edit_url(procedure)).content.decode()
    assert "Đã lưu quy trình nội bộ." in page
    assert "5 ngày làm việc = 40 giờ làm việc" in page
    assert "40 giờ làm việc" in page and "còn 0 giờ dự phòng" in page
    assert 'value="Tra cứu, xác minh"' in page and 'value="28,5"' in page


def test_steps_beyond_the_legal_time_are_refused_next_to_the_steps(
    world: World, procedure: Procedure
) -> None:
    response = signed_in(world.admin_a).post(
        edit_url(procedure),
        rows({"title": "Thẩm định", "allowance_hours": "36"}, {"title": "Ký", "allowance_hours": "8"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="loi-quy-trinh"' in page
    assert "vượt thời hạn luật định 40 giờ là 4 giờ" in page
    assert "vượt 4 giờ" in page  # the badge beside the sum
    assert 'value="Thẩm định"' in page, "what was typed stays on the page"
    assert saved_steps(procedure) == []


def test_rows_follow_their_order_numbers_and_ticked_rows_are_dropped(
    world: World, procedure: Procedure
) -> None:
    services.set_internal_process(
        actor=None,
        procedure=procedure,
        agency=world.a,
        steps=[step("A", "2"), step("B", "2"), step("C", "2")],
    )
    response = signed_in(world.admin_a).post(
        edit_url(procedure),
        rows(
            {"title": "A", "allowance_hours": "2", "ORDER": "3"},
            {"title": "B", "allowance_hours": "2", "ORDER": "2", "DELETE": "on"},
            {"title": "C", "allowance_hours": "2", "ORDER": "1"},
            {"title": "D", "allowance_hours": "1"},
            initial=3,
        ),
    )
    assert response.status_code == 302
    assert [s[0] for s in saved_steps(procedure)] == ["C", "A", "D"]


def test_a_unit_of_another_agency_cannot_be_chosen(world: World, procedure: Procedure) -> None:
    response = signed_in(world.admin_a).post(
        edit_url(procedure), rows({"title": "Xử lý", "unit": world.unit_b.pk, "allowance_hours": "8"})
    )
    assert response.status_code == 400
    assert "Phòng Quản lý xây dựng" not in response.content.decode()
    assert saved_steps(procedure) == []


def test_zero_hours_are_refused_next_to_the_field(world: World, procedure: Procedure) -> None:
    response = signed_in(world.admin_a).post(
        edit_url(procedure), rows({"title": "Xử lý", "allowance_hours": "0"})
    )
    assert response.status_code == 400
    assert "Thời gian phải lớn hơn 0 giờ." in response.content.decode()


def test_an_empty_process_is_refused(world: World, procedure: Procedure) -> None:
    response = signed_in(world.admin_a).post(edit_url(procedure), rows({"title": "", "allowance_hours": ""}))
    assert response.status_code == 400
    assert "Quy trình phải có ít nhất một bước." in response.content.decode()


def test_the_units_offered_are_those_of_the_agency(world: World, procedure: Procedure) -> None:
    page = signed_in(world.admin_a).get(edit_url(procedure)).content.decode()
    assert "Phòng Hành chính tư pháp" in page and "Văn phòng Sở" in page
    assert "Phòng Quản lý xây dựng" not in page


def test_a_system_admin_may_set_the_process_of_any_agency(world: World, procedure: Procedure) -> None:
    response = signed_in(world.sysadmin).post(
        edit_url(procedure), rows({"title": "Xử lý", "allowance_hours": "8"})
    )
    assert response.status_code == 302
    assert saved_steps(procedure) == [("Xử lý", "8", None, "")]


def test_the_admin_of_another_agency_gets_404(world: World, procedure: Procedure) -> None:
    client = signed_in(world.admin_b)
    assert client.get(edit_url(procedure)).status_code == 404
    assert client.post(edit_url(procedure), rows({"title": "X", "allowance_hours": "1"})).status_code == 404
    assert client.get(reverse("catalog:process_list", args=[CODE_A])).status_code == 404
    assert saved_steps(procedure) == []


def test_a_procedure_the_agency_does_not_implement_gets_404(world: World, procedure: Procedure) -> None:
    assert signed_in(world.admin_b).get(edit_url(procedure, CODE_B)).status_code == 404
    missing = reverse("catalog:process_edit", kwargs={"code": "1.999999", "agency_code": CODE_A})
    assert signed_in(world.admin_a).get(missing).status_code == 404


def test_an_officer_of_the_agency_without_the_admin_role_gets_403(world: World, procedure: Procedure) -> None:
    response = signed_in(world.specialist_a).post(
        edit_url(procedure), rows({"title": "X", "allowance_hours": "1"})
    )
    assert response.status_code == 403
    assert saved_steps(procedure) == []


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(world: World, procedure: Procedure) -> None:
    response = Client().get(edit_url(procedure))
    assert response.status_code == 302
    assert reverse("directory:login") in response["Location"]


def test_the_list_shows_which_procedures_have_a_process(world: World, procedure: Procedure) -> None:
    other = services.save_procedure(
        actor=None, record=make_record(code="1.004402", name="Cấp Phiếu lý lịch tư pháp cho cơ quan tố tụng")
    ).procedure
    services.set_internal_process(
        actor=None, procedure=procedure, agency=world.a, steps=[step("Tiếp nhận", "4"), step("Xử lý", "20")]
    )
    client = signed_in(world.admin_a)
    page = client.get(reverse("catalog:process_list", args=[CODE_A])).content.decode()
    assert "2 bước, 24 giờ" in page
    assert "Chưa có" in page and edit_url(other) in page
    found = client.get(reverse("catalog:process_list", args=[CODE_A]), {"q": "to tung"}).content.decode()
    assert edit_url(other) in found and edit_url(procedure) not in found
