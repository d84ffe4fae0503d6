"""Forms for running health checks and for answering one, screen by screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django import forms

from carepact.core import clock
from carepact.engine.health.instrument import FULL, PULSE, Construct, Instrument
from carepact.engine.health.rules import Config
from carepact.health.models import Round

THRESHOLD_LABELS = {
    "concern": "R1: a factor below this is a concern",
    "critical": "R1: a key factor (C1, C2, C3, C9) below this is critical",
    "drop": "R2: a fall of this much since the last round",
    "drop_consecutive": "R2: a fall of this much in each of two rounds",
    "gap_watch": "R3: parties this far apart (watch)",
    "gap_warning": "R3: parties this far apart (warning)",
    "gap_key": "R3: parties this far apart on C2, C5 or C9 (warning)",
    "level_gap": "R4: leaders and specialists this far apart on C1 or C3",
    "dont_know": "R4: share of “don't know” among managers or specialists (0-1)",
    "rwg": "R5: within-party agreement r*wg(J) below this",
    "ad": "R5: within-party average deviation above this",
    "voice": "R6: a party's own voice score below this",
    "voice_gap": "R6: highest minus lowest voice",
    "dominance": "R6: others see this much more influence than the party itself (0-1)",
    "trust_asymmetry": "R7: one party trusts the other this much less",
    "mistrust": "R8: mistrust score at or above this",
    "drawbacks_share": "R9: share of a party saying drawbacks match or outweigh benefits (0-1)",
    "fairness_low": "R9: one party's fairness below this ...",
    "fairness_high": "R9: ... while another's is at or above this",
    "contracting_target_days": "R10: agreed contracting time in days",
    "response_drop": "R11: fall in the response rate since the last round (0-1)",
    "response_floor": "R11: lowest acceptable response rate in a party and level (0-1)",
    "cluster": "R12: warnings in the trust, power and vision cluster",
}


class OpenRoundForm(forms.Form):
    kind = forms.ChoiceField(
        label="What to ask",
        choices=Round.Kind.choices,
        initial=Round.Kind.FULL,
        widget=forms.RadioSelect,
        help_text="A full check every six months; a pulse in between shows the trend.",
    )
    closes_on = forms.DateField(
        label="Closing date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Two to three weeks gives people time to answer. Results appear when it closes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = (clock.now() + timedelta(days=21)).date()


class SettingsForm(forms.Form):
    """Weights, agreed influence shares and thresholds, one field per party or threshold."""

    def __init__(self, *args, parties, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = parties
        for party in parties:
            self.fields[f"weight__{party.slug}"] = forms.FloatField(
                label=f"Weight of {party.name}",
                required=False,
                min_value=0,
                max_value=100,
                initial=current.party_weights.get(party.slug, 1),
                help_text="Parties count equally (1 each) unless you agree otherwise.",
            )
        for party in parties:
            self.fields[f"share__{party.slug}"] = forms.FloatField(
                label=f"Agreed influence of {party.name}",
                required=False,
                min_value=0,
                max_value=100,
                initial=current.intended_shares.get(party.slug),
                help_text="Leave empty for equal shares; any numbers are read as proportions.",
            )
        defaults = Config().as_dict()
        for name, default in defaults.items():
            self.fields[f"threshold__{name}"] = forms.FloatField(
                label=THRESHOLD_LABELS[name],
                required=False,
                min_value=0,
                initial=current.thresholds.get(name, default),
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "party_weights": {
                p.slug: data[f"weight__{p.slug}"]
                for p in self.parties
                if data[f"weight__{p.slug}"] is not None
            },
            "intended_shares": {
                p.slug: data[f"share__{p.slug}"]
                for p in self.parties
                if data[f"share__{p.slug}"] is not None
            },
            "thresholds": {
                name: data[f"threshold__{name}"]
                for name in Config().as_dict()
                if data[f"threshold__{name}"] is not None
            },
        }


# -- answering -------------------------------------------------------------------------------


def field_name(key: str) -> str:
    """An answer key as an HTML-friendly field name (C2.1@acme -> C2_1__acme)."""
    return key.replace(".", "_").replace("@", "__")


@dataclass
class Question:
    key: str
    field: forms.BoundField


@dataclass
class Group:
    """A set of questions shown together: statements about the partnership, or about one party."""

    title: str
    intro: str = ""
    questions: list[Question] = field(default_factory=list)


@dataclass
class Screen:
    step: str
    title: str
    intro: str
    groups: list[Group]


def _scale(instrument: Instrument, *, allow_na: bool = True) -> list[tuple[str, str]]:
    choices = [(str(k), v) for k, v in sorted(instrument.scale.items())]
    choices.append(("dk", instrument.missing["dk"]))
    if allow_na:
        choices.append(("na", instrument.missing["na"]))
    return choices


def _options(options, instrument: Instrument) -> list[tuple[str, str]]:
    return [*((str(k), v) for k, v in sorted(options.items())), ("dk", instrument.missing["dk"])]


class AnswerForm(forms.Form):
    """The questions of one screen (or all of them), built from the instrument."""

    def __init__(
        self,
        *args,
        instrument: Instrument,
        kind: str,
        parties: list[tuple[str, str]],  # (key, name), the respondent's own party first
        own: str,
        step: str | None,
        saved: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.instrument, self.kind, self.own = instrument, kind, own
        self.party_keys = [k for k, _ in parties]
        self.names = dict(parties)
        self.keys: dict[str, str] = {}  # field name -> answer key
        self.screens: list[Screen] = []
        saved = saved or {}
        if kind == PULSE:
            self.screens.append(self._pulse_screen(saved))
        else:
            for construct in instrument.constructs:
                if step in (None, construct.code):
                    self.screens.append(self._construct_screen(construct, saved))
            if step in (None, "open"):
                self.screens.append(self._open_screen(saved))

    # fields

    def _add(self, key: str, form_field: forms.Field, saved: dict) -> Question:
        name = field_name(key)
        self.keys[name] = key
        form_field.required = False
        if key in saved:
            form_field.initial = str(saved[key])
        self.fields[name] = form_field
        return Question(key, self[name])

    def _radio(self, key: str, label: str, choices, saved: dict) -> Question:
        return self._add(
            key, forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect), saved
        )

    def _party_title(self, party: str) -> str:
        if party == self.own:
            return f"About {self.names[party]} (your own organisation)"
        return f"About {self.names[party]}"

    def _construct_screen(self, construct: Construct, saved: dict) -> Screen:
        scale = _scale(self.instrument)
        groups: list[Group] = []
        items = list(construct.items_for(self.kind))
        if self.kind == FULL:
            items += list(construct.mistrust)
        if construct.directional:
            for party in self.party_keys:
                group = Group(self._party_title(party))
                for item in items:
                    group.questions.append(
                        self._radio(f"{item.id}@{party}", item.text, scale, saved)
                    )
                groups.append(group)
        else:
            group = Group("")
            for item in items:
                group.questions.append(self._radio(item.id, item.text, scale, saved))
            groups.append(group)
        if self.kind == FULL and construct.balance:
            choice = construct.balance
            groups.append(
                Group(
                    "Benefits and drawbacks",
                    questions=[
                        self._radio(
                            choice.id, choice.text, _options(choice.options, self.instrument), saved
                        )
                    ],
                )
            )
        if self.kind == FULL and construct.influence:
            choice = construct.influence
            group = Group("Influence over key decisions", choice.text)
            for party in self.party_keys:
                label = self.names[party] + (
                    " (your own organisation)" if party == self.own else ""
                )
                group.questions.append(
                    self._radio(
                        f"{choice.id}@{party}",
                        label,
                        _options(choice.options, self.instrument),
                        saved,
                    )
                )
            groups.append(group)
        return Screen(construct.code, construct.name, construct.intro, groups)

    def _pulse_screen(self, saved: dict) -> Screen:
        scale = _scale(self.instrument)
        groups: list[Group] = []
        plain = Group("About the partnership")
        for construct in self.instrument.constructs:
            item = construct.anchor
            if not construct.directional:
                plain.questions.append(self._radio(item.id, item.text, scale, saved))
        groups.append(plain)
        for party in self.party_keys:
            group = Group(self._party_title(party))
            for construct in self.instrument.constructs:
                if construct.directional:
                    item = construct.anchor
                    group.questions.append(
                        self._radio(f"{item.id}@{party}", item.text, scale, saved)
                    )
            groups.append(group)
        return Screen(
            "pulse",
            "Pulse",
            "One statement for each factor. A pulse shows the trend between full checks.",
            groups,
        )

    def _open_screen(self, saved: dict) -> Screen:
        group = Group(
            "",
            "Your words are shown to the partnership as you write them, without your name, "
            "organisation or level, and only when at least five people have answered the "
            "question. Please do not name people.",
        )
        for question in self.instrument.open:
            group.questions.append(
                self._add(
                    question.id,
                    forms.CharField(
                        label=question.text,
                        widget=forms.Textarea(attrs={"rows": 4}),
                        max_length=2000,
                    ),
                    saved,
                )
            )
        return Screen("open", "In your own words", "Two optional questions.", [group])

    def answers(self) -> dict[str, str]:
        """The submitted answers keyed by answer key (empty ones included, to clear them)."""
        return {key: self.cleaned_data.get(name) or "" for name, key in self.keys.items()}
