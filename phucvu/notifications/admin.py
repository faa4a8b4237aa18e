from django.contrib import admin

from phucvu.notifications.models import ContactPreference, Message, ProviderToken, SweepRun


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "recipient", "status", "attempts", "cost")
    list_filter = ("status", "channel", "event", "audience")
    search_fields = ("key", "recipient", "provider_id")
    raw_id_fields = ("dossier", "staff", "fallback_of")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the outbox is a record: nothing is deleted


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ("dossier", "channels", "opted_out", "updated_at")
    raw_id_fields = ("dossier",)


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "next_run_at", "last_result")


@admin.register(ProviderToken)
class ProviderTokenAdmin(admin.ModelAdmin):
    list_display = ("provider", "expires_at", "rotated_at", "rotations")
    exclude = ("access_token", "refresh_token")  # secrets are not shown
