from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lienthong.worktime.services import seed_calendar


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_user(
        username="quantri", password="mat-khau-dai-1", full_name="Quản trị hệ thống", is_superuser=True
    )


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user(
        username="canbo", password="mat-khau-dai-2", full_name="Nguyễn Văn Cán Bộ"
    )


@pytest.fixture
def seeded(db):
    return seed_calendar(range(2025, 2028))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Tests outside a transaction (``transaction=True``) must not see a calendar cached by an earlier test."""
    from lienthong.worktime.selectors import forget_cached_calendar

    forget_cached_calendar()
    yield
    forget_cached_calendar()


@pytest.fixture
def admin_outside_tx(transactional_db):
    return get_user_model().objects.create_user(
        username="quantri2", password="mat-khau-dai-3", is_superuser=True
    )
