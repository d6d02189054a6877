"""The documents app in Django's admin.

Reference data (document types, exchange priorities, retention periods) is edited here. Registers may be
renamed, never renumbered: ``last_number`` is read-only (only issuing moves it). Work files are shown; their
documents are changed through the services. Documents themselves are read-only here: every change goes through
:mod:`lienthong.documents.services` (roles, signatures, numbering, audit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    DocumentType,
    ExchangePriority,
    HandlingAssignment,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    Register,
    RetentionPeriod,
    ReviewStep,
    WorkFile,
    WorkFileItem,
)


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "abbreviation", "rank", "is_active"]
    list_editable = ["rank", "is_active"]
    search_fields = ["code", "name", "abbreviation"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # documents keep their type; retire one with is_active


@admin.register(ExchangePriority)
class ExchangePriorityAdmin(admin.ModelAdmin):
    list_display = ["urgency", "priority"]


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "years", "rank"]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "year", "direction", "secret", "last_number"]
    list_filter = ["direction", "secret", "year"]
    search_fields = ["agency__code", "agency__name", "name"]
    readonly_fields = ["agency", "year", "direction", "secret", "last_number"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a register is opened by its first document

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WorkFileItemInline(_ReadOnly, admin.TabularInline):
    model = WorkFileItem
    extra = 0
    fields = ["ordinal", "outgoing", "incoming", "added_by", "added_at"]
    readonly_fields = ["ordinal", "outgoing", "incoming", "added_by", "added_at"]


@admin.register(WorkFile)
class WorkFileAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["code", "year", "title", "agency", "retention", "status"]
    list_filter = ["status", "year", "retention"]
    search_fields = ["code", "title", "agency__code"]
    inlines = [WorkFileItemInline]


class RecipientInline(_ReadOnly, admin.TabularInline):
    model = OutgoingRecipient
    extra = 0
    fields = ["agency_code", "name", "is_external", "incoming"]
    readonly_fields = ["agency_code", "name", "is_external", "incoming"]


class StepInline(_ReadOnly, admin.TabularInline):
    model = ReviewStep
    extra = 0
    fields = ["stage", "assignee", "submitted_at", "document_version", "decision", "note", "decided_at"]
    readonly_fields = [
        "stage",
        "assignee",
        "submitted_at",
        "document_version",
        "decision",
        "note",
        "decided_at",
    ]


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "agency", "status", "issue_date", "signer"]
    list_filter = ["status", "urgency", "secrecy"]
    search_fields = ["subject", "notation", "agency__code"]
    inlines = [RecipientInline, StepInline]


class AssignmentInline(_ReadOnly, admin.TabularInline):
    model = HandlingAssignment
    extra = 0
    fields = ["role", "person", "unit", "due_at", "assigned_by", "assigned_at", "is_active"]
    readonly_fields = ["role", "person", "unit", "due_at", "assigned_by", "assigned_at", "is_active"]


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "agency", "issuer_name", "received_at", "status", "signature_status"]
    list_filter = ["status", "source", "signature_status"]
    search_fields = ["subject", "source_notation", "issuer_name", "agency__code"]
    inlines = [AssignmentInline]
