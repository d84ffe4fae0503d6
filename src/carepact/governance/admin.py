from django.contrib import admin

from carepact.governance.models import Action, Body, Decision, Escalation, Meeting, Risk

for model in (Body, Meeting, Decision, Action, Risk):
    admin.site.register(model)


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Grievances may be confidential: the admin list does not show who raised them."""

    list_display = ["title", "kind", "partnership", "status", "raised_at"]
    exclude = ["raised_by"]
