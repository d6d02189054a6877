"""The demo documents: each demo role at Sở Nội vụ and phường Thành Lam finds work, and the demo loads once."""

from __future__ import annotations

from lienthong.audit.models import AuditEntry
from lienthong.core.demo import load_demo
from lienthong.directory.models import Person
from lienthong.documents import selectors
from lienthong.documents.models import IncomingDocument, OutboundDelivery, OutgoingDocument, WorkFile


def test_the_demo_gives_every_documents_role_something_to_do_and_loads_once(db: None) -> None:
    load_demo()
    people = {p.username: p for p in Person.objects.filter(username__contains=".")}
    statuses = sorted(OutgoingDocument.objects.values_list("status", flat=True))
    assert statuses == ["draft", "in_review", "issued", "signed"]
    assert selectors.awaiting_review(people["snv.truongphong"]).count() == 1
    assert selectors.awaiting_issue(people["snv.vanthu"]).count() == 1
    assert selectors.my_drafts(people["thanhlam.chuyenvien"]).count() == 1
    received = IncomingDocument.objects.get(agency__code="000.00.31.H99")
    assert received.status == "assigned" and received.signature_status == "valid_trusted"
    assert selectors.assigned_to(people["thanhlam.chuyenvien"]).get() == received
    assert OutboundDelivery.objects.get().status == "waiting"
    assert WorkFile.objects.get().items.count() == 1

    entries = AuditEntry.objects.count()
    load_demo()
    assert AuditEntry.objects.count() == entries
