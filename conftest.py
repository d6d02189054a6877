"""Test-suite wiring: PostgreSQL when DATABASE_URL points to it, SQLite otherwise.

Tests marked ``postgres`` need PostgreSQL behaviour (row locking, advisory locks, search indexes). On SQLite
they are skipped with the reason shown. With ``LIENTHONG_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) a run
that is not on PostgreSQL, or that skipped any such test, fails.
"""

from __future__ import annotations

import os

import pytest

_REQUIRE_POSTGRES = os.environ.get("LIENTHONG_REQUIRE_POSTGRES") == "1"
_skipped_postgres_tests: list[str] = []
_ran_postgres_tests: list[str] = []


def _on_postgres() -> bool:
    from django.conf import settings

    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _REQUIRE_POSTGRES and not _on_postgres():
        raise pytest.UsageError("LIENTHONG_REQUIRE_POSTGRES=1 but DATABASE_URL does not point to PostgreSQL")
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgresql://… to run it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.skipped:
        _skipped_postgres_tests.append(report.nodeid)
    elif report.when == "call":
        _ran_postgres_tests.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _REQUIRE_POSTGRES or session.config.option.collectonly:
        return
    if _skipped_postgres_tests:
        print(
            f"\nFAILED: {len(_skipped_postgres_tests)} PostgreSQL test(s) were skipped: {_skipped_postgres_tests}"
        )
        session.exitstatus = 1
    elif not _ran_postgres_tests:
        print("\nFAILED: no PostgreSQL test ran although LIENTHONG_REQUIRE_POSTGRES=1")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Hashing passwords at production cost would make every sign-in test slow; the algorithm is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> None:
    """Each test builds its own calendar rows; a calendar cached by an earlier test must not leak into it."""
    from lienthong.catalog.selectors import forget_cached_procedures
    from lienthong.directory.selectors import forget_cached_credentials
    from lienthong.worktime.selectors import forget_cached_calendar

    forget_cached_calendar()
    forget_cached_procedures()
    forget_cached_credentials()
