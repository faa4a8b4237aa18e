from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from phucvu.organization import services
from phucvu.organization.models import Agency, ApiToken, LoginFailure, Staff, Succession


class FoldedSearchMixin:
    """Admin search without accents: 'ha long' finds 'Hạ Long' through the folded `search_key`."""


class ActiveFilter(admin.SimpleListFilter):
    title = _("tình trạng")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("1", _("Đang hoạt động")), ("0", _("Đã giải thể, sáp nhập"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "0":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    """Shown for reading only: successions are recorded in their own page (through the service that
    closes the predecessor) and staff in theirs."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SuccessorInline(ReadOnlyInline):
    model = Succession
    fk_name = "predecessor"
    fields = readonly_fields = ["successor", "kind", "effective", "legal_basis"]
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("đơn vị kế thừa")


class PredecessorInline(ReadOnlyInline):
    model = Succession
    fk_name = "successor"
    fields = readonly_fields = ["predecessor", "kind", "effective", "legal_basis"]
    verbose_name = _("đơn vị được kế thừa")
    verbose_name_plural = _("đơn vị được kế thừa")


class StaffInline(ReadOnlyInline):
    model = Staff
    fk_name = "agency"
    fields = readonly_fields = ["full_name", "role", "position", "category", "active"]
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "indented_name", "kind", "level", "parent", "electronic_id", "valid_from", "valid_to"]
    list_filter = ["kind", "level", ActiveFilter]
    search_fields = ["code", "name", "search_key", "electronic_id", "unit_code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["level", "path", "depth"]
    list_select_related = ["parent"]
    list_per_page = 50
    inlines = [PredecessorInline, SuccessorInline, StaffInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "parent", "level"]}),
        (_("Định danh"), {"fields": ["electronic_id", "unit_code", "address"]}),
        (_("Hiệu lực"), {"fields": ["valid_from", "valid_to"]}),
        (_("Vị trí trong cây"), {"fields": ["path", "depth"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("tên"), ordering="path")
    def indented_name(self, obj):
        return f"{'· ' * obj.depth}{obj.name}"

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
    list_filter = ["kind", "effective"]
    search_fields = ["predecessor__search_key", "successor__search_key", "predecessor__code", "successor__code"]
    autocomplete_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]

    def save_model(self, request, obj, form, change):
        links = services.agency_succeed(predecessors=[obj.predecessor], successor=obj.successor,
                                        effective=obj.effective, kind=obj.kind, legal_basis=obj.legal_basis)
        obj.pk = links[0].pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Staff)
class StaffAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "user", "agency", "role", "position", "category", "active"]
    list_filter = ["role", "category", "active", "agency__level"]
    search_fields = ["full_name", "search_key", "user__username", "agency__search_key", "agency__code"]
    autocomplete_fields = ["agency", "scope", "user"]
    list_select_related = ["user", "agency"]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        services.staff_save(staff=obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "address", "at", "cleared"]
    list_filter = ["cleared"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]
    search_fields = ["user__username", "name"]
    readonly_fields = ["digest", "last_used_at", "replaced_by"]
    autocomplete_fields = ["user"]
