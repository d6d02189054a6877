"""Reads planned for their own values: the settings hold inside and are put back after, even in a transaction."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from lienthong.core.plans import planned_for_their_values

SETTINGS = "SELECT current_setting('plan_cache_mode'), current_setting('enable_indexscan')"


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(SETTINGS)
        row = cursor.fetchone()
    return row[0], row[1]


@pytest.mark.postgres
@pytest.mark.django_db
def test_connections_let_postgresql_keep_a_plan_for_any_value_by_default() -> None:
    assert _settings()[0] == "auto"


@pytest.mark.postgres
@pytest.mark.django_db
def test_inside_every_statement_is_planned_for_its_values_and_the_settings_come_back_after() -> None:
    with transaction.atomic():
        before = _settings()
        with planned_for_their_values({"enable_indexscan": "off"}):
            inside = _settings()
        after = _settings()

    assert inside == ("force_custom_plan", "off")
    assert after == before == ("auto", "on")


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_error_inside_puts_the_settings_back_too() -> None:
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), planned_for_their_values():
            1 / 0  # noqa: B018
        assert _settings() == ("auto", "on")
