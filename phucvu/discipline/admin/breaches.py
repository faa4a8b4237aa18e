from django.contrib import admin

from phucvu.discipline.models import Violation


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "occurred_on", "source"]
    list_filter = ["kind"]
    search_fields = ["staff__search_key", "description"]
    autocomplete_fields = ["staff", "recorded_by"]

    def has_delete_permission(self, request, obj=None):
        return False
