from django.contrib import admin

from carepact.outcomes.models import Kpi, Measurement, Objective, ObjectiveOwner


class OwnerInline(admin.TabularInline):
    model = ObjectiveOwner
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("title", "partnership", "created_at")
    list_filter = ("partnership",)
    inlines = [OwnerInline]


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "partnership", "target", "target_date")
    list_filter = ("type", "partnership")


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("kpi", "period", "dimension", "population_group", "value", "source")
    list_filter = ("source", "dimension")
    raw_id_fields = ("kpi", "recorded_by")
