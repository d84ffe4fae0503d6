"""Read-only admin views: the registry changes only through its services (and audit)."""

from django.contrib import admin

from .models import ConsentRecord, ImportBatch


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnly):
    list_display = ("record_id", "organisation", "decision", "recipients", "source", "recorded_at")
    list_filter = ("decision", "source", "recipients", "organisation")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly):
    list_display = ("pk", "organisation", "kind", "filename", "imported", "rejected", "created_at")
    list_filter = ("kind", "organisation")
