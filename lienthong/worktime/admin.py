"""Read-only views of the calendar tables in Django's admin.

Changes go through the calendar pages (/lich-lam-viec/), which audit them and renew the version stamp that
app servers use to refresh their cached calendar; editing rows here would bypass both.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CalendarDay, CalendarVersion, WorkingHours


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name", "source", "is_active", "updated_at"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(WorkingHours)
class WorkingHoursAdmin(ReadOnlyAdmin):
    list_display = [
        "agency_code",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "updated_at",
    ]
    search_fields = ["agency_code"]


@admin.register(CalendarVersion)
class CalendarVersionAdmin(ReadOnlyAdmin):
    list_display = ["token", "changed_at"]
