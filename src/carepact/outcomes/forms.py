"""Forms for the outcomes pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from carepact.engine.outcomes import csvimport
from carepact.outcomes.models import Dimension, Direction, Frequency, KpiType

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be different, for whom, when this objective is met.",
    )
    owners = forms.MultipleChoiceField(
        label="Accountable owners",
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose people from at least two parties: a shared objective has joint "
        "accountability.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(m.pk): m for m in people}
        self.fields["owners"].choices = [
            (str(m.pk), f"{m.user} — {m.organisation}") for m in people
        ]

    def owner_pairs(self):
        return [
            (self.people[key].user, self.people[key].organisation)
            for key in self.cleaned_data["owners"]
        ]


class KpiForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="What is measured, in plain words.")
    type = forms.ChoiceField(
        label="Type",
        choices=KpiType.choices,
        help_text="Patient outcome, patient experience and equity KPIs are outcomes; "
        "process and financial KPIs are not (see the types above).",
    )
    unit = forms.CharField(max_length=60, help_text="For example: days, %, patients per month.")
    direction = forms.ChoiceField(choices=Direction.choices)
    baseline = forms.FloatField(help_text="The value before the partnership's work changed it.")
    baseline_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.FloatField()
    target_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    frequency = forms.ChoiceField(
        label="Measured", choices=Frequency.choices, initial=Frequency.MONTHLY
    )
    tolerance_percent = forms.IntegerField(
        label="At-risk band (%)",
        min_value=0,
        max_value=100,
        initial=10,
        help_text="Behind the planned path by no more than this share of the way from "
        "baseline to target counts as at risk; further behind is off track.",
    )
    data_source = forms.CharField(max_length=300, help_text="Where the numbers come from.")
    method = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the value is calculated, so that another team could repeat it.",
    )


class MeasurementForm(forms.Form):
    period = forms.CharField(
        max_length=10,
        help_text="The period the value describes: YYYY-MM for a month, YYYY-Qn for a "
        "quarter, YYYY for a year.",
    )
    value = forms.FloatField()
    count = forms.IntegerField(
        label="Number of people",
        min_value=0,
        required=False,
        help_text="How many patients the value is based on, if known.",
    )
    dimension = forms.ChoiceField(
        label="Breakdown",
        choices=[("", "Overall (everyone)"), *Dimension.choices],
        required=False,
    )
    group = forms.CharField(
        label="Population group",
        max_length=csvimport.MAX_GROUP,
        required=False,
        help_text="For a breakdown: the group, such as “IMD quintile 1 (most deprived)”.",
    )
    note = forms.CharField(max_length=csvimport.MAX_NOTE, required=False)

    def __init__(self, *args, frequency, **kwargs):
        super().__init__(*args, **kwargs)
        self.frequency = frequency

    def clean_period(self):
        try:
            return csvimport.parse_period(self.cleaned_data["period"], self.frequency)
        except csvimport.FieldError as exc:
            raise forms.ValidationError(str(exc).capitalize() + ".") from None


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, with a header row; at most 2 MB and 10,000 rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: split it.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
            ) from None
