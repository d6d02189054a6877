"""Every change of state in the documents app, one function per business action.

Each action is atomic, allowed only to the right role in the right agency, audited in the same transaction
(last, after any signing), and refuses bad input with a :class:`~lienthong.core.errors.DomainError` naming the
field and the rule (:class:`~lienthong.core.errors.PermissionDenied` → 403, :class:`Conflict` → 409).
Documents are handled by people: the actor is a signed-in :class:`~lienthong.directory.models.Person`
(only the exchange registers incoming documents as the system, ``actor=None``).
"""

from .drafts import AttachmentInput, DraftContent, RecipientInput, create_draft, default_place, update_draft
from .handling import add_note, assign_incoming, complete_incoming
from .incoming import IncomingContent, IncomingFile, register_incoming
from .issuing import issue_document, sign_document
from .review import APPROVE, RETURN, review_draft, submit_draft
from .workfiles import add_to_work_file, close_work_file, create_work_file, remove_from_work_file

__all__ = [
    "APPROVE",
    "RETURN",
    "AttachmentInput",
    "DraftContent",
    "IncomingContent",
    "IncomingFile",
    "RecipientInput",
    "add_note",
    "add_to_work_file",
    "assign_incoming",
    "close_work_file",
    "complete_incoming",
    "create_draft",
    "create_work_file",
    "default_place",
    "issue_document",
    "register_incoming",
    "remove_from_work_file",
    "review_draft",
    "sign_document",
    "submit_draft",
    "update_draft",
]
