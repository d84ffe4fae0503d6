"""Forms for the consent registry and the patient page.

NHS numbers are typed into password-style fields that browsers do not remember, and go
only to the service, which hashes them at once.
"""

from __future__ import annotations

from django import forms

from carepact.engine.policy import purposes as duo

from .models import Decision, Recipients


class NhsNumberInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})


def nhs_number_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label="NHS number",
        max_length=20,
        widget=NhsNumberInput(),
        help_text="Ten digits; spaces are fine. It is turned into a keyed code at once and "
        "never stored.",
        **kwargs,
    )


class SearchForm(forms.Form):
    nhs_number = nhs_number_field()


def _partnership_field(partnerships, *, required: bool, empty: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Partnership",
        queryset=partnerships,
        required=required,
        empty_label=empty,
        to_field_name="slug",
    )


class ChoiceForm(forms.Form):
    """A choice staff were told of: permit or deny, for what, for whom, when."""

    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        help_text="Deny records a withdrawal; every past release that contained the patient "
        "is then traced.",
    )
    purposes = forms.MultipleChoiceField(
        label="Purposes",
        required=False,
        choices=duo.choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every purpose. A purpose covers those beneath it.",
    )
    recipients = forms.ChoiceField(
        label="Which recipients",
        choices=Recipients.choices,
        initial=Recipients.ALL,
    )
    period_start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, partnerships, ask_number: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"] = _partnership_field(
            partnerships, required=False, empty="Every partnership"
        )
        if ask_number:
            self.fields["nhs_number"] = nhs_number_field()
        self.order_fields(
            ["nhs_number", "decision", "partnership", "recipients", "purposes", "period_start"]
        )


class WithdrawForm(forms.Form):
    SCOPES = [
        ("partnership", "From one partnership"),
        ("commercial", "From use by commercial organisations, in every partnership"),
        ("all", "From every use of their data"),
    ]
    scope = forms.ChoiceField(label="Withdraw", choices=SCOPES, widget=forms.RadioSelect)

    def __init__(self, *args, partnerships, scopes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if scopes is not None:
            self.fields["scope"].choices = [s for s in self.SCOPES if s[0] in scopes]
        self.fields["partnership"] = _partnership_field(
            partnerships, required=False, empty="Choose the partnership"
        )
        self.fields["partnership"].help_text = "Only when withdrawing from one partnership."


class ImportForm(forms.Form):
    file = forms.FileField(label="File")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Twelve letters and numbers, as the staff gave them to you, such as "
        "ABCD-EFGH-JKMN.",
    )


class PatientWithdrawForm(forms.Form):
    scope = forms.CharField(widget=forms.HiddenInput)
    partnership = forms.CharField(required=False, widget=forms.HiddenInput)
