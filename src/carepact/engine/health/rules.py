"""The twelve early-warning rules (research §10), as pure functions of a summary and a config.

Each rule reads a :class:`RuleInput` (plain numbers, already suppressed) and a
:class:`Config` (the thresholds, every one configurable per partnership) and answers a
:class:`RuleResult`: its warnings, each with its evidence and the playbook entries that
answer it, and a status. A rule whose source is missing says "not measured", never
"clear". Thresholds are literature-anchored defaults, not validated cut-offs.

Severities: *watch* (show on the dashboard), *warning* (tell both leads, propose an
action), *critical* (take it to the governance board).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from carepact.engine.health.instrument import FULL
from carepact.engine.health.playbook import FOR_CONSTRUCT, FOR_RULE, FOR_STRUCTURAL

WATCH, WARNING, CRITICAL = "watch", "warning", "critical"
SEVERITY_ORDER = {WATCH: 0, WARNING: 1, CRITICAL: 2}
TRIGGERED, CLEAR, NOT_MEASURED, PARTLY, NOT_APPLICABLE = (
    "triggered",
    "clear",
    "not_measured",
    "partly_measured",
    "not_applicable",
)


@dataclass(frozen=True)
class Config:
    """Every threshold the rules use. Defaults from the research note, §10."""

    concern: float = 3.0  # R1: a construct below this is a concern
    critical: float = 2.5  # R1: ... and below this on a key construct, critical
    drop: float = 0.5  # R2: fall since the last full wave
    drop_consecutive: float = 0.3  # R2: fall in each of two consecutive changes
    gap_watch: float = 0.5  # R3: gap between two parties
    gap_warning: float = 1.0
    gap_key: float = 0.75  # R3: ... on C2, C5 or C9
    level_gap: float = 0.75  # R4: leaders minus specialists on C1 or C3
    dont_know: float = 0.25  # R4: share of "don't know" among managers or specialists
    rwg: float = 0.50  # R5: r*wg(J) below this within a party
    ad: float = 0.83  # R5: AD above this within a party
    voice: float = 3.0  # R6: a party's own voice score below this
    voice_gap: float = 0.75  # R6: highest minus lowest voice
    dominance: float = 0.15  # R6: others see a party's share this much above its own view
    trust_asymmetry: float = 0.75  # R7
    mistrust: float = 3.0  # R8: mistrust subscale at or above this
    drawbacks_share: float = 0.40  # R9: share saying drawbacks match or outweigh benefits
    fairness_low: float = 3.0  # R9: one party's C5 below this ...
    fairness_high: float = 4.0  # ... while another's is at or above this
    contracting_target_days: float = 90.0  # R10: S5 target
    response_drop: float = 0.20  # R11: fall in the response rate since the last round
    response_floor: float = 0.40  # R11: lowest acceptable rate in a party × level
    cluster: int = 2  # R12: warnings in the trust/power/vision cluster

    def with_overrides(self, overrides: Mapping[str, Any]) -> tuple[Config, dict[str, str]]:
        """A copy with ``overrides`` applied, and the errors of those that cannot be."""
        known = {f.name: f.type for f in fields(self)}
        changes, errors = {}, {}
        for name, raw in overrides.items():
            if name not in known:
                errors[name] = "Not a threshold the rules use."
                continue
            try:
                number = int(raw) if name == "cluster" else float(raw)
            except (TypeError, ValueError):
                errors[name] = "Enter a number."
                continue
            if number < 0 or (name != "contracting_target_days" and number > 100):
                errors[name] = "Out of range."
                continue
            changes[name] = number
        return replace(self, **changes), errors

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


CRITICAL_CONSTRUCTS = ("C1", "C2", "C3", "C9")
GAP_KEY_CONSTRUCTS = ("C2", "C5", "C9")
LEVEL_GAP_CONSTRUCTS = ("C1", "C3")
DONT_KNOW_CONSTRUCTS = ("C3", "C10", "C12")
CLUSTER_CONSTRUCTS = ("C1", "C2", "C9")
CLUSTER_RULES = ("R6", "R7", "R8")


@dataclass(frozen=True)
class Indicator:
    """A structural fact from elsewhere in carepact; ``measured`` False means no source yet."""

    measured: bool
    value: Any = None
    detail: str = ""


@dataclass(frozen=True)
class RuleInput:
    """What the rules read about one round; every number already passed suppression."""

    kind: str = FULL
    names: Mapping[str, str] = field(default_factory=dict)  # party -> name
    constructs: Mapping[str, str] = field(default_factory=dict)  # code -> name
    scores: Mapping[str, float] = field(default_factory=dict)  # code -> partnership mean
    history: Sequence[Mapping[str, float]] = ()  # earlier full waves, oldest first
    party_scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # code -> party
    leader_gaps: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # code -> party
    # (party, cell label, construct, share of "don't know") for cells of managers/specialists
    dont_know: Sequence[tuple[str, str, str, float]] = ()
    # (party, construct, r*wg(J), AD) for each shown party
    agreement: Sequence[tuple[str, str, float | None, float | None]] = ()
    voice: Mapping[str, float] = field(default_factory=dict)  # party -> own C9
    dominance: Mapping[str, float] = field(default_factory=dict)  # party -> others − self share
    trust: Sequence[tuple[str, str, float, float]] = ()  # (a, b, a rates b, b rates a)
    mistrust: Mapping[str, float] = field(default_factory=dict)  # party -> M
    drawbacks: Mapping[str, float] = field(default_factory=dict)  # party -> share
    structural: Mapping[str, Indicator] = field(default_factory=dict)  # S1..S7
    previous_structural: Mapping[str, Indicator] | None = None  # None: no earlier round
    response_rate: float | None = None
    previous_response_rate: float | None = None
    cell_response_rates: Sequence[tuple[str, str, float]] = ()  # (party, level label, rate)

    def party(self, key: str) -> str:
        return self.names.get(key, key)

    def construct(self, code: str) -> str:
        name = self.constructs.get(code)
        return f"{code} {name}" if name else code


@dataclass(frozen=True)
class Warning:
    rule: str
    severity: str
    title: str
    evidence: tuple[str, ...]
    playbook: tuple[str, ...]
    constructs: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    rule: str
    title: str
    status: str
    warnings: tuple[Warning, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str
    check: Callable[[RuleInput, Config], RuleResult]
    on_pulse: bool = False  # pulse rounds ask one statement per construct: trends only


def _reaches(value: float, threshold: float) -> bool:
    """``value >= threshold``, forgiving the float error of a difference (4.3 − 4.0)."""
    return value >= threshold - 1e-9


def _n(x: float) -> str:
    return f"{x:.2f}"


def _pp(x: float) -> str:
    return f"{x * 100:.0f}%"


def _result(rule: str, warnings: list[Warning], *, measured: bool = True, notes=()) -> RuleResult:
    title = RULES[rule].title if rule in RULES else rule
    if warnings:
        status = TRIGGERED
    elif not measured:
        status = NOT_MEASURED
    else:
        status = CLEAR
    return RuleResult(rule, title, status, tuple(warnings), tuple(notes))


def r1_low_scores(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    for code, score in inp.scores.items():
        if score is None or score >= cfg.concern:
            continue
        critical = code in CRITICAL_CONSTRUCTS and score < cfg.critical
        out.append(
            Warning(
                "R1",
                CRITICAL if critical else WARNING,
                f"{inp.construct(code)} is low",
                (
                    f"The partnership scores {_n(score)} on {inp.construct(code)}, below "
                    f"{_n(cfg.critical if critical else cfg.concern)}.",
                ),
                (FOR_CONSTRUCT[code],) if code in FOR_CONSTRUCT else (),
                (code,),
            )
        )
    return _result("R1", out, measured=bool(inp.scores))


def r2_falling(inp: RuleInput, cfg: Config) -> RuleResult:
    if not inp.history:
        return _result("R2", [], measured=False, notes=("Needs an earlier full round.",))
    out = []
    last = inp.history[-1]
    before = inp.history[-2] if len(inp.history) >= 2 else None
    for code, score in inp.scores.items():
        prior = last.get(code)
        if score is None or prior is None:
            continue
        evidence = []
        if _reaches(prior - score, cfg.drop):
            evidence.append(
                f"{inp.construct(code)} fell from {_n(prior)} to {_n(score)} since the last round."
            )
        elif before is not None and before.get(code) is not None:
            first, second = before[code] - prior, prior - score
            if _reaches(first, cfg.drop_consecutive) and _reaches(second, cfg.drop_consecutive):
                evidence.append(
                    f"{inp.construct(code)} fell in two rounds running: {_n(before[code])}, "
                    f"{_n(prior)}, {_n(score)}."
                )
        if evidence:
            out.append(
                Warning(
                    "R2",
                    WARNING,
                    f"{inp.construct(code)} is falling",
                    tuple(evidence),
                    (FOR_CONSTRUCT[code],) if code in FOR_CONSTRUCT else (),
                    (code,),
                )
            )
    return _result("R2", out)


def r3_party_gaps(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    measured = False
    for code, by_party in inp.party_scores.items():
        parties = [(p, s) for p, s in by_party.items() if s is not None]
        for i, (a, sa) in enumerate(parties):
            for b, sb in parties[i + 1 :]:
                measured = True
                gap = abs(sa - sb)
                if not _reaches(gap, cfg.gap_watch):
                    continue
                key = code in GAP_KEY_CONSTRUCTS and _reaches(gap, cfg.gap_key)
                severity = WARNING if _reaches(gap, cfg.gap_warning) or key else WATCH
                hi, lo = (a, b) if sa >= sb else (b, a)
                out.append(
                    Warning(
                        "R3",
                        severity,
                        f"{inp.party(a)} and {inp.party(b)} see {inp.construct(code)} differently",
                        (
                            f"{inp.party(hi)} scores {_n(max(sa, sb))} and {inp.party(lo)} "
                            f"{_n(min(sa, sb))}: a gap of {_n(gap)}.",
                        ),
                        (FOR_CONSTRUCT[code],) if code in FOR_CONSTRUCT else (),
                        (code,),
                        (a, b),
                    )
                )
    return _result(
        "R3", out, measured=measured, notes=() if measured else ("Needs two shown parties.",)
    )


def r4_levels(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    measured = bool(inp.dont_know)
    for code in LEVEL_GAP_CONSTRUCTS:
        for party, gap in inp.leader_gaps.get(code, {}).items():
            if gap is None:
                continue
            measured = True
            if _reaches(abs(gap), cfg.level_gap):
                side = "more" if gap > 0 else "less"
                out.append(
                    Warning(
                        "R4",
                        WARNING,
                        f"Leaders and specialists in {inp.party(party)} disagree on "
                        f"{inp.construct(code)}",
                        (
                            f"Leaders in {inp.party(party)} rate {inp.construct(code)} "
                            f"{_n(abs(gap))} points {side} favourably than its specialists.",
                        ),
                        (FOR_RULE["R4"], FOR_CONSTRUCT[code]),
                        (code,),
                        (party,),
                    )
                )
    for party, label, code, rate in inp.dont_know:
        if code in DONT_KNOW_CONSTRUCTS and rate >= cfg.dont_know:
            out.append(
                Warning(
                    "R4",
                    WATCH,
                    f"{label} in {inp.party(party)} often don't know about {inp.construct(code)}",
                    (
                        f"{_pp(rate)} of their answers on {inp.construct(code)} were "
                        '"don\'t know": the information is not reaching them.',
                    ),
                    (FOR_RULE["R4"], FOR_CONSTRUCT[code]),
                    (code,),
                    (party,),
                )
            )
    return _result(
        "R4",
        out,
        measured=measured,
        notes=() if measured else ("No party shows its levels apart.",),
    )


def r5_fragmentation(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    for party, code, rwg, ad in inp.agreement:
        reasons = []
        if rwg is not None and rwg < cfg.rwg:
            reasons.append(f"r*wg(J) {_n(rwg)} (below {_n(cfg.rwg)})")
        if ad is not None and ad > cfg.ad:
            reasons.append(f"AD {_n(ad)} (above {_n(cfg.ad)})")
        if reasons:
            out.append(
                Warning(
                    "R5",
                    WATCH,
                    f"People in {inp.party(party)} disagree among themselves on "
                    f"{inp.construct(code)}",
                    (f"Agreement within {inp.party(party)}: {' and '.join(reasons)}.",),
                    (FOR_RULE["R5"],),
                    (code,),
                    (party,),
                )
            )
    return _result("R5", out, measured=bool(inp.agreement))


def r6_voice_and_power(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    for party, v in inp.voice.items():
        if v is not None and v < cfg.voice:
            out.append(
                Warning(
                    "R6",
                    WARNING,
                    f"{inp.party(party)} does not feel heard",
                    (
                        f"{inp.party(party)}'s own people rate its voice {_n(v)}, below "
                        f"{_n(cfg.voice)}.",
                    ),
                    (FOR_RULE["R6"],),
                    ("C9",),
                    (party,),
                )
            )
    voices = {p: v for p, v in inp.voice.items() if v is not None}
    if len(voices) >= 2:
        hi, lo = max(voices, key=voices.get), min(voices, key=voices.get)
        if _reaches(voices[hi] - voices[lo], cfg.voice_gap):
            out.append(
                Warning(
                    "R6",
                    WARNING,
                    "Voice is unequal between parties",
                    (
                        f"{inp.party(hi)} rates its voice {_n(voices[hi])}, {inp.party(lo)} "
                        f"{_n(voices[lo])}: a gap of {_n(voices[hi] - voices[lo])}.",
                    ),
                    (FOR_RULE["R6"],),
                    ("C9",),
                    (hi, lo),
                )
            )
    for party, excess in inp.dominance.items():
        if excess is not None and _reaches(excess, cfg.dominance):
            out.append(
                Warning(
                    "R6",
                    WARNING,
                    f"Unacknowledged dominance by {inp.party(party)}",
                    (
                        f"The other parties see {inp.party(party)} as holding "
                        f"{_pp(excess)} more of the influence over key decisions than "
                        f"{inp.party(party)}'s own people do.",
                    ),
                    (FOR_RULE["R6"],),
                    ("C9",),
                    (party,),
                )
            )
    return _result("R6", out, measured=bool(inp.voice or inp.dominance))


def r7_trust_asymmetry(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    for a, b, ab, ba in inp.trust:
        if _reaches(abs(ab - ba), cfg.trust_asymmetry):
            low, high = (a, b) if ab < ba else (b, a)
            out.append(
                Warning(
                    "R7",
                    WARNING,
                    f"Trust between {inp.party(a)} and {inp.party(b)} is one-sided",
                    (
                        f"{inp.party(a)} rates its trust in {inp.party(b)} {_n(ab)}; "
                        f"{inp.party(b)} rates its trust in {inp.party(a)} {_n(ba)}. "
                        f"{inp.party(low)} trusts less.",
                    ),
                    (FOR_RULE["R7"],),
                    ("C2",),
                    (low, high),
                )
            )
    return _result("R7", out, measured=bool(inp.trust))


def r8_mistrust(inp: RuleInput, cfg: Config) -> RuleResult:
    out = [
        Warning(
            "R8",
            WARNING,
            f"Mistrust is high in {inp.party(party)}",
            (
                f"{inp.party(party)}'s people score {_n(m)} on the mistrust statements about "
                f"their partners (at or above {_n(cfg.mistrust)}).",
            ),
            (FOR_RULE["R8"],),
            ("C2",),
            (party,),
        )
        for party, m in inp.mistrust.items()
        if m is not None and m >= cfg.mistrust
    ]
    return _result("R8", out, measured=bool(inp.mistrust))


def r9_benefits(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    for party, share in inp.drawbacks.items():
        if share is not None and share >= cfg.drawbacks_share:
            out.append(
                Warning(
                    "R9",
                    WARNING,
                    f"{inp.party(party)} doubts the partnership is worth it",
                    (
                        f"{_pp(share)} of {inp.party(party)}'s respondents say the drawbacks "
                        "match or outweigh the benefits.",
                    ),
                    (FOR_RULE["R9"],),
                    ("C5",),
                    (party,),
                )
            )
    fairness = {p: s for p, s in inp.party_scores.get("C5", {}).items() if s is not None}
    for low, s_low in fairness.items():
        for high, s_high in fairness.items():
            if s_low < cfg.fairness_low and s_high >= cfg.fairness_high:
                out.append(
                    Warning(
                        "R9",
                        WARNING,
                        f"Fairness looks very different from {inp.party(low)}",
                        (
                            f"{inp.party(low)} scores fairness {_n(s_low)} while "
                            f"{inp.party(high)} scores it {_n(s_high)}.",
                        ),
                        (FOR_RULE["R9"],),
                        ("C5",),
                        (low, high),
                    )
                )
    return _result("R9", out, measured=bool(inp.drawbacks or fairness))


STRUCTURAL_LABELS = {
    "S1": "Named champion",
    "S2": "Executive sponsor for every industry party",
    "S3": "Clinical champion named",
    "S4": "Board met in the last 90 days",
    "S5": "Contracting time",
    "S6": "Patient-outcome KPI",
    "S7": "Response rate",
}


def r10_structural(inp: RuleInput, cfg: Config) -> RuleResult:
    out, notes = [], []
    measured_any = False
    s = inp.structural

    def missing(key: str) -> bool:
        indicator = s.get(key)
        if indicator is None or not indicator.measured:
            notes.append(f"{STRUCTURAL_LABELS[key]}: not measured.")
            return True
        return False

    for key, what in (("S1", "No champion is named"), ("S2", "An industry party has no sponsor")):
        if missing(key):
            continue
        measured_any = True
        if s[key].value:
            continue
        before = (inp.previous_structural or {}).get(key)
        persistent = before is not None and before.measured and not before.value
        out.append(
            Warning(
                "R10",
                WARNING if persistent else WATCH,
                what + (" for more than one round" if persistent else ""),
                (s[key].detail or what + ".",),
                (FOR_STRUCTURAL[key],),
            )
        )
    if not missing("S4"):
        measured_any = True
        if not s["S4"].value:
            out.append(
                Warning(
                    "R10",
                    WARNING,
                    "The governance board has not met",
                    ("No board meeting is recorded in the last 90 days.",),
                    (FOR_STRUCTURAL["S4"],),
                )
            )
    if not missing("S5"):
        measured_any = True
        days = s["S5"].value
        if days is None:
            notes.append("Contracting time: no agreement signed yet.")
        elif days > cfg.contracting_target_days:
            out.append(
                Warning(
                    "R10",
                    WARNING,
                    "Contracting is taking longer than agreed",
                    (
                        f"Agreements took {days:.0f} days from first draft to signature "
                        f"(median), against a target of {cfg.contracting_target_days:.0f}.",
                    ),
                    (FOR_STRUCTURAL["S5"],),
                    ("C10",),
                )
            )
    if not missing("S6"):
        measured_any = True
        if not s["S6"].value:
            out.append(
                Warning(
                    "R10",
                    WARNING,
                    "No KPI measures a patient outcome",
                    ("Every KPI measures process, experience or money, none a patient outcome.",),
                    (FOR_STRUCTURAL["S6"],),
                    ("C13",),
                )
            )
    result = _result("R10", out, measured=measured_any, notes=notes)
    if result.status == CLEAR and notes:
        return replace(result, status=PARTLY)
    return result


def r11_participation(inp: RuleInput, cfg: Config) -> RuleResult:
    out = []
    if inp.response_rate is not None and inp.previous_response_rate is not None:
        fall = inp.previous_response_rate - inp.response_rate
        if _reaches(fall, cfg.response_drop):
            out.append(
                Warning(
                    "R11",
                    WATCH,
                    "Fewer people answered than last time",
                    (
                        f"The response rate fell from {_pp(inp.previous_response_rate)} to "
                        f"{_pp(inp.response_rate)}.",
                    ),
                    (FOR_RULE["R11"],),
                )
            )
    for party, level, rate in inp.cell_response_rates:
        if rate < cfg.response_floor:
            out.append(
                Warning(
                    "R11",
                    WATCH,
                    f"Few {level.lower()} in {inp.party(party)} answered",
                    (
                        f"{_pp(rate)} of {level.lower()} in {inp.party(party)} responded, below "
                        f"{_pp(cfg.response_floor)}.",
                    ),
                    (FOR_RULE["R11"],),
                    (),
                    (party,),
                )
            )
    return _result("R11", out, measured=inp.response_rate is not None)


def r12_cluster(warnings: Sequence[Warning], cfg: Config) -> RuleResult:
    """Two or more warnings in the trust/power/vision cluster, or a critical R1."""
    cluster = [
        w
        for w in warnings
        if SEVERITY_ORDER[w.severity] >= SEVERITY_ORDER[WARNING]
        and (
            w.rule in CLUSTER_RULES
            or (w.rule in ("R1", "R2", "R3") and set(w.constructs) & set(CLUSTER_CONSTRUCTS))
        )
    ]
    critical = [w for w in warnings if w.rule == "R1" and w.severity == CRITICAL]
    if len(cluster) < cfg.cluster and not critical:
        return _result("R12", [])
    evidence = [f"{w.rule}: {w.title}." for w in (critical or cluster)]
    if len(cluster) >= cfg.cluster and critical:
        evidence = [f"{w.rule}: {w.title}." for w in [*critical, *cluster]]
    return _result(
        "R12",
        [
            Warning(
                "R12",
                CRITICAL,
                "The relationship is at risk: take it to the governance board",
                tuple(dict.fromkeys(evidence)),
                (FOR_RULE["R12"],),
            )
        ],
    )


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "R1",
            "Low scores",
            "Any construct below 3.0; below 2.5 on C1, C2, C3 or C9 is critical.",
            r1_low_scores,
        ),
        Rule(
            "R2",
            "Falling scores",
            "A drop of 0.5 since the last round, or 0.3 in each of two rounds.",
            r2_falling,
        ),
        Rule(
            "R3",
            "Gaps between parties",
            "Parties 0.5 apart (watch); 1.0, or 0.75 on C2, C5 or C9 (warning).",
            r3_party_gaps,
        ),
        Rule(
            "R4",
            "Gaps between levels",
            'Leaders and specialists 0.75 apart on C1 or C3; or 25% "don\'t know" among '
            "managers or specialists on C3, C10 or C12.",
            r4_levels,
        ),
        Rule(
            "R5",
            "Fragmentation",
            "r*wg(J) below 0.50 or AD above 0.83 within a party.",
            r5_fragmentation,
        ),
        Rule(
            "R6",
            "Voice and power",
            "A party's voice below 3.0, a voice gap of 0.75, or unacknowledged dominance of "
            "15 points.",
            r6_voice_and_power,
        ),
        Rule(
            "R7",
            "Trust asymmetry",
            "One party trusts the other 0.75 less than it is trusted.",
            r7_trust_asymmetry,
        ),
        Rule(
            "R8",
            "Mistrust",
            "The mistrust subscale at 3.0 or above in any party.",
            r8_mistrust,
        ),
        Rule(
            "R9",
            "Benefits against drawbacks",
            "40% of a party say the drawbacks match or outweigh the benefits, or fairness is "
            "below 3.0 in one party and 4.0 or above in another.",
            r9_benefits,
        ),
        Rule(
            "R10",
            "Structure",
            "Champion or sponsor vacant, board not meeting, contracting over target, no "
            "patient-outcome KPI.",
            r10_structural,
            on_pulse=True,
        ),
        Rule(
            "R11",
            "Participation",
            "The response rate falls 20 points, or is below 40% in a party × level.",
            r11_participation,
            on_pulse=True,
        ),
        Rule(
            "R12",
            "Relationship at risk",
            "Two warnings in the trust, power and vision cluster, or a critical low score.",
            lambda inp, cfg: r12_cluster([], cfg),
            on_pulse=True,
        ),
    )
}


def evaluate(inp: RuleInput, cfg: Config | None = None) -> list[RuleResult]:
    """Run every rule; R12 reads the warnings of the others."""
    cfg = cfg or Config()
    results = []
    for rule in RULES.values():
        if rule.id == "R12":
            continue
        if inp.kind != FULL and not rule.on_pulse:
            results.append(
                RuleResult(
                    rule.id,
                    rule.title,
                    NOT_APPLICABLE,
                    notes=("A pulse asks one statement per construct: it draws trends only.",),
                )
            )
            continue
        results.append(rule.check(inp, cfg))
    warnings = [w for r in results for w in r.warnings]
    results.append(r12_cluster(warnings, cfg))
    return results


def warnings_of(results: Sequence[RuleResult]) -> list[Warning]:
    """All warnings, the most severe first, then in rule order."""
    order = {rule: i for i, rule in enumerate(RULES)}
    found = [w for r in results for w in r.warnings]
    return sorted(found, key=lambda w: (-SEVERITY_ORDER[w.severity], order[w.rule]))
