"""The demo province behind ``lienthong demo``, and the registry that lets each app add its sample data."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from lienthong.audit.models import AuditEntry
from lienthong.core import demo
from lienthong.core.demo import DemoAccount, DemoReport
from lienthong.directory.codes import is_agency_code
from lienthong.directory.demo_data import DEMO_PASSWORD, PROVINCE_CODE
from lienthong.directory.models import Agency, Person, Position, Role, RoleAssignment, Tier, Unit, UnitKind


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo hashes a password per person; the production hasher would make each test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def registry():
    """Leave the registry as the apps set it up, whatever a test registers."""
    saved = dict(demo._loaders)
    yield
    demo._loaders.clear()
    demo._loaders.update(saved)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (AuditEntry, Agency, Unit, Position, Person, RoleAssignment)
    }


@pytest.mark.django_db
def test_demo_creates_a_two_tier_province_with_departments_and_communes():
    demo.load_demo()

    province = Agency.objects.get(code=PROVINCE_CODE)
    assert province.tier == Tier.PROVINCE
    assert province.parent is None
    provincial = Agency.objects.filter(parent=province, tier=Tier.PROVINCE)
    assert provincial.count() >= 15
    assert {"SNV", "STC", "SXD", "SNNMT", "SYT", "STP"} <= set(
        provincial.values_list("short_name", flat=True)
    )
    assert provincial.filter(name__startswith="Trung tâm Phục vụ hành chính công").exists()
    assert provincial.filter(name__startswith="Văn phòng Ủy ban nhân dân tỉnh").exists()

    communes = Agency.objects.filter(tier=Tier.COMMUNE, is_active=True)
    assert communes.count() >= 40
    assert communes.filter(name__contains="phường").exists()
    assert communes.filter(name__contains="xã").exists()
    for commune in communes:
        assert commune.parent_id == province.pk, "two tiers: every commune hangs directly under the province"
        assert commune.units.filter(kind=UnitKind.ONESTOP).exists()
        assert commune.units.filter(name="Văn phòng HĐND và UBND").exists()

    assert all(
        is_agency_code(code) and code.endswith(".H99")
        for code in Agency.objects.values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_former_districts_ended_on_30_june_2025_and_name_their_successor():
    demo.load_demo()

    districts = Agency.objects.filter(tier=Tier.DISTRICT)
    assert districts.count() == 2
    for district in districts:
        assert district.valid_to == date(2025, 6, 30)
        assert not district.is_active
        assert district.successor is not None and district.successor.is_active
    assert {d.successor.tier for d in districts} == {Tier.COMMUNE, Tier.PROVINCE}


@pytest.mark.django_db
def test_every_role_has_a_demo_person_who_signs_in_with_the_shared_password():
    demo.load_demo()

    assignments = RoleAssignment.objects.filter(agency__code__endswith=".H99", is_active=True)
    assert set(assignments.values_list("role", flat=True)) == set(Role.values)
    tiers = set(assignments.values_list("agency__tier", flat=True))
    assert {Tier.PROVINCE, Tier.COMMUNE} <= tiers
    for person in Person.objects.filter(roles__in=assignments).distinct():
        assert person.check_password(DEMO_PASSWORD), person.username
    admin = Person.objects.get(roles__role=Role.SYSTEM_ADMIN)
    assert admin.is_staff and admin.is_superuser
    assert len(DEMO_PASSWORD) >= 10


@pytest.mark.django_db
def test_every_demo_change_is_in_the_audit_log():
    demo.load_demo()

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"agency.create", "unit.create", "position.create", "person.create", "role.grant"} <= actions
    assert AuditEntry.objects.filter(action="agency.create").count() == Agency.objects.count()


@pytest.mark.django_db
def test_running_the_demo_twice_changes_nothing():
    call_command("demo", stdout=StringIO())
    first = _counts()

    output = StringIO()
    call_command("demo", stdout=output)

    assert _counts() == first
    assert "không có gì thay đổi" in output.getvalue()


@pytest.mark.django_db
def test_demo_command_prints_the_sign_ins_as_a_table():
    output = StringIO()
    call_command("demo", stdout=output)

    text = output.getvalue()
    assert "Tên đăng nhập" in text and "Mật khẩu" in text
    for username in ("quantri", "snv.vanthu", "thanhlam.motcua"):
        line = next(line for line in text.splitlines() if line.startswith(username + " "))
        assert DEMO_PASSWORD in line
    assert "Cán bộ một cửa" in text


@pytest.mark.django_db
def test_the_first_start_is_recognised_by_an_empty_directory():
    assert demo.database_is_empty()
    assert demo.demo_accounts() == []

    demo.load_demo()

    assert not demo.database_is_empty()
    assert len(demo.demo_accounts()) >= len(Role.values)


@pytest.mark.django_db
def test_loaders_run_in_order_and_one_failure_writes_nothing(registry):
    calls: list[str] = []
    demo._loaders.clear()

    def directory_like(report: DemoReport) -> None:
        calls.append("b")
        Position.objects.create(name="Chức vụ thử")

    def failing(report: DemoReport) -> None:
        calls.append("c")
        raise RuntimeError("boom")

    demo.register_demo_loader("c", 30, failing)
    demo.register_demo_loader("b", 20, directory_like)
    demo.register_demo_loader("a", 10, lambda report: calls.append("a"))

    with pytest.raises(RuntimeError):
        demo.load_demo()

    assert calls == ["a", "b", "c"]
    assert not Position.objects.filter(name="Chức vụ thử").exists()


def test_registering_a_loader_again_under_the_same_name_replaces_it(registry):
    demo._loaders.clear()
    demo.register_demo_loader("x", 10, lambda report: report.notes.append("old"))
    demo.register_demo_loader("x", 10, lambda report: report.notes.append("new"))

    assert [loader.name for loader in demo.demo_loaders()] == ["x"]


def test_accounts_table_lines_up_columns():
    accounts = [
        DemoAccount("a", "Nguyễn Văn A", "Văn thư", "Sở Nội vụ", "LienThong@2026"),
        DemoAccount("bbbbbb", "Lê B", "Lãnh đạo", "UBND", "LienThong@2026"),
    ]
    lines = demo.accounts_table(accounts).splitlines()

    assert len(lines) == 4
    column = lines[0].index("Họ và tên")
    assert lines[2][column:].startswith("Nguyễn Văn A")
    assert lines[3][column:].startswith("Lê B")
