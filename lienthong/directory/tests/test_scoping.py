"""Agency scoping: who sees which agencies, and who may change them (selectors, once for pages and API)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.http import Http404

from lienthong.core.errors import PermissionDenied
from lienthong.directory import selectors, services
from lienthong.directory.models import Agency, ApiCredential, Person, Role, RoleAssignment

PROVINCE = "000.00.00.H56"
CODE_A = "000.00.01.H56"
CODE_B = "000.00.02.H56"


@dataclass
class World:
    """Two departments under one province: officers and an admin in A, an officer in B, a system admin."""

    province: Agency
    a: Agency
    b: Agency
    specialist_a: Person
    admin_a: Person
    officer_b: Person
    sysadmin: Person
    credential_a: ApiCredential
    token_a: str


def build_world() -> World:
    province = services.create_agency(
        actor=None, code=PROVINCE, name="Ủy ban nhân dân tỉnh Khánh Hòa", short_name="UBND", tier="province"
    )
    a = services.create_agency(
        actor=None,
        code=CODE_A,
        name="Sở Nội vụ tỉnh Khánh Hòa",
        short_name="SNV",
        tier="province",
        parent=province,
    )
    b = services.create_agency(
        actor=None,
        code=CODE_B,
        name="Sở Tài chính tỉnh Khánh Hòa",
        short_name="STC",
        tier="province",
        parent=province,
    )
    specialist_a = services.create_person(actor=None, username="chuyenvien.a", full_name="Nguyễn Văn An")
    admin_a = services.create_person(actor=None, username="quantri.a", full_name="Trần Thị Bình")
    officer_b = services.create_person(actor=None, username="canbo.b", full_name="Lê Văn Cường")
    sysadmin = services.create_person(actor=None, username="quantri.he.thong", full_name="Phạm Thị Dung")
    services.grant_role(actor=None, person=specialist_a, agency=a, role=Role.SPECIALIST)
    services.grant_role(actor=None, person=admin_a, agency=a, role=Role.AGENCY_ADMIN)
    services.grant_role(actor=None, person=officer_b, agency=b, role=Role.AGENCY_ADMIN)
    services.grant_role(actor=None, person=sysadmin, agency=province, role=Role.SYSTEM_ADMIN)
    sysadmin.refresh_from_db()
    credential_a, token_a = services.create_api_credential(actor=None, agency=a, name="Phần mềm một cửa")
    return World(province, a, b, specialist_a, admin_a, officer_b, sysadmin, credential_a, token_a)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def codes(principal: object) -> list[str]:
    return list(selectors.visible_agencies(principal).order_by("code").values_list("code", flat=True))


def test_officer_sees_only_the_agencies_where_they_hold_an_active_role(world: World) -> None:
    assert codes(world.specialist_a) == [CODE_A]
    assert codes(world.officer_b) == [CODE_B]


def test_system_admin_sees_every_agency(world: World) -> None:
    assert codes(world.sysadmin) == [PROVINCE, CODE_A, CODE_B]


def test_api_credential_sees_only_its_own_agency(world: World) -> None:
    assert codes(world.credential_a) == [CODE_A]


def test_revoked_credential_and_anonymous_see_nothing(world: World) -> None:
    services.revoke_api_credential(actor=None, credential=world.credential_a)
    world.credential_a.refresh_from_db()
    assert codes(world.credential_a) == []
    from django.contrib.auth.models import AnonymousUser

    assert codes(AnonymousUser()) == []


def test_revoking_the_role_takes_the_agency_out_of_scope(world: World) -> None:
    assignment = RoleAssignment.objects.get(person=world.specialist_a, agency=world.a)
    services.revoke_role(actor=world.admin_a, assignment=assignment)
    assert codes(world.specialist_a) == []
    with pytest.raises(Http404):
        selectors.agency_for(world.specialist_a, CODE_A)


def test_deactivated_account_sees_nothing(world: World) -> None:
    services.update_person(actor=None, person=world.specialist_a, is_active=False)
    world.specialist_a.refresh_from_db()
    assert codes(world.specialist_a) == []


def test_officer_of_agency_a_gets_404_for_agency_b_and_for_an_unknown_code(world: World) -> None:
    assert selectors.agency_for(world.specialist_a, CODE_A) == world.a
    with pytest.raises(Http404) as out_of_scope:
        selectors.agency_for(world.specialist_a, CODE_B)
    with pytest.raises(Http404) as unknown:
        selectors.agency_for(world.specialist_a, "999.99.99.Z99")
    assert str(out_of_scope.value) == str(unknown.value)


def test_only_agency_admins_and_system_admins_may_change_an_agency(world: World) -> None:
    assert selectors.can_change_agency(world.admin_a, world.a)
    assert selectors.can_change_agency(world.sysadmin, world.a)
    assert not selectors.can_change_agency(world.specialist_a, world.a)
    assert not selectors.can_change_agency(world.officer_b, world.a)
    assert not selectors.can_change_agency(world.credential_a, world.a)


def test_specialist_asking_to_change_their_agency_is_refused_with_role_required(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        selectors.agency_for_change(world.specialist_a, CODE_A)
    assert refused.value.status == 403
    assert refused.value.rule == "role_required"


def test_agency_admin_asking_to_change_another_agency_gets_404_not_403(world: World) -> None:
    with pytest.raises(Http404):
        selectors.agency_for_change(world.admin_a, CODE_B)


def test_search_ignores_case_and_diacritics_and_stays_in_scope(world: World) -> None:
    found = selectors.search_agencies(world.sysadmin, q="so noi vu")
    assert [agency.code for agency in found] == [CODE_A]
    assert [agency.code for agency in selectors.search_agencies(world.sysadmin, q="SỞ")] == [CODE_A, CODE_B]
    assert selectors.search_agencies(world.specialist_a, q="tai chinh") == []
    assert [agency.code for agency in selectors.search_agencies(world.sysadmin, q="000.00.02")] == [CODE_B]


def test_search_filters_by_tier_and_activity(world: World) -> None:
    services.update_agency(actor=None, agency=world.b, is_active=False)
    assert [a.code for a in selectors.search_agencies(world.sysadmin, active=False)] == [CODE_B]
    assert selectors.search_agencies(world.sysadmin, tier="commune") == []


def test_children_and_predecessors_are_limited_to_the_visible_ones(world: World) -> None:
    assert list(selectors.children_of(world.sysadmin, world.province)) == [world.a, world.b]
    assert list(selectors.children_of(world.specialist_a, world.province)) == [world.a]
    services.update_agency(actor=None, agency=world.b, is_active=False, successor=world.a)
    assert list(selectors.predecessors_of(world.sysadmin, world.a)) == [world.b]
    assert list(selectors.predecessors_of(world.specialist_a, world.a)) == []


def test_a_person_is_visible_to_colleagues_but_not_to_other_agencies(world: World) -> None:
    assert selectors.person_for(world.admin_a, world.specialist_a.pk) == world.specialist_a
    assert selectors.person_for(world.specialist_a, world.specialist_a.pk) == world.specialist_a
    with pytest.raises(Http404):
        selectors.person_for(world.officer_b, world.specialist_a.pk)


def test_roles_of_another_agency_stay_hidden_on_a_person(world: World) -> None:
    services.grant_role(actor=None, person=world.specialist_a, agency=world.b, role=Role.CLERK)
    seen_by_b = selectors.roles_seen_by(world.officer_b, world.specialist_a)
    assert [(r.agency.code, r.role) for r in seen_by_b] == [(CODE_B, Role.CLERK)]
    seen_by_admin = selectors.roles_seen_by(world.sysadmin, world.specialist_a)
    assert {r.agency.code for r in seen_by_admin} == {CODE_A, CODE_B}
