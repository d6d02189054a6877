"""Browser journeys: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

We never run ``playwright install``: the browser is the distribution's ``/usr/bin/chromium`` (override with
``LIENTHONG_CHROMIUM``). Without it the journeys are skipped with the reason shown, except on CI (``CI=true``),
where a missing browser fails the run instead of hiding the journeys.

Screenshots that a journey takes, and the screenshot of every failed journey, go to
``LIENTHONG_E2E_ARTIFACTS`` when it is set, else to the test's temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would then refuse ORM calls made by the
# test itself (creating the officer, reading the audit log). The calls stay synchronous, so this is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("LIENTHONG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
# Resources a page needs to look and work right; a 4xx/5xx on one of them fails the journey.
ASSET_TYPES = {"stylesheet", "script", "image", "font"}


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # Keep each phase's report on the item, so the page fixture knows whether the journey failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per journey module; each test gets its own context (cookies, storage) from ``page``.

    Not one per session: while Playwright's sync API is open, its event loop counts as running in this thread,
    and pytest-django runs the tests without a database after the journeys — pyHanko's ``asyncio.run`` in the
    signing tests would then refuse to start.
    """
    if not CHROMIUM.exists():
        reason = (
            f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package or set LIENTHONG_CHROMIUM"
        )
        if _on_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def artifacts_dir(tmp_path: Path) -> Path:
    """Where screenshots go: ``LIENTHONG_E2E_ARTIFACTS`` or the test's temporary directory."""
    configured = os.environ.get("LIENTHONG_E2E_ARTIFACTS")
    directory = Path(configured) if configured else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def page(
    browser: Any, live_server: Any, request: pytest.FixtureRequest, artifacts_dir: Path
) -> Iterator[Any]:
    """A fresh browser context per test (Vietnamese locale, Vietnam time) with relative URLs on the live server.

    ``live_server`` runs Django in a thread over the test database, which needs ``transactional_db``
    (pytest-django asks for it). On failure a full-page screenshot is saved next to the other artifacts; a
    stylesheet, script, image or font that fails to load fails the test.
    """
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    broken: dict[str, str] = {}  # url -> what went wrong (first report wins)

    def check_asset(response: Any) -> None:
        if response.request.resource_type in ASSET_TYPES and response.status >= 400:
            broken.setdefault(response.url, f"HTTP {response.status}")

    def check_failure(req: Any) -> None:
        if req.resource_type in ASSET_TYPES:
            broken.setdefault(req.url, str(req.failure))

    tab.on("response", check_asset)
    tab.on("requestfailed", check_failure)
    try:
        yield tab
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            with contextlib.suppress(Exception):  # a crashed page must not hide the real failure
                tab.screenshot(path=str(artifacts_dir / f"failed-{name}.png"), full_page=True)
        context.close()
    if broken and not (report is not None and report.failed):
        # A page whose stylesheet or script did not load "passes" while looking broken to every user.
        lines = [f"{url}: {problem}" for url, problem in broken.items()]
        pytest.fail("assets of the page did not load:\n" + "\n".join(lines), pytrace=False)
