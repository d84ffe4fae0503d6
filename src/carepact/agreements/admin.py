"""Read-only admin views: agreements and the library change through their services and
pages (the library's own pages for administrators), which check and audit every change."""

from django.contrib import admin

from carepact.agreements.models import Agreement, AgreementVersion, Clause, ClauseVersion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClauseVersionInline(admin.TabularInline):
    model = ClauseVersion
    extra = 0
    fields = ["number", "note", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Clause)
class ClauseAdmin(ReadOnly):
    list_display = ["key", "family", "topic", "alternative", "is_starter"]
    list_filter = ["topic", "is_starter"]
    search_fields = ["key", "title", "alternative"]
    inlines = [ClauseVersionInline]


class VersionInline(admin.TabularInline):
    model = AgreementVersion
    extra = 0
    fields = ["number", "status", "signed_at", "hash"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnly):
    list_display = ["title", "partnership", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "partnership__title"]
    inlines = [VersionInline]
