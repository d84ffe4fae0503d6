"""Contracting analytics: how long agreements take and which topics hold them up.

Per agreement: days from first draft to signature (or so far), proposals (rounds) and days
open per topic. Across a portfolio: the median days to signature, and the topics ranked by
how long they stay open. "Days open" for a topic counts each day on which at least one
proposal on that topic was waiting for an answer, so two overlapping proposals do not
count twice.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from carepact.engine.agreements.topics import TOPICS, Topic, topic_rank

DAY = 86400.0


@dataclass(frozen=True)
class ProposalFact:
    topic: str
    opened: datetime
    closed: datetime | None  # None while still open
    party: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    key: str
    kind: str
    first_draft: datetime
    signed: datetime | None  # when the first version was signed by every party
    proposals: tuple[ProposalFact, ...] = ()


@dataclass(frozen=True)
class TopicStats:
    topic: Topic
    label: str
    rounds: int
    days_open: float
    open_points: int


@dataclass(frozen=True)
class AgreementStats:
    days_to_signature: float | None
    days_so_far: float  # first draft to signature, or to now while unsigned
    rounds: int
    open_points: int
    topics: tuple[TopicStats, ...]  # longest open first


@dataclass(frozen=True)
class PortfolioTopic:
    topic: Topic
    label: str
    agreements: int  # agreements in which the topic was negotiated at all
    rounds: int
    median_days_open: float
    total_days_open: float


@dataclass(frozen=True)
class PortfolioStats:
    agreements: int
    signed: int
    median_days_to_signature: float | None
    median_days_by_kind: dict[str, float]
    median_rounds: float | None
    topics: tuple[PortfolioTopic, ...]  # longest (median days open) first


def days(start: datetime, end: datetime) -> float:
    return round(max(0.0, (end - start).total_seconds()) / DAY, 1)


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(statistics.median(values), 1) if values else None


def union_days(intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """Total length, in days, of the union of the intervals."""
    total = 0.0
    current: tuple[datetime, datetime] | None = None
    for start, end in sorted(intervals):
        if end < start:
            continue
        if current is None or start > current[1]:
            if current is not None:
                total += (current[1] - current[0]).total_seconds()
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += (current[1] - current[0]).total_seconds()
    return round(total / DAY, 1)


def agreement_stats(facts: AgreementFacts, now: datetime) -> AgreementStats:
    by_topic: dict[str, list[ProposalFact]] = defaultdict(list)
    for proposal in facts.proposals:
        by_topic[proposal.topic].append(proposal)
    topics = []
    for topic, proposals in by_topic.items():
        topics.append(
            TopicStats(
                topic=Topic(topic),
                label=TOPICS[Topic(topic)].label,
                rounds=len(proposals),
                days_open=union_days((p.opened, p.closed or now) for p in proposals),
                open_points=sum(1 for p in proposals if p.closed is None),
            )
        )
    topics.sort(key=lambda t: (-t.days_open, -t.rounds, topic_rank(t.topic)))
    end = facts.signed or now
    return AgreementStats(
        days_to_signature=days(facts.first_draft, facts.signed) if facts.signed else None,
        days_so_far=days(facts.first_draft, end),
        rounds=len(facts.proposals),
        open_points=sum(1 for p in facts.proposals if p.closed is None),
        topics=tuple(topics),
    )


def portfolio_stats(agreements: Sequence[AgreementFacts], now: datetime) -> PortfolioStats:
    signed = [a for a in agreements if a.signed]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for a in signed:
        by_kind[a.kind].append(days(a.first_draft, a.signed))
    per_topic: dict[str, list[TopicStats]] = defaultdict(list)
    for a in agreements:
        for stats in agreement_stats(a, now).topics:
            per_topic[stats.topic].append(stats)
    topics = [
        PortfolioTopic(
            topic=Topic(topic),
            label=TOPICS[Topic(topic)].label,
            agreements=len(rows),
            rounds=sum(r.rounds for r in rows),
            median_days_open=median(r.days_open for r in rows) or 0.0,
            total_days_open=round(sum(r.days_open for r in rows), 1),
        )
        for topic, rows in per_topic.items()
    ]
    topics.sort(key=lambda t: (-t.median_days_open, -t.rounds, topic_rank(t.topic)))
    return PortfolioStats(
        agreements=len(agreements),
        signed=len(signed),
        median_days_to_signature=median(days(a.first_draft, a.signed) for a in signed),
        median_days_by_kind={k: median(v) for k, v in sorted(by_kind.items())},
        median_rounds=median(len(a.proposals) for a in agreements),
        topics=tuple(topics),
    )
