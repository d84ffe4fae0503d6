from django.contrib import admin

from carepact.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail is append-only: readable here, never editable."""

    list_display = ["scope", "seq", "created_at", "actor_label", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["scope", "actor_label", "object_label", "message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
