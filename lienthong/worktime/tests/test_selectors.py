"""The calendar is read from the tables with one cheap query, and a change is seen at the next call."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lienthong.worktime import selectors, services
from lienthong.worktime.models import CalendarVersion

pytestmark = pytest.mark.django_db


def test_an_unchanged_calendar_costs_one_query(seeded) -> None:
    selectors.calendar_for()
    with CaptureQueriesContext(connection) as queries:
        cal = selectors.calendar_for("000.00.00.H56")
    assert len(queries) == 1
    assert not cal.is_working_date(date(2026, 2, 17))


def test_a_change_made_by_another_app_server_is_seen_at_the_next_call(seeded) -> None:
    assert not selectors.calendar_for().is_working_date(date(2027, 11, 24))
    # Another server removed the day: the rows and the token changed in the database, not in this process.
    from lienthong.worktime.models import CalendarDay

    CalendarDay.objects.filter(date=date(2027, 11, 24)).update(is_active=False)
    CalendarVersion.objects.filter(pk=1).update(token="changed-elsewhere")
    assert selectors.calendar_for().is_working_date(date(2027, 11, 24))


def test_an_empty_calendar_has_only_weekends_and_the_default_hours(db) -> None:
    cal = selectors.calendar_for()
    assert cal.is_working_date(date(2026, 2, 17))
    assert not cal.is_working_date(date(2026, 2, 14))
    assert selectors.format_periods(cal.periods) == "07:00–11:30, 13:30–17:00"


def test_a_year_lists_its_entries_in_date_order(seeded, admin) -> None:
    removed = services.remove_day(
        actor=admin, entry_id=selectors.days_of_year(2026).get(date=date(2026, 11, 24)).pk
    )
    days = list(selectors.days_of_year(2026))
    assert [d.date for d in days] == sorted(d.date for d in days)
    assert removed not in days
    assert removed in selectors.days_of_year(2026, include_removed=True)
    assert selectors.years_with_entries() == [2025, 2026, 2027]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_token_is_read_at_most_once_per_check_interval(settings) -> None:
    services.seed_calendar([2026])
    selectors.calendar_for()
    with CaptureQueriesContext(connection) as queries:
        cal = selectors.calendar_for()
    assert len(queries) == 0
    assert not cal.is_working_date(date(2026, 2, 17))

    # Another app server changes the calendar: seen once the check interval has passed.
    from lienthong.worktime.models import CalendarDay

    CalendarDay.objects.filter(date=date(2026, 2, 17)).update(is_active=False)
    CalendarVersion.objects.filter(pk=1).update(token="changed-elsewhere")
    assert not selectors.calendar_for().is_working_date(date(2026, 2, 17))
    settings.LIENTHONG_CALENDAR_CHECK_SECONDS = 0
    assert selectors.calendar_for().is_working_date(date(2026, 2, 17))


@pytest.mark.django_db(transaction=True)
def test_a_change_through_the_services_is_seen_at_once_on_this_server(admin_outside_tx) -> None:
    services.seed_calendar([2026])
    assert selectors.calendar_for().is_working_date(date(2026, 3, 10))
    services.add_day(actor=admin_outside_tx, day=date(2026, 3, 10), kind="day_off", name="Nghỉ")
    assert not selectors.calendar_for().is_working_date(date(2026, 3, 10))
