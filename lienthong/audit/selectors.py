"""Reading the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Model, QuerySet

from .chain import Break, first_break
from .models import AuditEntry


def history_of(obj: Model) -> QuerySet[AuditEntry]:
    """Entries about ``obj``, oldest first. Callers check first that the viewer may see ``obj``."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")


def _walk(batch: int = 2000) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        for row in rows:
            yield row.pk, row.prev_hash, row.hash, row.content()
        last_id = rows[-1].pk


def verify_chain() -> tuple[int, Break | None]:
    """Check the whole log; return how many entries were read and the first break, if any."""
    count = 0

    def counted() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
        nonlocal count
        for item in _walk():
            count += 1
            yield item

    broken = first_break(counted())
    return count, broken
