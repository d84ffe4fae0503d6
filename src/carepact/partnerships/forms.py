"""Forms for the partnership pages."""

from __future__ import annotations

from django import forms

from carepact.accounts.models import Organisation
from carepact.partnerships.models import PartnershipType, Party, Role, Stage


class PartnershipForm(forms.Form):
    title = forms.CharField(max_length=200)
    type = forms.ChoiceField(label="Type of partnership", choices=PartnershipType.choices)
    purpose = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences, in plain words: what is this partnership for?",
    )
    vision = forms.CharField(
        label="Shared vision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the partners want to achieve together. Needed before agreeing starts.",
    )


class NewPartnershipForm(PartnershipForm):
    organisation = forms.ModelChoiceField(
        label="Led by",
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text="Your organisation that leads the partnership.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user)
        self.order_fields(["organisation", "title", "type", "purpose", "vision"])


class InvitePartyForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    role = forms.ChoiceField(
        label="Their role in the partnership",
        choices=Party.Role.choices,
        initial=Party.Role.PARTNER,
    )
    message = forms.CharField(
        label="A message to their administrators",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        taken = partnership.parties.exclude(status=Party.Status.DECLINED).values("organisation")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=taken)


class AssignRoleForm(forms.Form):
    membership = forms.ChoiceField(label="Person")
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(m.pk): m for m in people}
        self.fields["membership"].choices = [
            (str(m.pk), f"{m.user} — {m.organisation} ({m.get_level_display().lower()})")
            for m in people
        ]


class StageForm(forms.Form):
    to = forms.ChoiceField(label="Move to")
    note = forms.CharField(
        label="Note for the record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when closing the partnership.",
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, Stage(s).label) for s in targets]


class TermForm(forms.Form):
    term = forms.CharField(max_length=120)
    definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False)
    person = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, actions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *((a, a) for a in actions)]
        self.fields["person"].choices = [("", "Anyone"), *people]
