from django.contrib import admin

from phucvu.organization import services
from phucvu.organization.models import Agency, ApiToken, LoginFailure, Staff, Succession


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "electronic_id", "valid_from", "valid_to"]
    list_filter = ["kind", "level"]
    search_fields = ["code", "name", "search_key", "electronic_id"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["level", "path", "depth"]
    list_select_related = ["parent"]

    def save_model(self, request, obj, form, change):
        # Through the service, so path, depth and level of the whole subtree stay right.
        if change:
            services.agency_update(agency=obj, **{f: form.cleaned_data[f] for f in form.changed_data})
        else:
            created = services.agency_create(**{f: form.cleaned_data.get(f) or "" if f not in {
                "parent", "valid_from", "valid_to"} else form.cleaned_data.get(f) for f in [
                "code", "name", "kind", "parent", "electronic_id", "unit_code", "address", "valid_from",
                "valid_to"]})
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: close an agency with valid_to instead


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective", "legal_basis"]
    autocomplete_fields = ["predecessor", "successor"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "agency", "role", "position", "category", "active"]
    list_filter = ["role", "category", "active"]
    search_fields = ["full_name", "search_key", "user__username"]
    autocomplete_fields = ["agency", "scope", "user"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "address", "at", "cleared"]
    search_fields = ["username", "address"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "revoked_at"]
    readonly_fields = ["digest"]
