"""Who may record a contribution for a party, as a truth table."""

import pytest

from carepact.value.rules import may_record_for

TABLE = [
    # (for own party?, partnership lead?, allowed?)
    (True, False, True),  # each party records its own contributions
    (True, True, True),
    (False, True, True),  # a lead may record for any party
    (False, False, False),  # nobody else may put words in another party's mouth
]


@pytest.mark.parametrize(("own", "lead", "allowed"), TABLE)
def test_may_record_for_truth_table(own, lead, allowed):
    decision = may_record_for(own_party=own, is_lead=lead)
    assert decision.allowed is allowed
    if not allowed:
        assert "your own organisation" in decision.reason
