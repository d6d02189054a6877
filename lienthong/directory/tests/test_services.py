"""Directory services used by the pages and the API: audited changes, refusals naming field and rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import history_of, verify_chain
from lienthong.core.errors import DomainError
from lienthong.directory import services
from lienthong.directory.models import ApiCredential, Unit

from .test_scoping import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def test_updating_an_agency_records_exactly_the_changed_fields(world: World) -> None:
    services.update_agency(actor=world.admin_a, agency=world.a, phone="0258 3822 000", name=world.a.name)
    entry = history_of(world.a).last()
    assert entry is not None
    assert (entry.action, entry.actor, entry.agency_code) == ("agency.update", "quantri.a", world.a.code)
    assert entry.changes == {"phone": ["", "0258 3822 000"]}


def test_an_update_that_changes_nothing_writes_no_entry(world: World) -> None:
    before = AuditEntry.objects.count()
    services.update_agency(actor=world.admin_a, agency=world.a, name=world.a.name)
    assert AuditEntry.objects.count() == before


def test_a_refused_update_leaves_the_record_and_the_log_untouched(world: World) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.update_agency(actor=world.admin_a, agency=world.a, email="khong-phai-email")
    assert refused.value.problems[0].field == "email"
    world.a.refresh_from_db()
    assert world.a.email == ""
    assert AuditEntry.objects.count() == before


def test_add_unit_refuses_a_code_already_used_in_the_agency_on_the_code_field(world: World) -> None:
    services.add_unit(actor=world.admin_a, agency=world.a, code="VP", name="Văn phòng Sở")
    with pytest.raises(DomainError) as refused:
        services.add_unit(actor=world.admin_a, agency=world.a, code="vp", name="Văn phòng khác")
    assert (refused.value.field, refused.value.rule) == ("code", "unique")
    assert Unit.objects.filter(agency=world.a).count() == 1


def test_the_same_unit_code_may_be_used_in_another_agency(world: World) -> None:
    services.add_unit(actor=world.admin_a, agency=world.a, code="VP", name="Văn phòng Sở Nội vụ")
    unit = services.add_unit(actor=world.officer_b, agency=world.b, code="VP", name="Văn phòng Sở Tài chính")
    assert unit.agency == world.b
    assert AuditEntry.objects.filter(action="unit.create", agency_code=world.b.code).count() == 1


def test_credential_use_is_written_at_most_once_per_interval(world: World) -> None:
    credential = world.credential_a
    now = timezone.now()
    every = timedelta(minutes=1)
    assert services.mark_api_credential_used(credential=credential, at=now, every=every)
    assert not services.mark_api_credential_used(
        credential=credential, at=now + timedelta(seconds=30), every=every
    )
    assert services.mark_api_credential_used(
        credential=credential, at=now + timedelta(seconds=61), every=every
    )
    stored = ApiCredential.objects.get(pk=credential.pk).last_used_at
    assert stored == now + timedelta(seconds=61)


def test_credential_use_is_not_audited(world: World) -> None:
    before = AuditEntry.objects.count()
    services.mark_api_credential_used(
        credential=world.credential_a, at=timezone.now(), every=timedelta(minutes=1)
    )
    assert AuditEntry.objects.count() == before


def test_the_audit_chain_stays_intact_after_the_directory_changes(world: World) -> None:
    services.update_agency(actor=world.admin_a, agency=world.a, address="Số 1 Trần Phú")
    services.add_unit(actor=world.admin_a, agency=world.a, code="VP", name="Văn phòng")
    count, broken = verify_chain()
    assert broken is None
    assert count == AuditEntry.objects.count()
