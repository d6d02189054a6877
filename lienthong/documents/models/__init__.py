"""The documents app's tables, one module per part of the domain."""

from .choices import (
    AuthorityPrefix,
    Direction,
    HandlerRole,
    IncomingSource,
    IncomingStatus,
    NoteKind,
    OutgoingStatus,
    PdfSource,
    QueueStatus,
    Secrecy,
    SignatureStatus,
    StepDecision,
    StepStage,
    Urgency,
    WorkFileStatus,
)
from .incoming import HandlingAssignment, HandlingNote, IncomingAttachment, IncomingDocument
from .outgoing import OutboundDelivery, OutgoingAttachment, OutgoingDocument, OutgoingRecipient, ReviewStep
from .reference import DocumentType, ExchangePriority, Register, RetentionPeriod
from .workfiles import WorkFile, WorkFileItem

__all__ = [
    "AuthorityPrefix",
    "Direction",
    "DocumentType",
    "ExchangePriority",
    "HandlerRole",
    "HandlingAssignment",
    "HandlingNote",
    "IncomingAttachment",
    "IncomingDocument",
    "IncomingSource",
    "IncomingStatus",
    "NoteKind",
    "OutboundDelivery",
    "OutgoingAttachment",
    "OutgoingDocument",
    "OutgoingRecipient",
    "OutgoingStatus",
    "PdfSource",
    "QueueStatus",
    "Register",
    "RetentionPeriod",
    "ReviewStep",
    "Secrecy",
    "SignatureStatus",
    "StepDecision",
    "StepStage",
    "Urgency",
    "WorkFile",
    "WorkFileItem",
    "WorkFileStatus",
]
