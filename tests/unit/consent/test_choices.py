"""Which choice decides a use, as a truth table (one comment per case)."""

from datetime import UTC, date, datetime

import pytest

from carepact.consent.choices import Choice, Use, covers, deciding, excluded

P, Q = 1, 2  # two partnerships
HMB, T2D = "HMB", "DS:MONDO:0005148"
ON = date(2026, 6, 1)


def at(day: int) -> datetime:
    return datetime(2026, 1, day, tzinfo=UTC)


def choice(decision="deny", *, purposes=(), recipients="all", partnership=None, start=None,
           end=None, day=1, order=0):  # fmt: skip
    return Choice(decision, tuple(purposes), recipients, partnership, start, end, at(day), order)


USE = Use(partnership_id=P, commercial=True, purpose=T2D, on=ON)


@pytest.mark.parametrize(
    ("made", "use", "covered"),
    [
        # A choice about every partnership, purpose and recipient covers every use.
        (choice(), USE, True),
        # A choice about this partnership covers it.
        (choice(partnership=P), USE, True),
        # A choice about another partnership does not.
        (choice(partnership=Q), USE, False),
        # A choice about commercial recipients covers a commercial recipient.
        (choice(recipients="commercial"), USE, True),
        # ... and not a university.
        (choice(recipients="commercial"), Use(P, False, T2D, ON), False),
        # A choice about non-commercial recipients does not cover a company.
        (choice(recipients="non_commercial"), USE, False),
        # A choice about HMB covers research on type 2 diabetes (beneath HMB).
        (choice(purposes=[HMB]), USE, True),
        # A choice about ancestry research does not cover diabetes research.
        (choice(purposes=["POA"]), USE, False),
        # A choice about diabetes research does not cover HMB in general.
        (choice(purposes=[T2D]), Use(P, True, HMB, ON), False),
        # A period that has not started does not cover the use.
        (choice(start=date(2026, 7, 1)), USE, False),
        # A period that has ended does not cover it.
        (choice(end=date(2026, 5, 31)), USE, False),
        # A period around the day covers it.
        (choice(start=date(2026, 1, 1), end=date(2026, 12, 31)), USE, True),
    ],
)
def test_covers(made, use, covered):
    assert covers(made, use) is covered


@pytest.mark.parametrize(
    ("history", "out"),
    [
        # No choice: included under the agreement's lawful basis.
        ([], False),
        # A national opt-out (deny everything): excluded.
        ([choice()], True),
        # A later permit for this partnership overrides an earlier opt-out.
        ([choice(day=1), choice("permit", partnership=P, day=2)], False),
        # An earlier permit is overridden by a later withdrawal.
        ([choice("permit", day=1), choice(day=2)], True),
        # A withdrawal from another partnership leaves this use alone.
        ([choice(partnership=Q)], False),
        # A withdrawal from commercial use excludes a commercial recipient.
        ([choice(recipients="commercial")], True),
        # On the same instant, the later row decides.
        ([choice(day=1, order=2), choice("permit", day=1, order=1)], True),
        # A later permit that does not cover the use leaves the deny in force.
        ([choice(day=1), choice("permit", purposes=["POA"], day=2)], True),
    ],
)
def test_the_latest_covering_choice_decides(history, out):
    assert excluded(history, USE) is out
    assert (deciding(history, USE) is None) is (not any(covers(c, USE) for c in history))
