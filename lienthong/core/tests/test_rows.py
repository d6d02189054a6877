"""The plain insert writes exactly what Model.save() would: defaults, auto_now_add, JSON and bytes."""

from __future__ import annotations

from typing import Any

import pytest

from lienthong.catalog.models import CatalogImport
from lienthong.core.rows import insert, insert_many, new_row


@pytest.mark.django_db
def test_an_inserted_row_reads_back_as_the_orm_would_have_written_it() -> None:
    row = insert(
        CatalogImport(
            file_name="danh-muc.xlsx",
            file_format="xlsx",
            sha256="ab" * 32,
            content=b"\x00\x01 d\xe1\xbb\xaf li\xe1\xbb\x87u",
            report={"rows": 3, "lỗi": ["dòng 2"]},
        )
    )
    assert row.pk is not None and not row._state.adding
    fresh = CatalogImport.objects.get(pk=row.pk)
    assert fresh.report == {"rows": 3, "lỗi": ["dòng 2"]}
    assert bytes(fresh.content) == b"\x00\x01 d\xe1\xbb\xaf li\xe1\xbb\x87u"
    assert fresh.created_at is not None and fresh.created_at == row.created_at
    assert fresh.applied_at is None and fresh.created_by == ""


@pytest.mark.django_db
def test_values_of_other_types_are_converted_as_the_orm_converts_them() -> None:
    from django.utils.translation import gettext_lazy

    from lienthong.directory.models import Agency, Position, Tier

    # A lazy translation in a text field, a whole number in a boolean, a boolean in a whole-number field and a
    # choices member: each is sent in its database form, not as it is.
    agency = insert(
        Agency(code="000.00.77.H99", name=gettext_lazy("Ủy ban"), tier=Tier.PROVINCE, is_active=1)  # type: ignore[misc]
    )
    position = insert(Position(name="Thử", rank=True))
    fresh = Agency.objects.get(pk=agency.pk)
    assert fresh.name == "Ủy ban" and fresh.is_active is True and fresh.tier == "province"
    assert Position.objects.get(pk=position.pk).rank == 1


@pytest.mark.django_db
def test_many_rows_in_one_statement_get_their_own_keys_in_order() -> None:
    from lienthong.directory.models import Position

    rows = insert_many([Position(name=f"Chức vụ {n}", rank=n) for n in range(3)])
    assert [Position.objects.get(pk=row.pk).name for row in rows] == ["Chức vụ 0", "Chức vụ 1", "Chức vụ 2"]
    assert insert_many([]) == []


@pytest.mark.django_db
def test_moments_and_dates_are_stored_as_the_orm_would_store_them() -> None:
    from datetime import UTC, date, datetime, timedelta, timezone

    from django.utils import timezone as django_timezone

    from lienthong.audit.models import AuditEntry
    from lienthong.directory.models import Agency, Tier
    from lienthong.onestop.models import DossierCodeCounter

    def entry(at: datetime, n: int) -> AuditEntry:
        return insert(
            AuditEntry(
                at=at,
                actor="thử",
                action="test",
                object_type="t",
                object_id=str(n),
                prev_hash="0",
                hash=str(n),
            )
        )

    # An aware moment in any zone is the same instant; a naive one is read in the project's zone (Vietnam), with
    # the ORM's warning, not in the database session's (UTC).
    tokyo = entry(datetime(2027, 2, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))), 1)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        naive = entry(datetime(2027, 2, 1, 8, 0), 2)
    assert AuditEntry.objects.get(pk=tokyo.pk).at == datetime(2027, 2, 1, 0, 0, tzinfo=UTC)
    assert AuditEntry.objects.get(pk=naive.pk).at == django_timezone.make_aware(datetime(2027, 2, 1, 8, 0))
    assert AuditEntry.objects.get(pk=naive.pk).at == datetime(2027, 2, 1, 1, 0, tzinfo=UTC)

    agency = insert(Agency(code="000.00.78.H99", name="Ủy ban thử", tier=Tier.PROVINCE))
    counter = insert(DossierCodeCounter(agency=agency, day=date(2027, 2, 5), last_number=7))
    fresh = DossierCodeCounter.objects.get(pk=counter.pk)
    assert fresh.day == date(2027, 2, 5) and fresh.last_number == 7


@pytest.mark.django_db
def test_a_row_built_in_field_order_is_the_row_keyword_construction_builds(
    django_assert_num_queries: Any,
) -> None:
    from datetime import date

    from lienthong.directory.models import Agency, Tier
    from lienthong.onestop.models import DossierCodeCounter

    agency = insert(Agency(code="000.00.78.H99", name="Sở Thử", tier=Tier.PROVINCE))
    fields = {"agency": agency, "day": date(2027, 2, 3)}
    built, expected = new_row(DossierCodeCounter, **fields), DossierCodeCounter(**fields)
    for field in DossierCodeCounter._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(expected, field.attname), field.name
    assert built._state.adding and built.last_number == 0  # the field's default
    with django_assert_num_queries(0):
        assert built.agency is agency  # the related object is cached, not read again
    assert new_row(DossierCodeCounter, agency_id=agency.pk, day=date(2027, 2, 3)).agency_id == agency.pk
    with pytest.raises(TypeError, match="no field"):
        new_row(DossierCodeCounter, agency=agency, colour="red")


@pytest.mark.django_db
def test_a_callable_default_is_called_for_each_row() -> None:
    first, second = new_row(CatalogImport, file_name="a.xlsx"), new_row(CatalogImport, file_name="b.xlsx")
    assert first.report == {} and second.report == {} and first.report is not second.report
