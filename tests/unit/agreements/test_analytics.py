"""Contracting analytics: days to signature, days open per topic, the slowest topics."""

from datetime import UTC, datetime, timedelta

from carepact.engine.agreements import analytics as a

T0 = datetime(2027, 1, 1, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_union_days_counts_overlaps_once():
    assert a.union_days([(day(0), day(10)), (day(5), day(15)), (day(20), day(21))]) == 16.0
    assert a.union_days([]) == 0.0
    assert a.union_days([(day(3), day(1))]) == 0.0  # an inverted interval counts nothing


def test_median():
    assert a.median([]) is None
    assert a.median([3, 1, 2]) == 2
    assert a.median([1, 2, 3, 10]) == 2.5


def facts(key, first, signed, proposals, kind="mou"):
    return a.AgreementFacts(
        key=key,
        kind=kind,
        first_draft=day(first),
        signed=day(signed) if signed is not None else None,
        proposals=tuple(
            a.ProposalFact(topic, day(o), day(c) if c is not None else None)
            for topic, o, c in proposals
        ),
    )


def test_agreement_stats_rank_topics_by_days_open():
    stats = a.agreement_stats(
        facts("1", 0, 40, [("ip", 2, 20), ("ip", 18, 30), ("governance", 5, 7)]), day(100)
    )
    assert stats.days_to_signature == 40.0 and stats.days_so_far == 40.0
    assert stats.rounds == 3 and stats.open_points == 0
    assert [(t.topic, t.rounds, t.days_open) for t in stats.topics] == [
        ("ip", 2, 28.0),  # 2 → 30, the overlap counted once
        ("governance", 1, 2.0),
    ]


def test_unsigned_agreements_count_days_so_far_and_open_points_to_now():
    stats = a.agreement_stats(facts("2", 10, None, [("data_use", 50, None)]), day(60))
    assert stats.days_to_signature is None and stats.days_so_far == 50.0
    assert stats.open_points == 1 and stats.topics[0].days_open == 10.0


def test_portfolio_medians_and_slowest_topics():
    portfolio = a.portfolio_stats(
        [
            facts("1", 0, 30, [("ip", 1, 21)]),
            facts("2", 0, 90, [("ip", 1, 61), ("payments", 1, 5)], kind="collaboration"),
            facts("3", 0, None, [("payments", 1, None)]),
        ],
        day(11),
    )
    assert (portfolio.agreements, portfolio.signed) == (3, 2)
    assert portfolio.median_days_to_signature == 60.0
    assert portfolio.median_days_by_kind == {"collaboration": 90.0, "mou": 30.0}
    assert [t.topic for t in portfolio.topics] == ["ip", "payments"]
    ip = portfolio.topics[0]
    assert (ip.agreements, ip.rounds, ip.median_days_open, ip.total_days_open) == (
        2,
        2,
        40.0,
        80.0,
    )
