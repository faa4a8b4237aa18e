from django.contrib import admin

from phucvu.catalog.models import Field, Procedure, ProcedureOffering, ProcedureVersion, WorkflowStep


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name", "search_key"]


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    raw_id_fields = ["agency"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "levels", "active"]
    list_filter = ["field", "active"]
    search_fields = ["code", "search_key"]
    raw_id_fields = ["current_version"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    # Versions are written by services (a change makes a new version); the admin only shows them.
    list_display = ["procedure", "number", "amount", "time_unit", "pause_rule", "online_level", "valid_from"]
    list_filter = ["time_unit", "online_level", "rule_set"]
    search_fields = ["procedure__code", "procedure__search_key"]
    inlines = [WorkflowStepInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProcedureOffering)
class ProcedureOfferingAdmin(admin.ModelAdmin):
    list_display = ["procedure", "agency", "active", "online"]
    list_filter = ["active", "online"]
    raw_id_fields = ["procedure", "agency"]
