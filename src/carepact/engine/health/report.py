"""One round's report: scores, alignment, power, trends and warnings as plain JSON data.

:func:`build` is the only entry point the pages, the API and ``carepact health report``
use, so all three apply the same suppression. Its output is documented field by field in
``docs/health.md`` (schema ``carepact.health.report/1``). Nothing in it identifies a
respondent: no token, no single answer, no group smaller than the floor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from carepact.engine.health import alignment as align
from carepact.engine.health import power as pw
from carepact.engine.health import rules as rl
from carepact.engine.health import scoring as sc
from carepact.engine.health import stats, trends
from carepact.engine.health.aggregate import (
    FLOOR,
    Aggregate,
    Estimate,
    Layout,
    aggregate,
    band,
    layout,
    provisional,
)
from carepact.engine.health.instrument import FULL, PULSE, Instrument, load
from carepact.engine.health.playbook import entry

SCHEMA = "carepact.health.report/1"


@dataclass(frozen=True)
class PartyInfo:
    key: str
    name: str
    industry: bool = False


@dataclass(frozen=True)
class Wave:
    """A round as the engine sees it: who could answer, and the answers (by token only)."""

    number: int
    kind: str
    instrument_id: str
    when: date
    parties: tuple[PartyInfo, ...]
    respondents: tuple[sc.Respondent, ...]
    invited: Mapping[tuple[str, str], int]  # (party, level) -> people invited
    structural: Mapping[str, rl.Indicator] = field(default_factory=dict)
    status: str = "closed"


@dataclass(frozen=True)
class Options:
    floor: int = FLOOR
    weights: Mapping[str, float] = field(default_factory=dict)
    intended: Mapping[str, float] = field(default_factory=dict)
    config: rl.Config = field(default_factory=rl.Config)
    resamples: int = stats.BOOTSTRAP_RESAMPLES
    seed: int = stats.DEFAULT_SEED
    behavioural: rl.Indicator | None = None


@dataclass
class Analysis:
    wave: Wave
    instrument: Instrument
    lay: Layout
    constructs: dict[str, Aggregate]
    about: dict[tuple[str, str], Aggregate]
    mistrust: Aggregate | None
    influence: dict[str, Aggregate]
    items: dict[str, Aggregate]
    drawbacks: dict[
        str, tuple[int, float]
    ]  # party -> (answered, share saying drawbacks ≥ benefits)
    dont_know: dict[tuple[str, str], tuple[int, int]]  # (cell key, construct) -> (dk, asked)
    index: Estimate | None
    by_token: dict[str, dict[str, float]]


def _r(x: float | None, places: int = 3) -> float | None:
    """Rounded for the report; not-a-number and infinity (no JSON for them) become None."""
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), places)


def _ci(ci: tuple[float, float] | None, places: int = 3) -> list | None:
    return [_r(ci[0], places), _r(ci[1], places)] if ci else None


def analyse(wave: Wave, options: Options) -> Analysis:
    """Every aggregate of one round, suppressed at the floor."""
    instrument = load(wave.instrument_id)
    parties = [p.key for p in wave.parties]
    names = {p.key: p.name for p in wave.parties}
    people = wave.respondents
    lay = layout(people, parties, floor=options.floor, names=names)
    kind = wave.kind
    common = {"resamples": options.resamples, "seed": options.seed}
    tag = f"round-{wave.number}"

    constructs = {
        c.code: aggregate(
            [sc.construct_score(c, r, parties, kind) for r in people],
            lay,
            weights=options.weights,
            key=f"{tag}:{c.code}",
            **common,
        )
        for c in instrument.constructs
    }
    about = {
        (c.code, target): aggregate(
            [sc.about_score(c, r, target, kind) for r in people],
            lay,
            key=f"{tag}:{c.code}@{target}",
            **common,
        )
        for c in instrument.constructs
        if c.directional
        for target in parties
    }
    mistrust = influence = None
    items: dict[str, Aggregate] = {}
    drawbacks: dict[str, tuple[int, float]] = {}
    if kind == FULL:
        mistrust = aggregate(
            [sc.mistrust_score(instrument, r, parties) for r in people],
            lay,
            key=f"{tag}:M",
            **common,
        )
        shares = [sc.influence_shares(instrument, r, parties) for r in people]
        influence = {
            p: aggregate([s[p] if s else None for s in shares], lay, key=f"{tag}:I@{p}", **common)
            for p in parties
        }
        items = {
            item.id: aggregate(
                [sc.item_score(item, r, parties) for r in people],
                lay,
                key=f"{tag}:{item.id}",
                resamples=1,
                seed=options.seed,
            )
            for item in instrument.core_items
        }
        for party in lay.parties:
            answers = [sc.balance(instrument, people[i]) for i in lay.members(party)]
            answers = [a for a in answers if a is not None]
            if len(answers) >= options.floor:
                drawbacks[party] = (len(answers), sum(a <= 3 for a in answers) / len(answers))
    dont_know: dict[tuple[str, str], tuple[int, int]] = {}
    for cells in lay.cells.values():
        for cell in cells:
            for c in instrument.constructs:
                dk = asked = 0
                for i in cell.members:
                    d, a = sc.dont_know_counts(c, people[i], parties, kind)
                    dk, asked = dk + d, asked + a
                dont_know[(cell.key, c.code)] = (dk, asked)
    index = None
    index_codes = instrument.index_codes
    if kind == FULL and all(constructs[c].partnership.shown for c in index_codes):
        reps = np.mean([constructs[c].partnership.replicates for c in index_codes], axis=0)
        mean = float(np.mean([constructs[c].partnership.mean for c in index_codes]))
        rescale = lambda m: (m - 1) / 4 * 100  # noqa: E731
        index = Estimate(
            rescale(mean),
            constructs[index_codes[0]].partnership.n,
            None,
            tuple(rescale(x) for x in stats.percentile_interval(reps)),
            rescale(reps),
        )
    shown = {i for party in lay.parties for i in lay.members(party)}
    by_token = {
        c.code: {
            people[i].token: score
            for i in sorted(shown)
            if (score := sc.construct_score(c, people[i], parties, kind)) is not None
        }
        for c in instrument.constructs
    }
    return Analysis(
        wave,
        instrument,
        lay,
        constructs,
        about,
        mistrust,
        influence or {},
        items,
        drawbacks,
        dont_know,
        index,
        by_token,
    )


def _wave_scores(a: Analysis) -> trends.WaveScores:
    return trends.WaveScores(
        number=a.wave.number,
        when=a.wave.when,
        kind=a.wave.kind,
        scores={code: agg.partnership for code, agg in a.constructs.items()},
        parties={code: agg.parties for code, agg in a.constructs.items()},
        by_token=a.by_token,
        index=a.index.mean if a.index else None,
    )


def _participation(wave: Wave) -> dict:
    responded: dict[tuple[str, str], int] = {}
    for r in wave.respondents:
        responded[(r.party, r.level)] = responded.get((r.party, r.level), 0) + 1
    cells = []
    for party in wave.parties:
        for level in sc.LEVELS:
            invited = wave.invited.get((party.key, level), 0)
            if not invited:
                continue
            got = responded.get((party.key, level), 0)
            cells.append(
                {
                    "party": party.key,
                    "level": level,
                    "level_label": sc.LEVEL_LABELS[level],
                    "invited": invited,
                    "responded": got,
                    "rate": _r(got / invited),
                }
            )
    invited = sum(c["invited"] for c in cells)
    got = sum(c["responded"] for c in cells)
    return {
        "invited": invited,
        "responded": got,
        "rate": _r(got / invited) if invited else None,
        "cells": cells,
    }


def _estimate(e: Estimate, *, banded: bool, floor: int) -> dict:
    out = {"mean": _r(e.mean), "n": e.n, "sd": _r(e.sd), "ci": _ci(e.ci)}
    if banded:
        found = band(e.mean)
        out["band"] = found[0] if found else None
        out["provisional"] = provisional(e.ci, e.n, floor) if e.shown else None
    return out


def _constructs(a: Analysis, floor: int) -> list[dict]:
    banded = a.wave.kind == FULL
    out = []
    for c in a.instrument.constructs:
        agg = a.constructs[c.code]
        cells = []
        for party, party_cells in a.lay.cells.items():
            for cell in party_cells:
                e = agg.cells[cell.key]
                dk, asked = a.dont_know[(cell.key, c.code)]
                cells.append(
                    {
                        "party": party,
                        "cell": cell.key,
                        "label": cell.label,
                        "levels": list(cell.levels),
                        **_estimate(e, banded=banded, floor=floor),
                        "dont_know_rate": _r(dk / asked) if asked else None,
                    }
                )
        dk_total = sum(
            a.dont_know[(cell.key, c.code)][0] for p in a.lay.cells.values() for cell in p
        )
        asked_total = sum(
            a.dont_know[(cell.key, c.code)][1] for p in a.lay.cells.values() for cell in p
        )
        out.append(
            {
                "code": c.code,
                "name": c.name,
                "short": c.short,
                "outcome": c.outcome,
                "directional": c.directional,
                "partnership": {
                    **_estimate(agg.partnership, banded=banded, floor=floor),
                    "pooled_mean": _r(agg.pooled.mean),
                },
                "parties": {
                    p: _estimate(e, banded=banded, floor=floor) for p, e in agg.parties.items()
                },
                "cells": cells,
                "dont_know_rate": _r(dk_total / asked_total) if asked_total else None,
            }
        )
    return out


def _alpha_reading(alpha: float | None) -> str | None:
    """Krippendorff's conventional reading: .800 reliable, .667 tentative, below: disagree."""
    if alpha is None:
        return None
    if alpha >= 0.8:
        return "reliable"
    return "tentative" if alpha >= 0.667 else "parties disagree"


def _alignment(a: Analysis, names: Mapping[str, str]) -> dict | None:
    if a.wave.kind != FULL:
        return None
    parties = [p.key for p in a.wave.parties]
    agreement = align.agreement(
        a.instrument, a.wave.respondents, a.lay, parties, a.wave.kind, names=names
    )
    icc = align.icc_by_party(a.constructs)
    alpha = align.profile_alpha(a.items, a.lay.parties)
    return {
        "agreement": [
            {
                "construct": g.construct,
                "party": g.party,
                "group": g.group,
                "label": g.label,
                "n": g.n,
                "rwg": _r(g.rwg),
                "ad": _r(g.ad),
                "chance_rwg": _r(g.chance),
                "fragmented": g.fragmented,
            }
            for g in agreement
        ],
        "icc": [
            {
                "construct": code,
                "icc1": _r(found.icc1),
                "icc2": _r(found.icc2),
                "f": _r(found.f),
                "groups": found.groups,
                "n": found.n,
            }
            for code, found in icc.items()
            if found is not None
        ],
        "party_gaps": [
            {
                "construct": g.construct,
                "a": g.a,
                "b": g.b,
                "difference": _r(g.difference),
                "ci": _ci(g.ci),
                "hedges_g": _r(g.hedges_g),
            }
            for g in align.party_gaps(a.constructs)
        ],
        "level_gaps": [
            {
                "construct": g.construct,
                "party": g.party,
                "spread": _r(g.spread),
                "highest": g.highest,
                "lowest": g.lowest,
                "leaders_minus_specialists": _r(g.leaders_minus_specialists),
            }
            for g in align.level_gaps(a.constructs, a.lay)
        ],
        "self_other": [
            {
                "construct": s.construct,
                "party": s.party,
                "self": _r(s.self_rating),
                "others": _r(s.others_rating),
                "gap": _r(s.gap),
            }
            for s in align.self_other(a.about, a.lay.parties)
        ],
        "trust_asymmetry": [
            {
                "a": t.a,
                "b": t.b,
                "a_trusts_b": _r(t.a_rates_b),
                "b_trusts_a": _r(t.b_rates_a),
                "difference": _r(t.difference),
            }
            for t in align.asymmetry(a.about, a.lay.parties, "C2")
        ],
        "profile_alpha": {
            "alpha": _r(alpha),
            "items": len(a.items),
            "parties": len(a.lay.parties),
            "reading": _alpha_reading(alpha),
        },
    }


def _power(a: Analysis, options: Options) -> dict | None:
    if a.wave.kind != FULL:
        return None
    found = pw.power(
        a.constructs.get("C9"), a.influence, list(a.lay.parties), intended=options.intended
    )
    return {
        "voice": {p: _r(v) for p, v in found.voice.items()},
        "voice_gap": _r(found.voice_gap),
        "balance_index": _r(found.balance_index),
        "shares": [
            {
                "party": s.party,
                "perceived": _r(s.perceived),
                "ci": _ci(s.ci),
                "intended": _r(s.intended),
                "gap": _r(s.gap),
                "self_view": _r(s.self_view),
                "others_view": _r(s.others_view),
                "others_minus_self": _r(s.others_minus_self),
                "dominance": s.dominance(options.config.dominance),
            }
            for s in found.shares
        ],
        "behavioural": _behavioural(options.behavioural),
    }


def _rule_input(
    a: Analysis,
    report: dict,
    history: Sequence[Analysis],
    previous: Wave | None,
    names: Mapping[str, str],
) -> rl.RuleInput:
    kind = a.wave.kind
    full_before = [h for h in history if h.wave.kind == FULL]
    alignment = report["alignment"] or {}
    power = report["power"] or {}
    level_labels = {c.key: c for cells in a.lay.cells.values() for c in cells}
    dont_know = []
    for (cell_key, code), (dk, asked) in a.dont_know.items():
        cell = level_labels[cell_key]
        if asked and set(cell.levels) & {"manager", "specialist"} and "leader" not in cell.levels:
            dont_know.append((cell.party, cell.label, code, dk / asked))
    leader_gaps: dict[str, dict[str, float]] = {}
    for g in alignment.get("level_gaps", []):
        if g["leaders_minus_specialists"] is not None:
            leader_gaps.setdefault(g["construct"], {})[g["party"]] = g["leaders_minus_specialists"]
    return rl.RuleInput(
        kind=kind,
        names=names,
        constructs={c.code: c.name for c in a.instrument.constructs},
        scores={
            c: agg.partnership.mean for c, agg in a.constructs.items() if agg.partnership.shown
        },
        history=[
            {c: agg.partnership.mean for c, agg in h.constructs.items() if agg.partnership.shown}
            for h in full_before
        ],
        party_scores={
            c: {p: e.mean for p, e in agg.parties.items() if e.shown}
            for c, agg in a.constructs.items()
        },
        leader_gaps=leader_gaps,
        dont_know=dont_know,
        agreement=[
            (g["party"], g["construct"], g["rwg"], g["ad"])
            for g in alignment.get("agreement", [])
            if g["group"] == "party"
        ],
        voice=power.get("voice", {}),
        dominance={
            s["party"]: s["others_minus_self"]
            for s in power.get("shares", [])
            if s["dominance"] == "unacknowledged"
        },
        trust=[
            (t["a"], t["b"], t["a_trusts_b"], t["b_trusts_a"])
            for t in alignment.get("trust_asymmetry", [])
        ],
        mistrust={
            p: e.mean for p, e in (a.mistrust.parties.items() if a.mistrust else []) if e.shown
        },
        drawbacks={p: share for p, (_, share) in a.drawbacks.items()},
        structural=a.wave.structural,
        previous_structural=previous.structural if previous else None,
        response_rate=report["participation"]["rate"],
        previous_response_rate=_participation(previous)["rate"] if previous else None,
        cell_response_rates=[
            (c["party"], c["level_label"], c["rate"])
            for c in report["participation"]["cells"]
            if c["rate"] is not None
        ],
    )


def _warning(w: rl.Warning) -> dict:
    return {
        "rule": w.rule,
        "severity": w.severity,
        "title": w.title,
        "evidence": list(w.evidence),
        "constructs": list(w.constructs),
        "parties": list(w.parties),
        "playbook": [{"key": k, "title": entry(k).title} for k in dict.fromkeys(w.playbook)],
    }


def _comments(a: Analysis, floor: int) -> dict:
    """Open answers from shown parties: unattributed, in alphabetical order, only from five."""
    out = {}
    shown = [a.wave.respondents[i] for p in a.lay.parties for i in a.lay.members(p)]
    for question in a.instrument.open:
        texts = sorted(
            (str(r.answers[question.id]).strip() for r in shown if r.answers.get(question.id)),
            key=str.casefold,
        )
        out[question.id] = {
            "question": question.text,
            "answers": texts if len(texts) >= floor else [],
            "withheld": 0 < len(texts) < floor,
        }
    return out


def _structural(structural: Mapping[str, rl.Indicator], participation: dict) -> list[dict]:
    """S1-S6 as the registry and other apps report them; S7 is this round's response rate."""
    found = dict(structural)
    rate = participation["rate"]
    found["S7"] = rl.Indicator(
        rate is not None,
        rate,
        f"{participation['responded']} of {participation['invited']} invited people responded"
        if rate is not None
        else "nobody was invited",
    )
    return [
        {
            "id": key,
            "label": rl.STRUCTURAL_LABELS[key],
            "measured": ind.measured,
            "value": ind.value if ind.measured else None,
            "detail": ind.detail if ind.measured else "not measured",
        }
        for key, ind in sorted(found.items(), key=lambda kv: int(kv[0][1:]))
    ]


def _behavioural(indicator: rl.Indicator | None) -> dict:
    found = indicator or rl.Indicator(False, None, "not measured")
    return {
        "measured": found.measured,
        "value": found.value if found.measured else None,
        "detail": found.detail if found.measured else "not measured",
    }


def _sorted_warnings(warnings: list[dict]) -> list[dict]:
    order = {rule: i for i, rule in enumerate(rl.RULES)}
    return sorted(warnings, key=lambda w: (-rl.SEVERITY_ORDER[w["severity"]], order[w["rule"]]))


def refresh_structure(
    report: dict,
    structural: Mapping[str, rl.Indicator],
    *,
    previous: Mapping[str, rl.Indicator] | None = None,
    config: rl.Config | None = None,
    behavioural: rl.Indicator | None = None,
) -> dict:
    """The report with its structural facts, rule R10 and behavioural shares read anew.

    The survey's figures are fixed when a round closes; the facts around it (a champion
    named, a board meeting held, a KPI added) keep changing, so they are read when the
    report is shown. ``previous`` is what they were when the round before closed, for
    "vacant for more than one round".
    """
    config = config or rl.Config()
    result = rl.r10_structural(
        rl.RuleInput(
            kind=report["round"]["kind"], structural=structural, previous_structural=previous
        ),
        config,
    )
    out = dict(report)
    out["structural"] = _structural(structural, report["participation"])
    out["rules"] = [
        {"id": "R10", "title": result.title, "status": result.status, "notes": list(result.notes)}
        if r["id"] == "R10"
        else r
        for r in report["rules"]
    ]
    out["warnings"] = _sorted_warnings(
        [w for w in report["warnings"] if w["rule"] != "R10"]
        + [_warning(w) for w in result.warnings]
    )
    if out.get("power"):
        out["power"] = {**out["power"], "behavioural": _behavioural(behavioural)}
    return out


def _groups(a: Analysis, names: Mapping[str, str]) -> dict:
    """Each shown party's and cell's scores in one round, for trends by party and level."""
    out = {}
    for party, cells in a.lay.cells.items():
        out[party] = {
            "label": names.get(party, party),
            "constructs": {c: _r(agg.parties[party].mean) for c, agg in a.constructs.items()},
        }
        for cell in cells if len(cells) > 1 else ():
            out[cell.key] = {
                "label": f"{names.get(party, party)}: {cell.label}",
                "constructs": {c: _r(agg.cells[cell.key].mean) for c, agg in a.constructs.items()},
            }
    return out


def build(current: Wave, history: Sequence[Wave] = (), options: Options | None = None) -> dict:
    """The report of ``current``, with trends over ``history`` (earlier rounds, oldest first)."""
    options = options or Options()
    names = {p.key: p.name for p in current.parties}
    analyses = [analyse(w, options) for w in history]
    a = analyse(current, options)
    participation = _participation(current)
    report: dict = {
        "schema": SCHEMA,
        "round": {
            "number": current.number,
            "kind": current.kind,
            "instrument": current.instrument_id,
            "date": current.when.isoformat(),
            "status": current.status,
        },
        "parties": [
            {
                "key": p.key,
                "name": p.name,
                "industry": p.industry,
                "shown": p.key in a.lay.cells,
                "cells": [
                    {"cell": c.key, "label": c.label, "levels": list(c.levels), "n": c.n}
                    for c in a.lay.cells.get(p.key, ())
                ],
            }
            for p in current.parties
        ],
        "anonymity": {
            "floor": options.floor,
            "respondents_shown": sum(len(a.lay.members(p)) for p in a.lay.parties),
            "held_back": [{"party": p, "respondents": n} for p, n in a.lay.held_back.items()],
            "notes": list(a.lay.notes),
        },
        "participation": participation,
        "constructs": _constructs(a, options.floor),
        "index": None
        if a.index is None
        else {
            "value": _r(a.index.mean, 1),
            "ci": _ci(a.index.ci, 1),
            "based_on": list(a.instrument.index_codes),
        },
        "mistrust": None
        if a.mistrust is None
        else {
            p: _estimate(e, banded=False, floor=options.floor)
            for p, e in a.mistrust.parties.items()
        },
        "benefits": {
            p: {"answered": n, "drawbacks_at_least_benefits": _r(share)}
            for p, (n, share) in a.drawbacks.items()
        },
        "alignment": _alignment(a, names),
        "power": _power(a, options),
        "structural": _structural(current.structural, participation),
        "comments": _comments(a, options.floor) if current.kind == FULL else {},
    }
    waves = [_wave_scores(x) for x in (*analyses, a)]
    report["trends"] = {
        "waves": [
            {
                "number": w.number,
                "kind": w.kind,
                "date": w.when.isoformat(),
                "index": _r(w.index, 1),
                "constructs": {c: _r(e.mean) for c, e in w.scores.items()},
                "groups": _groups(x, names),
            }
            for w, x in zip(waves, (*analyses, a), strict=True)
        ],
        "changes": [
            {
                "construct": c.construct,
                "from": c.since,
                "to": c.to,
                "difference": _r(c.difference),
                "ci": _ci(c.ci),
                "meaningful": c.meaningful,
                "paired_n": c.paired_n,
                "paired_difference": _r(c.paired_difference),
                "paired_ci": _ci(c.paired_ci),
            }
            for c in trends.changes(waves, floor=options.floor)
            if c.to == current.number
        ],
        "slopes": [
            {"construct": s.construct, "per_year": _r(s.per_year), "waves": s.waves}
            for s in trends.slopes(waves)
        ],
    }
    previous = history[-1] if history else None
    results = rl.evaluate(_rule_input(a, report, analyses, previous, names), options.config)
    report["rules"] = [
        {"id": r.rule, "title": r.title, "status": r.status, "notes": list(r.notes)}
        for r in results
    ]
    report["warnings"] = [_warning(w) for w in rl.warnings_of(results)]
    report["settings"] = {
        "weights": {p: options.weights.get(p, 1.0) for p in names},
        "intended_shares": pw.intended_shares(list(names), options.intended),
        "thresholds": options.config.as_dict(),
    }
    return report


__all__ = ["PULSE", "Options", "PartyInfo", "Wave", "analyse", "build"]
