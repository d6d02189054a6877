"""Reads of documents, always scoped to what the caller may see (the scoping lives here, once).

- A system administrator (superuser) sees everything.
- A leader or clerk of an agency sees all of its outgoing and incoming documents and work files.
- Other officers see the outgoing documents they drafted, reviewed or must sign, the drafts of their unit when
  they head it, and the agency's issued documents that are not secret; the incoming documents assigned to
  them or to their unit (now or before); the work files of their agency.
- An API credential (an external system of one agency) sees that agency's issued, non-secret outgoing
  documents and its non-secret incoming documents.

Outside the scope is 404, like something that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lienthong.core import files as storage
from lienthong.directory.models import ApiCredential, Person, Role, RoleAssignment
from lienthong.directory.selectors import NOT_VISIBLE, Principal

from .models import (
    DocumentType,
    ExchangePriority,
    HandlingAssignment,
    IncomingDocument,
    OutboundDelivery,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    QueueStatus,
    RetentionPeriod,
    ReviewStep,
    Secrecy,
    StepDecision,
    StepStage,
    WorkFile,
)
from .timeliness import Timeliness, classify

_KEEPERS = (Role.LEADER, Role.CLERK)


def _person(principal: Principal) -> Person | None:
    if isinstance(principal, Person) and principal.is_authenticated and principal.is_active:
        return principal
    return None


def _roles(person: Person) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(person=person, is_active=True, agency__is_active=True)


def outgoing_documents(principal: Principal) -> QuerySet[OutgoingDocument]:
    """Every outgoing document ``principal`` may see, newest first, ready to filter further."""
    base = OutgoingDocument.objects.select_related("agency", "document_type", "drafter", "signer", "register")
    if isinstance(principal, ApiCredential):
        if not principal.is_active:
            return base.none()
        return base.filter(agency_id=principal.agency_id, status=OutgoingStatus.ISSUED, secrecy=Secrecy.NONE)
    person = _person(principal)
    if person is None:
        return base.none()
    if person.is_superuser:
        return base
    roles = _roles(person)
    keeper_agencies = roles.filter(role__in=_KEEPERS).values("agency_id")
    member_agencies = roles.values("agency_id")
    headed_units = roles.filter(role=Role.UNIT_HEAD, unit__isnull=False).values("unit_id")
    involved = ReviewStep.objects.filter(assignee=person).values("document_id")
    return base.filter(
        Q(agency_id__in=keeper_agencies)
        | Q(agency_id__in=member_agencies)
        & (
            Q(drafter=person)
            | Q(signer=person)
            | Q(pk__in=involved)
            | Q(drafting_unit_id__in=headed_units)
            | Q(status=OutgoingStatus.ISSUED, secrecy=Secrecy.NONE)
        )
    )


def outgoing_for(principal: Principal, pk: int) -> OutgoingDocument:
    found = outgoing_documents(principal).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


def incoming_documents(principal: Principal) -> QuerySet[IncomingDocument]:
    """Every incoming document ``principal`` may see, newest first."""
    base = IncomingDocument.objects.select_related("agency", "register", "document_type", "outgoing")
    if isinstance(principal, ApiCredential):
        if not principal.is_active:
            return base.none()
        return base.filter(agency_id=principal.agency_id, secrecy=Secrecy.NONE)
    person = _person(principal)
    if person is None:
        return base.none()
    if person.is_superuser:
        return base
    roles = _roles(person)
    keeper_agencies = roles.filter(role__in=_KEEPERS).values("agency_id")
    units = roles.filter(unit__isnull=False).values("unit_id")
    # A subquery, not a join: a join repeats a document per assignment and needs DISTINCT, which makes
    # PostgreSQL sort every visible row before it can return the first page.
    given = HandlingAssignment.objects.filter(Q(person=person) | Q(unit_id__in=units)).values("document_id")
    return base.filter(
        Q(agency_id__in=keeper_agencies) | Q(agency_id__in=roles.values("agency_id")) & Q(pk__in=given)
    )


def incoming_for(principal: Principal, pk: int) -> IncomingDocument:
    found = incoming_documents(principal).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


def work_files(principal: Principal) -> QuerySet[WorkFile]:
    base = WorkFile.objects.select_related("agency", "retention", "responsible_unit", "responsible_person")
    person = _person(principal)
    if person is None:
        return base.none()
    if person.is_superuser:
        return base
    return base.filter(agency_id__in=_roles(person).values("agency_id"))


def work_file_for(principal: Principal, pk: int) -> WorkFile:
    found = work_files(principal).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


# --- work lists for the pages -----------------------------------------------------------------------------


def awaiting_review(person: Person) -> QuerySet[OutgoingDocument]:
    """Drafts waiting for ``person``: to review (unit head) or to sign (leader)."""
    pending = ReviewStep.objects.filter(assignee=person, decision=StepDecision.PENDING).values("document_id")
    return outgoing_documents(person).filter(pk__in=pending)


def awaiting_signature(person: Person) -> QuerySet[OutgoingDocument]:
    pending = ReviewStep.objects.filter(
        assignee=person, decision=StepDecision.PENDING, stage=StepStage.SIGNATURE
    ).values("document_id")
    return outgoing_documents(person).filter(pk__in=pending)


def awaiting_issue(person: Person) -> QuerySet[OutgoingDocument]:
    """Signed documents of the agencies where ``person`` is the clerk."""
    clerk_of = _roles(person).filter(role=Role.CLERK).values("agency_id")
    return outgoing_documents(person).filter(agency_id__in=clerk_of, status=OutgoingStatus.SIGNED)


def my_drafts(person: Person) -> QuerySet[OutgoingDocument]:
    return outgoing_documents(person).filter(drafter=person).exclude(status=OutgoingStatus.ISSUED)


def assigned_to(person: Person, *, open_only: bool = True) -> QuerySet[IncomingDocument]:
    """Incoming documents on ``person``'s current assignments (in person or through their unit)."""
    units = _roles(person).filter(unit__isnull=False).values("unit_id")
    found = incoming_documents(person).filter(
        Q(assignments__is_active=True) & (Q(assignments__person=person) | Q(assignments__unit_id__in=units))
    )
    if open_only:
        found = found.exclude(status="completed")
    return found.distinct()


def to_assign(person: Person) -> QuerySet[IncomingDocument]:
    """Registered incoming documents waiting for a leader of ``person``'s agencies to assign them."""
    leader_of = _roles(person).filter(role=Role.LEADER).values("agency_id")
    return incoming_documents(person).filter(agency_id__in=leader_of, status="registered")


# --- facts for display -----------------------------------------------------------------------------------


def recipient_state(recipient: OutgoingRecipient) -> tuple[str, str]:
    """``(code, label)`` of where a recipient's copy is: never "sent" before the exchange says so."""
    if recipient.incoming_id is not None:
        return "delivered", "Đã chuyển trên hệ thống"
    delivery = getattr(recipient, "delivery", None) if recipient.is_external else None
    if delivery is not None:
        return str(delivery.status), str(QueueStatus(delivery.status).label)
    return "not_issued", "Chưa phát hành"


def processing_timeliness(document: IncomingDocument, now: datetime | None = None) -> Timeliness | None:
    return classify(document.processing_due, document.completed_at, now or timezone.now())


def file_of(document: OutgoingDocument | IncomingDocument) -> bytes:
    """The latest copy of a document (issued, signed or draft for outgoing), checked against its hash."""
    if isinstance(document, OutgoingDocument):
        sha256, name = document.current_file()
    else:
        sha256, name = document.sha256, document.storage_name
    return storage.read(name, sha256)


def document_types(*, active_only: bool = True) -> QuerySet[DocumentType]:
    found = DocumentType.objects.all()
    return found.filter(is_active=True) if active_only else found


def retention_periods() -> QuerySet[RetentionPeriod]:
    return RetentionPeriod.objects.all()


def exchange_priority(urgency: str) -> int:
    """The priority number an exchange package carries for ``urgency`` (0 when the table lacks it)."""
    found = ExchangePriority.objects.filter(urgency=urgency).values_list("priority", flat=True).first()
    return int(found) if found is not None else 0


def waiting_deliveries() -> QuerySet[OutboundDelivery]:
    """The outbound queue for the exchange, oldest first."""
    return OutboundDelivery.objects.filter(status=QueueStatus.WAITING).select_related(
        "recipient__document__agency"
    )
