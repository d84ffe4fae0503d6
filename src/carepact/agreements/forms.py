"""Forms for the agreement pages; clause parameters get fields from their typed specs."""

from __future__ import annotations

from typing import Any

from django import forms

from carepact.accounts.models import Organisation
from carepact.engine.agreements import params
from carepact.engine.agreements.topics import KINDS, TOPICS, Kind, Topic


class NewAgreementForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of agreement", choices=[(k.value, KINDS[k].label) for k in Kind]
    )
    title = forms.CharField(max_length=200)
    parties = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        help_text="Every party to the partnership, unless the agreement binds only some.",
    )
    starter_clauses = forms.BooleanField(
        label="Start with a library clause for every topic this kind needs",
        required=False,
        initial=True,
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        self.fields["parties"].choices = [(o.slug, o.name) for o in organisations]
        self.fields["parties"].initial = list(self.organisations)

    def chosen(self) -> list[Organisation]:
        return [self.organisations[s] for s in self.cleaned_data["parties"]]


def _field(spec: params.ParamSpec, parties: dict[str, str]) -> forms.Field:
    help_text = spec.help or ""
    hint = f"Write {spec.format_hint}." if spec.type not in ("choice", "party", "parties") else ""
    help_text = " ".join(p for p in (help_text, hint) if p)
    common: dict[str, Any] = {"label": spec.label, "required": False, "help_text": help_text}
    if spec.type == "party":
        return forms.ChoiceField(choices=[("", "—"), *parties.items()], **common)
    if spec.type == "parties":
        return forms.MultipleChoiceField(
            choices=list(parties.items()), widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *spec.options], **common)
    if spec.type == "boolean":
        return forms.ChoiceField(choices=[("", "—"), ("yes", "Yes"), ("no", "No")], **common)
    if spec.type in ("list", "longtext"):
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if spec.type == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(**common)


def initial_for(specs: list[params.ParamSpec], values: dict[str, Any]) -> dict[str, Any]:
    initial = {}
    for spec in specs:
        value = values.get(spec.name, spec.default)
        shown = params.as_input(spec, value)
        if spec.type == "boolean" and value is not None:
            shown = "yes" if value else "no"
        initial[spec.name] = shown
    return initial


class ClauseForm(forms.Form):
    """A clause's parameters, and a comment when the change is a proposal."""

    def __init__(
        self,
        *args,
        specs: list[params.ParamSpec],
        parties: dict[str, str],
        comment: str | None = None,  # None: no comment field; else its help text
        comment_required: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.specs = specs
        for spec in specs:
            self.fields[spec.name] = _field(spec, parties)
        if comment is not None:
            self.fields["comment"] = forms.CharField(
                label="Comment for the other parties",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=comment_required,
                help_text=comment,
            )

    def parameters(self) -> dict[str, Any]:
        return {s.name: self.cleaned_data.get(s.name) for s in self.specs}

    def comment(self) -> str:
        return self.cleaned_data.get("comment", "")


class RespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(forms.Form):
    confirm = forms.BooleanField(label="I have read this version and sign it for my organisation")
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter it again: a signature must come from you, not an open session.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)


class DiffForm(forms.Form):
    before = forms.TypedChoiceField(label="Compare version", coerce=int)
    after = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        self.fields["before"].choices = choices
        self.fields["after"].choices = choices


class PortfolioForm(forms.Form):
    organisation = forms.ChoiceField(label="Organisation")

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]


class LibraryClauseForm(forms.Form):
    key = forms.SlugField(max_length=80, help_text="A unique key, e.g. ip-joint-field-limited.")
    family = forms.SlugField(
        max_length=80,
        help_text="Alternatives for one slot of an agreement share a family, e.g. ip-ownership.",
    )
    topic = forms.ChoiceField(choices=[(t.value, TOPICS[t].label) for t in Topic])
    title = forms.CharField(max_length=200)
    alternative = forms.CharField(max_length=200, help_text="What sets this alternative apart.")
    guidance = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    parameters = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "mono"}),
        help_text="YAML: a list of parameters, each with name, type, label and optionally "
        "help, required, options, min, max, default. Types: " + ", ".join(params.TYPES) + ".",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Our own wording. Use {{ name }} for a parameter; a blank line starts a new "
        "numbered paragraph.",
    )


class ClauseVersionForm(forms.Form):
    parameters = LibraryClauseForm.base_fields["parameters"]
    text = LibraryClauseForm.base_fields["text"]
    note = forms.CharField(
        max_length=300, required=False, help_text="What changed, and why (shown to everyone)."
    )
