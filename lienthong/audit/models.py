from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who, acting for which agency, did what to which object, and what changed.

    Rows are append-only; each holds the hash of the previous row and of its own canonical content.
    The actor and agency are kept as text so the log stays readable after people and agencies change.
    """

    at = models.DateTimeField(_("Thời điểm"), db_index=True)
    actor_id = models.BigIntegerField(_("Mã người thực hiện"), null=True, blank=True)
    actor = models.CharField(_("Người thực hiện"), max_length=200)
    agency_code = models.CharField(_("Thay mặt cơ quan"), max_length=32, blank=True)
    action = models.CharField(_("Hành động"), max_length=100)
    object_type = models.CharField(_("Loại đối tượng"), max_length=100)
    object_id = models.CharField(_("Mã đối tượng"), max_length=64)
    object_label = models.CharField(_("Đối tượng"), max_length=300, blank=True)
    changes = models.JSONField(_("Thay đổi"), default=dict)
    prev_hash = models.CharField(max_length=64)
    # Unique through Meta.constraints: unique=True would add a LIKE index nobody queries, written on every entry.
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký kiểm tra")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_entry_hash_unique")]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit entries are append-only")

    def content(self) -> dict[str, Any]:
        """The fields the hash covers, in the form they were hashed."""
        return content_of({name: getattr(self, name) for name in HASHED_FIELDS})


#: The fields an entry's hash covers.
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor",
    "agency_code",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "changes",
)


def content_of(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed content of an entry with these field values: a stored entry's, or those of one a statement is
    about to write (no model instance needed)."""
    content = {name: fields[name] for name in HASHED_FIELDS}
    # Always UTC, whatever zone the moment was created in, so the hash survives a round trip.
    content["at"] = fields["at"].astimezone(UTC).isoformat()
    return content
