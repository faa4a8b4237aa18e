"""Read-only admin: every change to a dossier goes through services (events, facts, versions)."""

from django.contrib import admin

from phucvu.dossiers.models import Dossier, DossierEvent, DossierStep


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = DossierStep
    extra = 0
    can_delete = False
    fields = ["order", "name", "agency", "assignee", "started_at", "due_at", "finished_at", "outcome"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnly):
    list_display = ["code", "applicant_name", "procedure", "agency", "status", "received_at", "due_at"]
    list_filter = ["status", "channel"]
    search_fields = ["code", "search_key"]
    date_hierarchy = "received_at"
    inlines = [StepInline]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnly):
    list_display = ["dossier", "kind", "at", "actor", "from_status", "to_status"]
    list_filter = ["kind"]
    search_fields = ["dossier__code"]
