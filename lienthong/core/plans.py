"""Planning a read for the values it is sent, where PostgreSQL's plan made once for any value would be slow.

The connections keep PostgreSQL's default ``plan_cache_mode`` (``auto``): a prepared statement that a connection
has sent five times may get one "generic" plan, made without looking at its values, and keep it. For writes and
for reads whose best plan is the same whatever the values, that saves the planning on every request (0.3 ms of
PostgreSQL CPU per dossier received, bench/README.md). Some reads have one best plan per value — an officer's
queue of one agency out of many, a search by rare or common words — and a generic plan made them several times
slower (queue page 40 → 170 ms). Those run inside :func:`planned_for_their_values`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def planned_for_their_values(settings: Mapping[str, str] | None = None) -> Iterator[None]:
    """A transaction in which PostgreSQL plans every statement for its own values, with ``settings`` (other
    planner settings, e.g. ``{"enable_indexscan": "off"}``) in force too.

    ``SET LOCAL`` would last until the outermost transaction ends, so when a caller's transaction surrounds this
    one the settings are put back on the way out (after an error the savepoint's rollback puts them back by
    itself). Elsewhere than on PostgreSQL only the transaction remains.
    """
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        wanted = {"plan_cache_mode": "force_custom_plan", **(settings or {})}
        names = list(wanted)
        with connection.cursor() as cursor:
            reads = ", ".join("current_setting(%s)" for _ in names)
            writes = ", ".join("set_config(%s, %s, true)" for _ in names)
            cursor.execute(
                f"SELECT {reads}, {writes}",
                [*names, *(part for name in names for part in (name, wanted[name]))],
            )
            row = cursor.fetchone()
            assert row is not None
            before = dict(zip(names, row[: len(names)], strict=True))
        yield
        with connection.cursor() as cursor:
            writes = ", ".join("set_config(%s, %s, true)" for _ in names)
            cursor.execute(f"SELECT {writes}", [part for name in names for part in (name, before[name])])
