"""The demo-data registry behind ``lienthong demo`` and the first start of ``lienthong run``.

Core knows no app. Each app that has sample data registers a loader in its ``AppConfig.ready()``::

    register_demo_loader("directory", 10, load_demo_directory, accounts=demo_accounts, has_data=has_agencies)

Loaders run in ``order`` (smaller first), all inside one transaction, so a failure leaves nothing half
written. A loader must be idempotent: running the demo twice changes nothing and writes no audit entry.
It reports what it did by appending to the :class:`DemoReport` it receives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction


@dataclass(frozen=True)
class DemoAccount:
    """A sign-in created by the demo, shown to the person trying the platform."""

    username: str
    full_name: str
    role: str
    agency: str
    password: str


@dataclass
class DemoReport:
    """What the loaders did: accounts to print and one-line notes (``"62 cơ quan, 215 đơn vị"``)."""

    accounts: list[DemoAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


DemoLoaderFunc = Callable[[DemoReport], None]


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    func: DemoLoaderFunc
    # Lists the demo accounts that exist now, without writing anything (for ``lienthong run`` on later starts).
    accounts: Callable[[], list[DemoAccount]] | None = None
    # Says whether the database already holds this app's data; ``run`` loads the demo only when none does.
    has_data: Callable[[], bool] | None = None


_loaders: dict[str, DemoLoader] = {}


def register_demo_loader(
    name: str,
    order: int,
    func: DemoLoaderFunc,
    *,
    accounts: Callable[[], list[DemoAccount]] | None = None,
    has_data: Callable[[], bool] | None = None,
) -> None:
    """Register (or replace, for the same ``name``) the loader of one app's sample data."""
    _loaders[name] = DemoLoader(name=name, order=order, func=func, accounts=accounts, has_data=has_data)


def unregister_demo_loader(name: str) -> None:
    _loaders.pop(name, None)


def demo_loaders() -> list[DemoLoader]:
    """The registered loaders in the order they run."""
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))


@transaction.atomic
def load_demo() -> DemoReport:
    """Run every registered loader in order, in one transaction; return what they reported."""
    report = DemoReport()
    for loader in demo_loaders():
        loader.func(report)
    return report


def demo_accounts() -> list[DemoAccount]:
    """The demo sign-ins present in the database now (empty in a production database)."""
    found: list[DemoAccount] = []
    for loader in demo_loaders():
        if loader.accounts is not None:
            found.extend(loader.accounts())
    return found


def database_is_empty() -> bool:
    """True on a first start: no loader reports data of its own in the database."""
    return not any(loader.has_data() for loader in demo_loaders() if loader.has_data is not None)


ACCOUNT_HEADERS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Cơ quan", "Mật khẩu")


def accounts_table(accounts: list[DemoAccount]) -> str:
    """The sign-ins as a plain-text table, one line per account, columns padded to line up."""
    rows = [ACCOUNT_HEADERS] + [(a.username, a.full_name, a.role, a.agency, a.password) for a in accounts]
    widths = [max(len(row[i]) for row in rows) for i in range(len(ACCOUNT_HEADERS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
