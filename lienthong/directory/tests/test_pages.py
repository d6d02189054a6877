"""Directory pages: scoping (404 outside), roles (403 page), edits through the services, visible history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lienthong.audit.models import AuditEntry
from lienthong.directory import services
from lienthong.directory.auth import ApiCredentialAuth
from lienthong.directory.models import Agency, ApiCredential, Person, Role, RoleAssignment, Unit

from .test_scoping import CODE_A, CODE_B, PROVINCE, World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def agency_form_data(agency: Agency, **changes: Any) -> dict[str, Any]:
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "tier": agency.tier,
        "parent": agency.parent.code if agency.parent else "",
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "website": agency.website,
        "is_active": "on" if agency.is_active else "",
        "valid_from": "",
        "valid_to": "",
        "successor": agency.successor.code if agency.successor else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_pages_need_a_signed_in_person(world: World) -> None:
    response = Client().get(reverse("directory:agency_list"))
    assert response.status_code == 302
    assert reverse("directory:login") in response["Location"]


def test_agency_list_shows_only_visible_agencies(world: World) -> None:
    page = signed_in(world.specialist_a).get(reverse("directory:agency_list")).content.decode()
    assert "Sở Nội vụ tỉnh Khánh Hòa" in page
    assert "Sở Tài chính" not in page
    assert CODE_B not in page


def test_agency_list_search_ignores_diacritics(world: World) -> None:
    client = signed_in(world.sysadmin)
    page = client.get(reverse("directory:agency_list"), {"q": "tai chinh"}).content.decode()
    assert "Sở Tài chính tỉnh Khánh Hòa" in page
    assert "Sở Nội vụ" not in page


def test_officer_of_agency_a_cannot_read_agency_b_pages(world: World) -> None:
    client = signed_in(world.specialist_a)
    assert client.get(reverse("directory:agency_detail", args=[CODE_A])).status_code == 200
    for name in ("agency_detail", "agency_people"):
        assert client.get(reverse(name.join(["directory:", ""]), args=[CODE_B])).status_code == 404


def test_officer_of_agency_a_cannot_change_agency_b_pages(world: World) -> None:
    client = signed_in(world.admin_a)
    for name in ("agency_edit", "unit_create", "role_grant", "credentials"):
        assert client.get(reverse(f"directory:{name}", args=[CODE_B])).status_code == 404, name
    response = client.post(
        reverse("directory:agency_edit", args=[CODE_B]), agency_form_data(world.b, name="X")
    )
    assert response.status_code == 404
    assert Agency.objects.get(code=CODE_B).name == "Sở Tài chính tỉnh Khánh Hòa"
    assignment = RoleAssignment.objects.get(agency=world.b)
    revoke = client.post(reverse("directory:role_revoke", args=[CODE_B, assignment.pk]))
    assert revoke.status_code == 404
    assert RoleAssignment.objects.get(pk=assignment.pk).is_active


def test_an_assignment_of_agency_b_cannot_be_revoked_through_agency_a(world: World) -> None:
    assignment = RoleAssignment.objects.get(agency=world.b)
    response = signed_in(world.admin_a).post(reverse("directory:role_revoke", args=[CODE_A, assignment.pk]))
    assert response.status_code == 404
    assert RoleAssignment.objects.get(pk=assignment.pk).is_active


def test_specialist_of_agency_a_cannot_edit_agency_a(world: World) -> None:
    client = signed_in(world.specialist_a)
    detail = client.get(reverse("directory:agency_detail", args=[CODE_A])).content.decode()
    assert reverse("directory:agency_edit", args=[CODE_A]) not in detail
    response = client.get(reverse("directory:agency_edit", args=[CODE_A]))
    assert response.status_code == 403
    assert "Chỉ quản trị của cơ quan này" in response.content.decode()
    response = client.post(
        reverse("directory:agency_edit", args=[CODE_A]), agency_form_data(world.a, name="X")
    )
    assert response.status_code == 403
    assert Agency.objects.get(code=CODE_A).name == "Sở Nội vụ tỉnh Khánh Hòa"


def test_agency_admin_edits_agency_a_and_the_diff_appears_in_its_history(world: World) -> None:
    client = signed_in(world.admin_a)
    edit_url = reverse("directory:agency_edit", args=[CODE_A])
    assert client.get(edit_url).status_code == 200
    data = agency_form_data(world.a, address="Số 6 Lê Thánh Tôn, Nha Trang", phone="0258 3822 111")
    response = client.post(edit_url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:agency_detail", args=[CODE_A])
    entry = AuditEntry.objects.get(action="agency.update", object_id=str(world.a.pk))
    assert entry.changes == {"address": ["", "Số 6 Lê Thánh Tôn, Nha Trang"], "phone": ["", "0258 3822 111"]}
    page = client.get(response["Location"]).content.decode()
    history = page[page.index('id="lich-su"') :]
    assert "agency.update" in history
    assert "quantri.a" in history
    assert "Số 6 Lê Thánh Tôn, Nha Trang" in history
    assert "0258 3822 111" in history


def test_saving_the_form_unchanged_writes_no_audit_entry(world: World) -> None:
    client = signed_in(world.admin_a)
    client.post(reverse("directory:agency_edit", args=[CODE_A]), agency_form_data(world.a))
    assert not AuditEntry.objects.filter(action="agency.update").exists()


def test_validation_errors_are_shown_next_to_their_fields_in_vietnamese(world: World) -> None:
    client = signed_in(world.admin_a)
    data = agency_form_data(world.a, name="", email="khong-phai-email", parent="999.99.99.Z99")
    response = client.post(reverse("directory:agency_edit", args=[CODE_A]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "email", "parent"}
    page = response.content.decode()
    assert 'id="id_name_error"' in page and 'aria-invalid="true"' in page
    assert "Không có cơ quan mang mã định danh này." in page
    assert "Trường này là bắt buộc." in page
    assert Agency.objects.get(code=CODE_A).email == ""


def test_an_agency_cannot_be_its_own_parent(world: World) -> None:
    client = signed_in(world.admin_a)
    response = client.post(
        reverse("directory:agency_edit", args=[CODE_A]), agency_form_data(world.a, parent=CODE_A)
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_detail_shows_hierarchy_units_people_and_links_only_visible_agencies(world: World) -> None:
    services.create_unit(actor=None, agency=world.a, code="VP", name="Văn phòng Sở", kind="office")
    page = (
        signed_in(world.specialist_a).get(reverse("directory:agency_detail", args=[CODE_A])).content.decode()
    )
    assert "Ủy ban nhân dân tỉnh Khánh Hòa" in page
    assert reverse("directory:agency_detail", args=[PROVINCE]) not in page
    assert "Văn phòng Sở" in page
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    assert '<th scope="col">' in page

    admin_page = (
        signed_in(world.sysadmin).get(reverse("directory:agency_detail", args=[PROVINCE])).content.decode()
    )
    assert reverse("directory:agency_detail", args=[CODE_A]) in admin_page
    assert reverse("directory:agency_detail", args=[CODE_B]) in admin_page


def test_detail_of_a_merged_agency_names_its_successor(world: World) -> None:
    services.update_agency(actor=None, agency=world.b, is_active=False, successor=world.a)
    page = signed_in(world.sysadmin).get(reverse("directory:agency_detail", args=[CODE_B])).content.decode()
    assert "Đã chấm dứt hoạt động" in page
    assert reverse("directory:agency_detail", args=[CODE_A]) in page
    successor_page = signed_in(world.sysadmin).get(reverse("directory:agency_detail", args=[CODE_A]))
    assert "Cơ quan đã sáp nhập vào cơ quan này" in successor_page.content.decode()


def test_agency_admin_creates_and_edits_a_unit(world: World) -> None:
    client = signed_in(world.admin_a)
    data = {"code": "VP", "name": "Văn phòng Sở", "short_name": "VP", "kind": "office", "is_active": "on"}
    response = client.post(reverse("directory:unit_create", args=[CODE_A]), data)
    assert response.status_code == 302
    unit = Unit.objects.get(agency=world.a, code="VP")
    response = client.post(
        reverse("directory:unit_edit", args=[CODE_A, unit.pk]), {**data, "name": "Văn phòng", "is_active": ""}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Văn phòng", False)
    assert AuditEntry.objects.filter(action__in=["unit.create", "unit.update"]).count() == 2


def test_a_duplicate_unit_code_is_shown_on_the_code_field(world: World) -> None:
    services.create_unit(actor=None, agency=world.a, code="VP", name="Văn phòng")
    response = signed_in(world.admin_a).post(
        reverse("directory:unit_create", args=[CODE_A]), {"code": "VP", "name": "Khác", "kind": "department"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]


def test_a_unit_of_agency_b_cannot_be_edited_through_agency_a(world: World) -> None:
    unit_b = services.create_unit(actor=None, agency=world.b, code="VP", name="Văn phòng")
    response = signed_in(world.admin_a).get(reverse("directory:unit_edit", args=[CODE_A, unit_b.pk]))
    assert response.status_code == 404


def test_agency_admin_grants_and_revokes_a_role(world: World) -> None:
    newcomer = services.create_person(actor=None, username="vanthu.a", full_name="Đỗ Thị Em")
    client = signed_in(world.admin_a)
    response = client.post(
        reverse("directory:role_grant", args=[CODE_A]), {"username": "vanthu.a", "role": "clerk"}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=newcomer, agency=world.a, role=Role.CLERK, is_active=True)
    people = client.get(reverse("directory:agency_people", args=[CODE_A])).content.decode()
    assert "Đỗ Thị Em" in people
    response = client.post(reverse("directory:role_revoke", args=[CODE_A, assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.get(pk=assignment.pk).is_active
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            object_id=str(assignment.pk), object_type="directory.roleassignment"
        )
    ] == ["role.grant", "role.revoke"]


def test_granting_to_an_unknown_username_is_shown_on_the_field(world: World) -> None:
    response = signed_in(world.admin_a).post(
        reverse("directory:role_grant", args=[CODE_A]), {"username": "khong.co", "role": "clerk"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["username"]


def test_agency_admin_cannot_make_anyone_system_admin(world: World) -> None:
    client = signed_in(world.admin_a)
    form_page = client.get(reverse("directory:role_grant", args=[CODE_A])).content.decode()
    assert 'value="system_admin"' not in form_page
    response = client.post(
        reverse("directory:role_grant", args=[CODE_A]), {"username": "chuyenvien.a", "role": "system_admin"}
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    world.specialist_a.refresh_from_db()
    assert not world.specialist_a.is_superuser


def test_specialist_cannot_grant_roles(world: World) -> None:
    response = signed_in(world.specialist_a).post(
        reverse("directory:role_grant", args=[CODE_A]), {"username": "chuyenvien.a", "role": "agency_admin"}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(person=world.specialist_a, role=Role.AGENCY_ADMIN).exists()


def test_issued_api_token_is_shown_once_and_works_until_revoked(world: World) -> None:
    client = signed_in(world.admin_a)
    url = reverse("directory:credentials", args=[CODE_A])
    response = client.post(url, {"name": "Bưu điện tỉnh"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = response.context["token"]
    assert re.fullmatch(r"[0-9a-f]{16}\.[\w-]+", token)
    assert token in response.content.decode()
    credential = ApiCredential.objects.get(name="Bưu điện tỉnh")
    assert ApiCredentialAuth().authenticate(None, token) == credential  # type: ignore[arg-type]

    listing = client.get(url).content.decode()
    assert credential.key_id in listing
    assert token not in listing

    response = client.post(reverse("directory:credential_revoke", args=[CODE_A, credential.pk]))
    assert response.status_code == 302
    assert ApiCredentialAuth().authenticate(None, token) is None  # type: ignore[arg-type]


def test_specialist_cannot_see_or_issue_api_credentials(world: World) -> None:
    client = signed_in(world.specialist_a)
    assert client.get(reverse("directory:credentials", args=[CODE_A])).status_code == 403
    assert client.post(reverse("directory:credentials", args=[CODE_A]), {"name": "X"}).status_code == 403
    assert not ApiCredential.objects.filter(name="X").exists()


def test_person_page_is_visible_to_colleagues_only(world: World) -> None:
    url = reverse("directory:person_detail", args=[world.specialist_a.pk])
    page = signed_in(world.admin_a).get(url)
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode()
    assert signed_in(world.officer_b).get(url).status_code == 404


def test_system_admin_reaches_every_agency_and_may_edit_it(world: World) -> None:
    client = signed_in(world.sysadmin)
    assert client.get(reverse("directory:agency_edit", args=[CODE_B])).status_code == 200
    page = client.get(reverse("directory:agency_list")).content.decode()
    assert all(code in page for code in (PROVINCE, CODE_A, CODE_B))


def test_every_form_input_has_a_label(world: World) -> None:
    client = signed_in(world.admin_a)
    for name in ("agency_edit", "unit_create", "role_grant", "credentials"):
        page = client.get(reverse(f"directory:{name}", args=[CODE_A])).content.decode()
        form_html = page[page.index("<main") :]
        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', form_html
        )
        assert ids, name
        for input_id in ids:
            assert f'for="{input_id}"' in page, (name, input_id)


def test_edits_in_the_back_office_go_through_the_services_and_are_audited(world: World) -> None:
    client = signed_in(world.sysadmin)
    url = reverse("admin:directory_agency_change", args=[world.a.pk])
    assert client.get(url).status_code == 200
    data = agency_form_data(world.a, address="Số 6 Lê Thánh Tôn", parent=str(world.province.pk), successor="")
    data.update({"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0", "_save": "Lưu"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action="agency.update", object_id=str(world.a.pk))
    assert (entry.actor, entry.changes) == ("quantri.he.thong", {"address": ["", "Số 6 Lê Thánh Tôn"]})


def test_people_created_in_the_back_office_are_audited_and_can_sign_in(world: World) -> None:
    client = signed_in(world.sysadmin)
    response = client.post(
        reverse("admin:directory_person_add"),
        {
            "username": "moi.a",
            "full_name": "Vũ Văn Giang",
            "email": "",
            "phone": "",
            "is_active": "on",
            "new_password": "Mat-khau-dai-2025!",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="person.create", object_label="Vũ Văn Giang").exists()
    assert Person.objects.get(username="moi.a").check_password("Mat-khau-dai-2025!")


def test_credentials_are_revoked_in_the_back_office_through_the_service(world: World) -> None:
    client = signed_in(world.sysadmin)
    response = client.post(
        reverse("admin:directory_apicredential_changelist"),
        {"action": "revoke", "_selected_action": [world.credential_a.pk]},
    )
    assert response.status_code == 302
    assert not ApiCredential.objects.get(pk=world.credential_a.pk).is_active
    assert AuditEntry.objects.filter(action="api_credential.revoke").count() == 1
