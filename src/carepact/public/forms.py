"""Forms for publishing the public page."""

from __future__ import annotations

from django import forms

from carepact.public.models import ValueShown


class PublicationForm(forms.Form):
    summary = forms.CharField(
        label="What the partnership does, in plain words",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Written for patients and the public: what it is for, whose data it uses and "
        "why. No jargon.",
    )
    how_to_opt_out = forms.CharField(
        label="How a patient can opt out or withdraw",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label="Who to contact",
        required=False,
        max_length=200,
        help_text="A team or role and an address, not a named person.",
    )
    show_value = forms.ChoiceField(
        label="Value returned to show",
        choices=ValueShown.choices,
        help_text="From the ledger: fees, milestones and royalties paid to the NHS, patient "
        "benefits and publications. Totals only, each item, or none.",
    )
    show_kpis = forms.BooleanField(
        label="Show the outcome KPIs (patient outcome, experience and equity)",
        required=False,
    )


class PartyForm(forms.Form):
    organisation = forms.SlugField(widget=forms.HiddenInput)
