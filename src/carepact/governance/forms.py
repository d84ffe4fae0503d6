"""Forms for the governance pages (types at the edge; the rules are in the services)."""

from __future__ import annotations

from django import forms

from carepact.governance.models import Body, Decision, Escalation, Position, Risk

DATE = forms.DateInput(attrs={"type": "date"})


def person_choices(people) -> list[tuple[str, str]]:
    return [(str(m.pk), f"{m.user} — {m.organisation}") for m in people]


class BodyForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=Body.Kind.choices)
    decision_rights = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What this body may decide, one per line (as agreed in the MoU's governance "
        "clause).",
    )


class MemberForm(forms.Form):
    membership = forms.ChoiceField(label="Person")
    is_chair = forms.BooleanField(label="Chair", required=False)
    votes = forms.BooleanField(label="Has a vote", required=False, initial=True)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = person_choices(people)


class RouteForm(forms.Form):
    kind = forms.ChoiceField(choices=Escalation.Kind.choices)
    body = forms.ChoiceField(label="Handled by")
    respond_within_days = forms.IntegerField(
        label="Answer within (days)", min_value=1, max_value=120, initial=14
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(str(b.pk), b.name) for b in bodies]


class MeetingForm(forms.Form):
    AGENDA_ROWS = 6

    body = forms.ChoiceField()
    title = forms.CharField(max_length=200)
    held_on = forms.DateField(label="Held on", widget=DATE)
    minutes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    attendees = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="Who attended."
    )

    def __init__(self, *args, bodies, people, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(str(b.pk), b.name) for b in bodies]
        self.fields["attendees"].choices = person_choices(people)
        party_choices = [("", "—"), *((str(o.pk), o.name) for o in parties)]
        for i in range(1, self.AGENDA_ROWS + 1):
            self.fields[f"agenda_{i}"] = forms.CharField(
                label=f"Agenda item {i}", max_length=300, required=False
            )
            self.fields[f"agenda_{i}_party"] = forms.ChoiceField(
                label=f"Agenda item {i} proposed by", choices=party_choices, required=False
            )

    def clean(self):
        data = super().clean()
        for i in range(1, self.AGENDA_ROWS + 1):
            if data.get(f"agenda_{i}") and not data.get(f"agenda_{i}_party"):
                self.add_error(f"agenda_{i}_party", "Say which party put this item forward.")
        return data


class DecisionForm(forms.Form):
    body = forms.ChoiceField(label="Decided by")
    meeting = forms.ChoiceField(required=False, label="At meeting")
    title = forms.CharField(label="What was decided", max_length=300)
    detail = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_by = forms.ChoiceField(label="Proposed by")
    decided_on = forms.DateField(label="Decided on", widget=DATE)
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices)

    def __init__(self, *args, bodies, meetings, people, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        self.fields["body"].choices = [(str(b.pk), b.name) for b in bodies]
        self.fields["meeting"].choices = [("", "—"), *((str(m.pk), str(m)) for m in meetings)]
        self.fields["proposed_by"].choices = person_choices(people)
        for org in self.parties:
            self.fields[f"vote_{org.pk}"] = forms.ChoiceField(
                label=f"{org.name}: position", choices=Position.Vote.choices
            )
            self.fields[f"note_{org.pk}"] = forms.CharField(
                label=f"{org.name}: reason or note",
                required=False,
                help_text="Required when the party is against.",
            )


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300, label="What is to be done")
    owner = forms.ChoiceField()
    due_on = forms.DateField(label="Due on", widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = person_choices(people)


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(choices=Escalation.Kind.choices, label="This is")
    title = forms.CharField(max_length=300)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="What is wrong, and what would put it right"
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Hide my name from the other parties",
        help_text="Your own organisation and carepact still know who raised it.",
    )


class HandleForm(forms.Form):
    status = forms.ChoiceField(choices=Escalation.Status.choices)
    resolution = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to resolve it.",
    )


class RiskForm(forms.Form):
    title = forms.CharField(max_length=300)
    category = forms.ChoiceField(choices=Risk.Category.choices)
    owner = forms.ChoiceField()
    likelihood = forms.TypedChoiceField(
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text="1 rare … 5 almost certain",
    )
    impact = forms.TypedChoiceField(
        coerce=int, choices=[(i, str(i)) for i in range(1, 6)], help_text="1 minor … 5 severe"
    )
    mitigation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(label="Review on", widget=DATE)
    status = forms.ChoiceField(choices=Risk.Status.choices, initial=Risk.Status.OPEN)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = person_choices(people)
