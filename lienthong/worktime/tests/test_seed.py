"""Seeding the calendar from the pinned ``holidays`` release: idempotent, audited, and never overriding the
administrator."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import history_of
from lienthong.worktime import services
from lienthong.worktime.management.commands.calendar import parse_years
from lienthong.worktime.models import CalendarDay, CalendarVersion

pytestmark = pytest.mark.django_db


def test_seeding_2026_stores_tet_the_swapped_saturday_and_culture_day(seeded) -> None:
    tet = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (tet.kind, tet.name, tet.source) == ("holiday", "Tết Nguyên Đán", "holidays-0.108")
    assert CalendarDay.objects.get(date=date(2026, 8, 22)).kind == "workday"
    assert CalendarDay.objects.get(date=date(2026, 8, 31)).kind == "day_off"
    assert CalendarDay.objects.get(date=date(2026, 11, 24)).name == "Ngày Văn hóa Việt Nam"
    assert len(seeded.created) == CalendarDay.objects.count()


def test_each_seeded_entry_is_audited_as_done_by_the_system(seeded) -> None:
    entry = CalendarDay.objects.get(date=date(2026, 2, 17))
    (audit,) = history_of(entry)
    assert audit.action == "worktime.day.seed"
    assert audit.actor == "hệ thống"
    assert audit.changes["name"] == [None, "Tết Nguyên Đán"]


def test_seeding_twice_changes_nothing_and_writes_no_audit_entry(seeded) -> None:
    entries, token = AuditEntry.objects.count(), CalendarVersion.objects.get().token
    again = services.seed_calendar(range(2025, 2028))
    assert not again.changed
    assert again.unchanged == len(seeded.created)
    assert AuditEntry.objects.count() == entries
    assert CalendarVersion.objects.get().token == token


def test_seeding_keeps_what_the_administrator_edited_or_removed(seeded, admin) -> None:
    tet_eve = CalendarDay.objects.get(date=date(2026, 2, 16))
    services.update_day(
        actor=admin, entry_id=tet_eve.pk, kind="holiday", name="Nghỉ Tết (theo thông báo của tỉnh)"
    )
    culture = CalendarDay.objects.get(date=date(2026, 11, 24))
    services.remove_day(actor=admin, entry_id=culture.pk)

    report = services.seed_calendar([2026])

    tet_eve.refresh_from_db()
    culture.refresh_from_db()
    assert tet_eve.name == "Nghỉ Tết (theo thông báo của tỉnh)" and tet_eve.source == "admin"
    assert culture.is_active is False
    assert set(report.kept_admin) == {date(2026, 2, 16), date(2026, 11, 24)}
    assert not report.changed


def test_seeding_repairs_a_seeded_entry_and_retires_one_the_library_no_longer_lists(seeded) -> None:
    CalendarDay.objects.filter(date=date(2026, 2, 17)).update(name="sai")
    stray = CalendarDay.objects.create(
        date=date(2026, 3, 3), kind="holiday", name="Không có thật", source="holidays-0.107"
    )

    report = services.seed_calendar([2026])

    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name == "Tết Nguyên Đán"
    stray.refresh_from_db()
    assert stray.is_active is False
    assert report.updated == [date(2026, 2, 17)] and report.retired == [date(2026, 3, 3)]
    assert [e.action for e in history_of(stray)] == ["worktime.day.seed"]


def test_seed_refuses_years_out_of_range() -> None:
    with pytest.raises(services.DomainError) as caught:
        services.seed_calendar([1999])
    assert caught.value.field == "years"


def test_calendar_seed_command_accepts_a_range_of_years(capsys) -> None:
    call_command("calendar", "seed", "--years", "2026-2027")
    out = capsys.readouterr().out
    assert "2026–2027" in out and "thêm" in out
    assert CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2025).exists()


def test_calendar_seed_command_refuses_a_malformed_year() -> None:
    with pytest.raises(CommandError, match="--years"):
        call_command("calendar", "seed", "--years", "2026-20x")


def test_year_lists_are_read_as_ranges_and_lists() -> None:
    assert parse_years("2025-2027") == [2025, 2026, 2027]
    assert parse_years("2027, 2025") == [2025, 2027]
    with pytest.raises(ValueError, match="ngược"):
        parse_years("2027-2025")
