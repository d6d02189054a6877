"""Dossiers in Django's admin: to look, never to edit.

Every change goes through :mod:`lienthong.onestop.services` (role checks, timeline, audit, events), so these
pages add, change and delete nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Dossier, DossierEvent


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DossierEventInline(_ReadOnly, admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note"]


@admin.register(Dossier)
class DossierAdmin(_ReadOnly, admin.ModelAdmin):
    actions = None
    list_display = ["code", "procedure", "agency", "applicant_name", "channel", "national_status", "due_at"]
    list_filter = ["national_status", "channel"]
    search_fields = ["code", "applicant_name"]
    list_select_related = ["procedure", "agency"]
    raw_id_fields = ["procedure", "procedure_version", "agency"]
    inlines = [DossierEventInline]
