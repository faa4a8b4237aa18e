"""The Django admin for the calendar: every write goes through the services (log + stamp bump)."""

from __future__ import annotations

from django.contrib import admin

from phucvu.workcalendar import services
from phucvu.workcalendar.models import CalendarChange, CalendarDay, WorkingHours


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "kind", "source", "jurisdiction", "active"]
    list_filter = ["kind", "source", "active", ("jurisdiction", admin.EmptyFieldListFilter)]
    search_fields = ["name", "search_key", "basis"]
    date_hierarchy = "day"
    autocomplete_fields = ["jurisdiction"]
    fields = ["day", "kind", "name", "basis", "jurisdiction", "active"]

    def save_model(self, request, obj, form, change):
        if change and not obj.active:
            services.calendar_day_deactivate(actor=request.user, day_id=obj.pk)
            return
        saved = services.calendar_day_save(actor=request.user, day=obj.day, kind=obj.kind, name=obj.name,
                                           basis=obj.basis, jurisdiction=obj.jurisdiction)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: untick "active" instead


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "rest_weekdays", "updated_at"]
    autocomplete_fields = ["agency"]

    def save_model(self, request, obj, form, change):
        saved = services.working_hours_set(actor=request.user, agency=obj.agency, periods=obj.periods,
                                           rest_weekdays=obj.rest_weekdays)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "day", "jurisdiction", "actor", "note"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
