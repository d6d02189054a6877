"""The catalogue in Django's admin: to look, never to edit.

Every change must go through :mod:`lienthong.catalog.services` (new versions, audit entries, localised codes),
so these admin pages add, change and delete nothing. Administrators change the catalogue by importing
(``/thu-tuc/nhap/``) or through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CatalogImport, Field, Procedure, ProcedureAgency, ProcedureVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages only: no add, change or delete, not even in bulk."""

    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Field)
class FieldAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class ImplementationInline(ReadOnlyInline):
    model = ProcedureAgency
    fields = readonly_fields = ("agency", "local_code")


class VersionInline(ReadOnlyInline):
    model = ProcedureVersion
    fields = readonly_fields = ("number", "created_at", "created_by", "source")
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "field", "status", "online_level", "processing_value", "processing_unit"]
    list_filter = ["status", "online_level", "processing_unit", "field"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["field"]
    exclude = ["search_text"]
    inlines = [ImplementationInline, VersionInline]
    show_full_result_count = False


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ["procedure", "number", "created_at", "created_by", "source"]
    list_select_related = ["procedure"]
    search_fields = ["procedure__code", "procedure__name"]
    date_hierarchy = "created_at"


@admin.register(CatalogImport)
class CatalogImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "file_format", "created_at", "created_by", "applied_at", "applied_by"]
    list_filter = ["file_format"]
    search_fields = ["file_name", "sha256", "created_by", "applied_by"]
    exclude = ["content"]  # the uploaded bytes: large, and not for display
    date_hierarchy = "created_at"
