"""The demo dossiers: a newcomer signing in at phường Thành Lam finds work in the queues."""

from __future__ import annotations

from lienthong.audit.models import AuditEntry
from lienthong.core.demo import load_demo
from lienthong.directory.models import Person
from lienthong.onestop.models import Dossier
from lienthong.onestop.selectors import officer_queue


def test_the_demo_fills_the_desk_and_the_specialists_queues_and_loads_once(db: None) -> None:
    load_demo()
    desk = Person.objects.get(username="thanhlam.motcua")
    specialist = Person.objects.get(username="thanhlam.chuyenvien")
    assert officer_queue(desk, "receive").count() == 2
    assert officer_queue(desk, "to_return").count() == 1
    assert officer_queue(desk, "paused").count() == 1
    assert officer_queue(specialist, "mine").count() == 2
    assert all(d.files.exists() for d in Dossier.objects.all())
    entries = AuditEntry.objects.count()
    load_demo()
    assert AuditEntry.objects.count() == entries
