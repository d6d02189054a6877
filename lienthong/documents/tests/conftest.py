from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from .world import World, build_world, keys


@pytest.fixture(autouse=True)
def _trust_the_test_root(settings: object) -> None:
    """The test PKI's root (and the demo's, in DATA_DIR/trust) are trust anchors, so signatures made here
    validate as trusted."""
    demo_roots = Path(settings.DATA_DIR) / "trust"  # type: ignore[attr-defined]
    settings.LIENTHONG_TRUST_ANCHORS = [str(keys().root_pem), str(demo_roots)]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the wall clock the services read: ``clock(datetime(2026, 12, 31, 9, tzinfo=VN_TZ))``."""

    def set_now(moment: datetime) -> None:
        utc = moment.astimezone(UTC)
        monkeypatch.setattr(timezone, "now", lambda: utc)

    return set_now
