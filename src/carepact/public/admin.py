from django.contrib import admin

from carepact.public.models import Publication, PublicationOptIn


class OptInInline(admin.TabularInline):
    model = PublicationOptIn
    extra = 0


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("partnership", "show_value", "show_kpis", "published_at")
    inlines = [OptInInline]
