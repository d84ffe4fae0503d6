"""Forms for datasets, terms, requests, reviews and obligations."""

from __future__ import annotations

from django import forms

from carepact.accounts.models import Membership, Organisation, User
from carepact.engine.agreements.terms import ART6, ART9
from carepact.engine.policy import MODIFIERS
from carepact.engine.policy import purposes as duo
from carepact.engine.release.hierarchy import KINDS

from .models import ColumnRole, Review

BASIS6 = [("", "Not recorded"), *ART6.items()]
BASIS9 = [("", "Not recorded"), *ART9.items()]
MODIFIER_HELP = "Comma-separated DUO modifiers, for example IRB, GS:GB, TS:12, NCU. Known: " + (
    ", ".join(MODIFIERS)
)


class DatasetSettingsForm(forms.Form):
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    article6 = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)", choices=BASIS6, required=False
    )
    article9 = forms.ChoiceField(
        label="Condition (UK GDPR Article 9)", choices=BASIS9, required=False
    )
    k = forms.IntegerField(
        label="k (smallest group of alike people in a release)", min_value=2, initial=10
    )
    l_diversity = forms.IntegerField(
        label="l (different sensitive values in each group)",
        min_value=2,
        required=False,
        help_text="Leave empty for no l-diversity.",
    )
    suppression_limit = forms.FloatField(
        label="Share of rows that may be suppressed",
        min_value=0,
        max_value=0.99,
        initial=0.05,
    )
    approvals_required = forms.TypedChoiceField(
        label="Approvals needed for a request",
        choices=[(1, "One data steward"), (2, "Two data stewards")],
        coerce=int,
        initial=1,
    )


class DatasetForm(DatasetSettingsForm):
    owner = forms.ModelChoiceField(
        label="Owned by", queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(max_length=200)
    location = forms.CharField(
        max_length=500,
        help_text="A Parquet or CSV file, a folder of them, or a DuckDB table as "
        "file.duckdb#table, relative to the data directory's datasets folder.",
    )
    patient_id_column = forms.CharField(
        label="Column holding the NHS number",
        max_length=100,
        initial="nhs_number",
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.order_fields(["owner", "name", "description", "location", "patient_id_column"])


ROLE_CHOICES = ColumnRole.choices
HIERARCHY_CHOICES = [("", "—"), *((k, k.replace("_", " ")) for k in KINDS)]


class ColumnsForm(forms.Form):
    """One role (and hierarchy) per column."""

    def __init__(self, *args, dataset, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for i, column in enumerate(dataset.columns):
            name = column["name"]
            role = forms.ChoiceField(
                label=f"Role of {name}", choices=ROLE_CHOICES, initial=column.get("role")
            )
            hierarchy = forms.ChoiceField(
                label=f"Hierarchy of {name}",
                choices=HIERARCHY_CHOICES,
                required=False,
                initial=column.get("hierarchy") or "",
            )
            extra = forms.CharField(
                label=f"Hierarchy file or band widths for {name}",
                required=False,
                initial=column.get("hierarchy_file")
                or " ".join(str(w) for w in column.get("widths") or []),
            )
            self.fields[f"role_{i}"], self.fields[f"hierarchy_{i}"] = role, hierarchy
            self.fields[f"extra_{i}"] = extra
            self.rows.append((column, f"role_{i}", f"hierarchy_{i}", f"extra_{i}"))

    def bound_rows(self):
        return [(c, self[r], self[h], self[e]) for c, r, h, e in self.rows]

    def changes(self) -> dict[str, dict]:
        out = {}
        for column, role, hierarchy, extra in self.rows:
            change = {
                "role": self.cleaned_data[role],
                "hierarchy": self.cleaned_data[hierarchy],
            }
            text = (self.cleaned_data[extra] or "").strip()
            if change["hierarchy"] == "categorical":
                change["hierarchy_file"] = text
            elif change["hierarchy"] == "numeric":
                try:
                    change["widths"] = [float(w) for w in text.replace(",", " ").split()]
                except ValueError:
                    change["widths"] = []
            out[column["name"]] = change
        return out


class TermsForm(forms.Form):
    permission = forms.CharField(
        label="Permitted purpose (DUO)",
        max_length=80,
        help_text="NRES, GRU, HMB, POA, or DS:<disease> such as DS:MONDO:0005148. Every "
        "purpose beneath it is allowed too.",
    )
    modifiers = forms.CharField(label="Modifiers", required=False, help_text=MODIFIER_HELP)
    starts_on = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"] = forms.MultipleChoiceField(
            label="Who may receive it",
            choices=[(o.slug, o.name) for o in parties],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="None ticked: every other party.",
        )
        self.order_fields(["permission", "modifiers", "recipients"])


PURPOSE_CHOICES = duo.choices()


class RequestForm(forms.Form):
    purpose = forms.ChoiceField(
        label="Purpose (DUO)",
        choices=PURPOSE_CHOICES,
        help_text="The narrowest purpose that describes the work.",
    )
    disease = forms.CharField(
        label="Another disease",
        required=False,
        help_text="Only for disease-specific research on a disease not in the list: a MONDO "
        "term such as MONDO:0005148, or its name.",
    )
    lay_summary = forms.CharField(
        label="What you will do, in plain words", widget=forms.Textarea(attrs={"rows": 4})
    )
    public_benefit = forms.CharField(
        label="How the public will benefit", widget=forms.Textarea(attrs={"rows": 3})
    )
    ethics_reference = forms.CharField(
        label="Ethics approval reference",
        required=False,
        help_text="For example an IRAS or REC reference; needed when the terms require it.",
    )
    project = forms.CharField(label="Project", required=False, max_length=200)
    commercial_use = forms.BooleanField(label="The purpose is commercial", required=False)

    def __init__(self, *args, dataset, organisation, requester, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"] = forms.MultipleChoiceField(
            label="Columns",
            choices=[(c, c) for c in dataset.releasable_columns],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="None ticked: every column you may ask for. Direct identifiers are "
            "never released.",
        )
        people = User.objects.filter(
            pk__in=Membership.objects.filter(organisation=organisation).values("user_id")
        ).exclude(pk=requester.pk)
        self.fields["users"] = forms.ModelMultipleChoiceField(
            label=f"Other people at {organisation} who will use the data",
            queryset=people,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["purpose", "disease", "columns"])

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        disease = data.pop("disease", "").strip()
        if disease:
            data["purpose"] = f"DS:{disease}"
        data["users"] = list(data["users"])
        return data


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(choices=Review.Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note to the requester",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you reject or ask for changes.",
    )


class AcknowledgeForm(forms.Form):
    action = forms.ChoiceField(
        label="What your organisation did",
        choices=[
            ("deleted", "Deleted every copy of the release"),
            ("replaced", "Replaced it with a newer release that leaves the patients out"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyQuestionForm(forms.Form):
    """Ask a dataset's policy a question, without requesting anything."""

    def __init__(self, *args, datasets, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"] = forms.ChoiceField(choices=[(d.slug, d.name) for d in datasets])
        self.fields["organisation"] = forms.ChoiceField(
            label="Asked by", choices=[(o.slug, o.name) for o in organisations]
        )
        self.fields["purpose"] = forms.ChoiceField(label="Purpose", choices=PURPOSE_CHOICES)
        self.fields["commercial_use"] = forms.BooleanField(
            label="The purpose is commercial", required=False
        )
        self.fields["ethics"] = forms.BooleanField(label="Has ethics approval", required=False)
