"""Domain errors: what a service raises when a business rule refuses an action.

Views and the API turn them into a message for a person or an RFC 9457 problem document, so every refusal
names the field and the rule instead of surfacing as a 500.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass
class FieldProblem:
    """One rule broken by one field of the input."""

    field: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


@dataclass
class DomainError(Exception):
    """A business rule refused the action. ``status`` is the HTTP status the API answers with."""

    message: str
    rule: str = "invalid"
    field: str | None = None
    status: int = 400
    problems: list[FieldProblem] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)
        if self.field and not self.problems:
            self.problems = [FieldProblem(self.field, self.rule, self.message)]

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The object does not exist, or lies outside what the caller may see (both answer 404)."""

    def __init__(self, message: str = "Không tìm thấy.") -> None:
        super().__init__(message=message, rule="not_found", status=404)


class PermissionDenied(DomainError):
    """The caller may see the object but lacks the role for this action."""

    def __init__(self, message: str, rule: str = "role_required") -> None:
        super().__init__(message=message, rule=rule, status=403)


class Conflict(DomainError):
    """The action collides with the current state (someone acted first, a duplicate)."""

    def __init__(self, message: str, rule: str = "conflict", field: str | None = None) -> None:
        super().__init__(message=message, rule=rule, field=field, status=409)
