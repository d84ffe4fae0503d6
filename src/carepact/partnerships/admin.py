from django.contrib import admin

from carepact.partnerships.models import GlossaryTerm, Partnership, Party, RoleAssignment


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["organisation", "role", "status"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["person", "organisation", "role"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """Read-mostly: partnership changes belong to their parties, through the pages."""

    list_display = ["title", "type", "stage", "created_at"]
    list_filter = ["type", "stage"]
    search_fields = ["title", "slug"]
    readonly_fields = ["stage", "stage_changed_at", "created_by", "created_at", "updated_at"]
    inlines = [PartyInline, RoleInline]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "partnership", "updated_at"]
    search_fields = ["term"]
