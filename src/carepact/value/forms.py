"""Forms for the value pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from carepact.value.models import BenefitKind, ContributionKind, EvidenceStrength

DATE = forms.DateInput(attrs={"type": "date"})


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Contributed by", queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="Kind", choices=ContributionKind.choices)
    description = forms.CharField(max_length=300, help_text="What was contributed, in a line.")
    contributed_on = forms.DateField(label="Date", widget=DATE)
    currency = forms.CharField(
        max_length=3, initial="GBP", help_text="ISO 4217 code: GBP, EUR, USD..."
    )
    amount = forms.CharField(
        required=False,
        max_length=24,
        help_text="The value, such as 25000 or 25,000.00. Not for staff time.",
    )
    fte_months = forms.DecimalField(
        label="Staff time (FTE-months)",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="Staff time only: one person full time for a month is 1.",
    )
    rate = forms.CharField(
        label="Cost of one FTE-month",
        required=False,
        max_length=24,
        help_text="Staff time only: salary and on-costs of one FTE for a month.",
    )
    valuation_method = forms.CharField(
        label="How it was valued",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Market rate, cost, a figure agreed in the MoU... Worked out for you for "
        "cash and staff time if left empty.",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(choices=BenefitKind.choices)
    description = forms.CharField(max_length=300, help_text="What the benefit is, in a line.")
    realised_on = forms.DateField(label="Date realised", widget=DATE)
    amount = forms.CharField(
        required=False,
        max_length=24,
        help_text="Its money value, if it has one (required for revenue, savings and value "
        "returned to the NHS).",
    )
    currency = forms.CharField(max_length=3, required=False, initial="GBP")
    valuation_method = forms.CharField(
        label="How the amount was worked out",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = parties
        for organisation in parties:
            self.fields[f"share_{organisation.pk}"] = forms.DecimalField(
                label=f"Share for {organisation} (%)",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
            )
        if parties:
            first = f"share_{parties[0].pk}"
            self.fields[
                first
            ].help_text = "Who the benefit goes to, in percent; the shares add up to 100."

    def shares(self):
        return {o: self.cleaned_data.get(f"share_{o.pk}") for o in self.parties}


class CoalitionForm(forms.Form):
    basis = forms.CharField(
        label="What the values measure",
        max_length=300,
        help_text="For example: expected net value over five years, if these parties "
        "worked together without the others.",
    )
    unit = forms.CharField(max_length=60, help_text="For example: £ thousands.")

    def __init__(self, *args, coalitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for index, (key, members) in enumerate(coalitions):
            name = f"c{index}"
            self.keys[name] = key
            label = " + ".join(str(m) for m in members)
            self.fields[name] = forms.CharField(
                label=f"Value of {label}" + (" alone" if len(members) == 1 else ""),
                max_length=30,
            )

    def values(self):
        return {self.keys[name]: self.cleaned_data[name] for name in self.keys}


class ValueCaseForm(forms.Form):
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The case in two or three sentences, for a funder.",
    )
    sites = forms.IntegerField(label="Sites", required=False, min_value=0)
    sites_detail = forms.CharField(label="Which sites", required=False, max_length=300)
    population_reached = forms.IntegerField(label="Patients reached", required=False, min_value=0)
    population_detail = forms.CharField(label="Who they are", required=False, max_length=300)
    outcome_label = forms.CharField(
        label="One unit of outcome",
        required=False,
        max_length=200,
        help_text="For example: a patient diagnosed with lung cancer at stage 1 or 2.",
    )
    outcome_quantity = forms.FloatField(
        label="Units of outcome achieved",
        required=False,
        min_value=0,
        help_text="So far; the cost per unit of outcome is the contributions divided by it.",
    )
    outcome_source = forms.CharField(
        label="Where that number comes from", required=False, max_length=300
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The evaluations, audits and publications behind the case.",
    )
    evidence_strength = forms.ChoiceField(
        label="Strength of the evidence",
        required=False,
        choices=[("", "Not assessed"), *EvidenceStrength.choices],
    )
    scaling_needs = forms.CharField(
        label="What scaling would need",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="People, money, integration, approvals, and what would differ at the next site.",
    )
