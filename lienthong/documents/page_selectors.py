"""Reads the documents pages need on top of :mod:`.selectors`: the person's queues with their counts, the
people and units to choose from on a form. Scoping stays in :mod:`.selectors`; everything here starts from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lienthong.directory.models import Agency, Person, Role, RoleAssignment, Unit

from . import selectors
from .models import (
    HandlingAssignment,
    HandlingNote,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    ReviewStep,
    StepDecision,
    StepStage,
    WorkFile,
)

#: Roles that make the documents pages useful to someone (the navigation shows them the link).
DOCUMENT_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK)
DRAFTER_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER)
REVIEWER_ROLES = (Role.UNIT_HEAD, Role.LEADER)


@dataclass(frozen=True)
class Queue:
    key: str
    label: Any  # lazily translated
    direction: str  # "outgoing" or "incoming"


QUEUES: tuple[Queue, ...] = (
    Queue("du-thao", _("Dự thảo của tôi"), "outgoing"),
    Queue("tham-dinh", _("Chờ tôi thẩm định"), "outgoing"),
    Queue("ky", _("Chờ tôi ký"), "outgoing"),
    Queue("phat-hanh", _("Chờ phát hành"), "outgoing"),
    Queue("phan-cong", _("Văn bản đến chờ phân công"), "incoming"),
    Queue("xu-ly", _("Giao tôi xử lý"), "incoming"),
    Queue("di", _("Văn bản đi"), "outgoing"),
    Queue("den", _("Văn bản đến"), "incoming"),
)
QUEUE_BY_KEY = {queue.key: queue for queue in QUEUES}


def has_documents_role(user: Any) -> bool:
    """Whether ``user`` is a signed-in officer with a role the documents pages serve."""
    if not isinstance(user, Person) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(
        person=user, role__in=DOCUMENT_ROLES, is_active=True, agency__is_active=True
    ).exists()


def agencies_with(person: Person, roles: tuple[str, ...]) -> QuerySet[Agency]:
    """The active agencies where ``person`` holds one of ``roles``, by name."""
    held = RoleAssignment.objects.filter(person=person, role__in=roles, is_active=True).values("agency_id")
    return Agency.objects.filter(pk__in=held, is_active=True).order_by("name")


def queue(person: Person, key: str) -> QuerySet[Any]:
    """The documents of one queue, newest first."""
    if key == "du-thao":
        return selectors.my_drafts(person).order_by("-updated_at", "-id")
    if key == "tham-dinh":
        pending = ReviewStep.objects.filter(
            assignee=person, decision=StepDecision.PENDING, stage=StepStage.REVIEW
        ).values("document_id")
        return selectors.outgoing_documents(person).filter(pk__in=pending).order_by("-updated_at", "-id")
    if key == "ky":
        return selectors.awaiting_signature(person).order_by("-updated_at", "-id")
    if key == "phat-hanh":
        return selectors.awaiting_issue(person).order_by("-updated_at", "-id")
    if key == "phan-cong":
        return selectors.to_assign(person).order_by("-received_at", "-id")
    if key == "xu-ly":
        return selectors.assigned_to(person).order_by("processing_due", "-id")
    if key == "di":
        return selectors.outgoing_documents(person).order_by("-updated_at", "-id")
    return selectors.incoming_documents(person).order_by("-received_at", "-id")


def queue_counts(person: Person) -> dict[str, int]:
    return {q.key: queue(person, q.key).count() for q in QUEUES}


def leaders_of(agencies: QuerySet[Agency] | list[Agency]) -> QuerySet[Person]:
    """People who may sign for one of ``agencies`` (its leaders)."""
    held = RoleAssignment.objects.filter(agency__in=agencies, role=Role.LEADER, is_active=True).values(
        "person_id"
    )
    return Person.objects.filter(pk__in=held, is_active=True).order_by("full_name", "username")


def reviewers_of(agency: Agency, *, besides: Person) -> QuerySet[Person]:
    """Unit heads and leaders of ``agency`` other than ``besides`` (a drafter does not review their own)."""
    held = RoleAssignment.objects.filter(agency=agency, role__in=REVIEWER_ROLES, is_active=True).values(
        "person_id"
    )
    return (
        Person.objects.filter(pk__in=held, is_active=True)
        .exclude(pk=besides.pk)
        .order_by("full_name", "username")
    )


def staff_of(agency: Agency) -> QuerySet[Person]:
    held = RoleAssignment.objects.filter(agency=agency, is_active=True).values("person_id")
    return Person.objects.filter(pk__in=held, is_active=True).order_by("full_name", "username")


def units_of(agency: Agency) -> QuerySet[Unit]:
    return Unit.objects.filter(agency=agency, is_active=True).order_by("name")


def platform_agencies(besides: Agency | None = None) -> QuerySet[Agency]:
    """Agencies on the platform a document can go to at once."""
    found = Agency.objects.filter(is_active=True).order_by("name")
    return found.exclude(pk=besides.pk) if besides is not None else found


def steps_of(document: OutgoingDocument) -> list[ReviewStep]:
    return list(document.steps.select_related("assignee", "submitted_by").order_by("submitted_at", "id"))


def pending_step(document: OutgoingDocument) -> ReviewStep | None:
    return (
        document.steps.filter(decision=StepDecision.PENDING)
        .select_related("assignee")
        .order_by("-id")
        .first()
    )


def assignments_of(document: IncomingDocument) -> list[HandlingAssignment]:
    return list(
        document.assignments.select_related("person", "unit", "assigned_by").order_by(
            "-is_active",
            "-assigned_at",
            "-role",
            "id",  # main ("main") before cooperating
        )
    )


def notes_of(document: IncomingDocument) -> list[HandlingNote]:
    return list(document.notes.select_related("author").order_by("at", "id"))


def issued_replies(document: IncomingDocument) -> QuerySet[OutgoingDocument]:
    """Issued outgoing documents of the same agency that answer ``document`` (or answer nothing yet)."""
    return OutgoingDocument.objects.filter(
        agency_id=document.agency_id, status=OutgoingStatus.ISSUED, reply_to=document
    ).order_by("-issued_at")


def replies_of(document: IncomingDocument, viewer: Person) -> QuerySet[OutgoingDocument]:
    """Outgoing documents (any state) drafted as answers to ``document`` that ``viewer`` may see."""
    return selectors.outgoing_documents(viewer).filter(reply_to=document).order_by("-id")


def work_file_candidates(work_file: WorkFile, viewer: Person) -> tuple[list[Any], list[Any]]:
    """The latest documents of the work file's agency the viewer may put in it: issued outgoing, incoming."""
    taken = work_file.items.all()
    outgoing = list(
        selectors.outgoing_documents(viewer)
        .filter(agency_id=work_file.agency_id, status=OutgoingStatus.ISSUED)
        .exclude(pk__in=taken.filter(outgoing__isnull=False).values("outgoing_id"))
        .order_by("-issued_at")[:100]
    )
    incoming = list(
        selectors.incoming_documents(viewer)
        .filter(agency_id=work_file.agency_id)
        .exclude(pk__in=taken.filter(incoming__isnull=False).values("incoming_id"))
        .order_by("-received_at")[:100]
    )
    return outgoing, incoming
