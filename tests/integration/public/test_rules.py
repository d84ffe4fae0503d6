"""Who speaks for a party about publishing, and how counts are rounded: truth tables."""

import pytest

from carepact.public.rounding import patients_text, public_count, rounded
from carepact.public.rules import may_speak_for_party

SPEAKS = [
    # (member of the party organisation?, its administrator?, partnership lead for it?, allowed?)
    (True, True, False, True),  # an organisation administrator
    (True, False, True, True),  # a partnership lead who holds the lead role for it
    (True, True, True, True),
    (True, False, False, False),  # any other member: not theirs to commit
    (False, False, False, False),  # not in the organisation at all
]


@pytest.mark.parametrize(("member", "admin", "lead", "allowed"), SPEAKS)
def test_may_speak_for_party_truth_table(member, admin, lead, allowed):
    decision = may_speak_for_party(is_party_member=member, is_org_admin=admin, is_lead_for_org=lead)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason


ROUNDING = [
    # (count, shown as, rounded number in the JSON)
    (None, "not recorded", None),  # unknown is never 0
    (0, "none", None),
    (1, "fewer than 10", None),
    (9, "fewer than 10", None),  # the largest small number is still hidden
    (10, "about 10", 10),
    (14, "about 10", 10),
    (15, "about 20", 20),  # half up
    (1234, "about 1,230", 1230),
    (98_765, "about 98,770", 98770),
]


@pytest.mark.parametrize(("count", "text", "number"), ROUNDING)
def test_rounding_truth_table(count, text, number):
    assert patients_text(count) == text
    assert rounded(count) == number
    assert public_count(count) == {"text": text, "rounded": number}
