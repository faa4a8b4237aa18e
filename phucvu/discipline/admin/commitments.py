from django.contrib import admin

from phucvu.discipline.models import Commitment


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["staff", "year", "text_version", "signed_on"]
    list_filter = ["year"]
    search_fields = ["staff__search_key"]
    autocomplete_fields = ["staff"]
