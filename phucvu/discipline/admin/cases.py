from django.contrib import admin

from phucvu.discipline.models import Sanction


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "decision_number", "decided_on"]
    list_filter = ["kind"]
    search_fields = ["staff__search_key", "decision_number"]
    autocomplete_fields = ["staff", "violation"]

    def has_delete_permission(self, request, obj=None):
        return False
