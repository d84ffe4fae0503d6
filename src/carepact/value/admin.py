from django.contrib import admin

from carepact.value.models import Benefit, BenefitShare, CoalitionValues, Contribution, ValueCase


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("description", "organisation", "kind", "amount_minor", "currency")
    list_filter = ("kind", "currency")


class ShareInline(admin.TabularInline):
    model = BenefitShare
    extra = 0


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ("description", "kind", "amount_minor", "currency", "realised_on")
    list_filter = ("kind",)
    inlines = [ShareInline]


admin.site.register(CoalitionValues)
admin.site.register(ValueCase)
