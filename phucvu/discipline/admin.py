from django.contrib import admin

from phucvu.discipline.models import Commitment, Sanction, Violation


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["staff", "year", "text_version", "signed_on"]
    list_filter = ["year"]
    search_fields = ["staff__search_key"]
    autocomplete_fields = ["staff"]


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "occurred_on", "source"]
    list_filter = ["kind"]
    search_fields = ["staff__search_key", "description"]
    autocomplete_fields = ["staff", "recorded_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "decision_number", "decided_on"]
    list_filter = ["kind"]
    search_fields = ["staff__search_key", "decision_number"]
    autocomplete_fields = ["staff", "violation"]

    def has_delete_permission(self, request, obj=None):
        return False
