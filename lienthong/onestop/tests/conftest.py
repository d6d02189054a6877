from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from .helpers import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the wall clock the services (and the audit log) read: ``clock(vn(2027, 2, 3, 15))``."""

    def set_now(moment: datetime) -> None:
        # In UTC, like the real timezone.now(): the audit chain hashes the moment as written.
        utc = moment.astimezone(UTC)
        monkeypatch.setattr(timezone, "now", lambda: utc)

    return set_now
