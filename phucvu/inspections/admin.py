from django.contrib import admin

from phucvu.inspections.models import Finding, Inspection, InspectionEvent, Recommendation


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    autocomplete_fields = ["cadre"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["owner"]


class EventInline(admin.TabularInline):
    model = InspectionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["code", "topic", "organizer", "target", "kind", "started_on", "status"]
    list_filter = ["kind", "status", "reason"]
    search_fields = ["code", "search_key", "decision_number"]
    autocomplete_fields = ["organizer", "target", "head", "members"]
    list_select_related = ["organizer", "target"]
    inlines = [FindingInline, RecommendationInline, EventInline]

    def has_delete_permission(self, request, obj=None):
        return False
