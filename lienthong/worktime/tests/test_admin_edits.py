"""An administrator edits the calendar and the working hours: every change audited, refused when wrong."""

from __future__ import annotations

from datetime import date, time

import pytest

from lienthong.audit.selectors import history_of
from lienthong.core.errors import DomainError, PermissionDenied
from lienthong.worktime import selectors, services
from lienthong.worktime.arith import add_working_days
from lienthong.worktime.models import CalendarDay, WorkingHours

from .helpers import vn

pytestmark = pytest.mark.django_db


def test_an_added_provincial_holiday_moves_deadlines_and_is_audited(seeded, admin) -> None:
    before = add_working_days(selectors.calendar_for(), vn(2026, 3, 9, 9), 1)
    entry = services.add_day(
        actor=admin, day=date(2026, 3, 10), kind="day_off", name="Nghỉ theo quyết định của tỉnh"
    )
    after = add_working_days(selectors.calendar_for(), vn(2026, 3, 9, 9), 1)
    assert (before, after) == (vn(2026, 3, 10, 9), vn(2026, 3, 11, 9))
    (audit,) = history_of(entry)
    assert (audit.action, audit.actor) == ("worktime.day.create", "quantri")
    assert entry.source == "admin"


def test_a_worked_saturday_added_by_the_administrator_counts(seeded, admin) -> None:
    services.add_day(actor=admin, day=date(2026, 3, 14), kind="workday", name="Làm bù")
    assert add_working_days(selectors.calendar_for(), vn(2026, 3, 13, 9), 1) == vn(2026, 3, 14, 9)


def test_a_weekday_cannot_be_a_worked_weekend_day(admin) -> None:
    with pytest.raises(DomainError) as caught:
        services.add_day(actor=admin, day=date(2026, 3, 11), kind="workday", name="Làm bù")
    assert (caught.value.field, caught.value.rule) == ("kind", "workday_on_weekend")


def test_the_same_date_cannot_be_added_twice(seeded, admin) -> None:
    with pytest.raises(DomainError) as caught:
        services.add_day(actor=admin, day=date(2026, 2, 17), kind="holiday", name="Tết")
    assert (caught.value.field, caught.value.status) == ("date", 409)


def test_a_removed_day_stops_counting_keeps_its_history_and_can_come_back(seeded, admin) -> None:
    entry = CalendarDay.objects.get(date=date(2026, 11, 24))
    services.remove_day(actor=admin, entry_id=entry.pk)
    assert selectors.calendar_for().is_working_date(date(2026, 11, 24))
    services.add_day(actor=admin, day=date(2026, 11, 24), kind="holiday", name="Ngày Văn hóa Việt Nam")
    assert not selectors.calendar_for().is_working_date(date(2026, 11, 24))
    actions = [a.action for a in history_of(entry)]
    assert actions == ["worktime.day.seed", "worktime.day.remove", "worktime.day.create"]
    assert CalendarDay.objects.filter(date=date(2026, 11, 24)).count() == 1


def test_editing_records_old_and_new_values(seeded, admin) -> None:
    entry = CalendarDay.objects.get(date=date(2026, 2, 16))
    services.update_day(actor=admin, entry_id=entry.pk, kind="holiday", name="Nghỉ Tết")
    last = list(history_of(entry))[-1]
    assert last.changes["name"] == ["Giao thừa Tết Nguyên Đán", "Nghỉ Tết"]
    assert last.changes["source"] == ["holidays-0.108", "admin"]


def test_an_officer_who_is_not_system_admin_cannot_edit(seeded, officer) -> None:
    entry = CalendarDay.objects.get(date=date(2026, 2, 16))
    with pytest.raises(PermissionDenied):
        services.update_day(actor=officer, entry_id=entry.pk, kind="holiday", name="x")
    with pytest.raises(PermissionDenied):
        services.set_working_hours(
            actor=officer,
            agency_code="",
            morning_start=time(7),
            morning_end=time(11),
            afternoon_start=time(13),
            afternoon_end=time(17),
        )


def test_empty_name_is_refused_naming_the_field(admin) -> None:
    with pytest.raises(DomainError) as caught:
        services.add_day(actor=admin, day=date(2026, 3, 10), kind="day_off", name="  ")
    assert caught.value.field == "name"


def test_agency_hours_override_the_province_hours(admin) -> None:
    services.set_working_hours(
        actor=admin,
        agency_code="000.00.00.H56",
        morning_start=time(7, 30),
        morning_end=time(11, 30),
        afternoon_start=time(13, 0),
        afternoon_end=time(17, 0),
    )
    h56 = selectors.calendar_for("000.00.00.H56")
    assert h56.periods == ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
    assert selectors.calendar_for("000.00.00.H99").periods == selectors.calendar_for("").periods
    assert add_working_days(h56, vn(2026, 3, 9, 18), 1) == vn(2026, 3, 10, 17)
    row = WorkingHours.objects.get(agency_code="000.00.00.H56")
    (audit,) = history_of(row)
    assert audit.agency_code == "000.00.00.H56" and audit.action == "worktime.hours.set"


def test_hours_out_of_order_are_refused_naming_the_field(admin) -> None:
    with pytest.raises(DomainError) as caught:
        services.set_working_hours(
            actor=admin,
            agency_code="",
            morning_start=time(7),
            morning_end=time(14),
            afternoon_start=time(13),
            afternoon_end=time(17),
        )
    assert caught.value.field == "afternoon_start"
    assert not WorkingHours.objects.exists()


def test_resetting_agency_hours_returns_it_to_the_province_hours(admin) -> None:
    services.set_working_hours(
        actor=admin,
        agency_code="000.00.00.H56",
        morning_start=time(8),
        morning_end=time(12),
        afternoon_start=time(13),
        afternoon_end=time(17),
    )
    services.reset_working_hours(actor=admin, agency_code="000.00.00.H56")
    assert selectors.working_hours_of("000.00.00.H56") == selectors.working_hours_of("")
    assert [c.entry.action for c in selectors.recent_changes()][:2] == [
        "worktime.hours.reset",
        "worktime.hours.set",
    ]


def test_a_malformed_agency_code_is_refused(admin) -> None:
    with pytest.raises(DomainError) as caught:
        services.set_working_hours(
            actor=admin,
            agency_code="không hợp lệ",
            morning_start=time(7),
            morning_end=time(11),
            afternoon_start=time(13),
            afternoon_end=time(17),
        )
    assert caught.value.field == "agency_code"
