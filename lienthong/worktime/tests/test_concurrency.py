"""Two administrators acting at once on PostgreSQL: the second meets the first's change, never a 500."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lienthong.audit.selectors import verify_chain
from lienthong.core.errors import DomainError
from lienthong.worktime import services
from lienthong.worktime.models import CalendarDay


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_adding_the_same_date_at_once_get_one_entry_and_one_conflict() -> None:
    admin = get_user_model().objects.create_user(username="qt", password="mat-khau-dai-1", is_superuser=True)
    services.seed_calendar([2026])
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def add(name: str) -> None:
        try:
            barrier.wait()
            services.add_day(actor=admin, day=date(2026, 3, 10), kind="day_off", name=name)
            outcomes.append("added")
        except DomainError as error:
            outcomes.append(f"{error.status}:{error.field}")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(f"Nghỉ {i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["409:date", "409:date", "409:date", "added"]
    assert CalendarDay.objects.filter(date=date(2026, 3, 10)).count() == 1
    count, broken = verify_chain()
    assert broken is None and count > 0
