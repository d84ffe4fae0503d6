from datetime import timedelta

import pytest
from django.db import transaction

from carepact.core import clock
from carepact.governance import services


@pytest.fixture
def board(world):
    with transaction.atomic():
        body = services.create_body(
            world.lead,
            world.partnership,
            name="Steering board",
            kind="board",
            decision_rights="Pathway changes\nBudget",
        )
        services.add_member(
            world.lead, body, person=world.lead, organisation=world.trust, is_chair=True
        )
        services.add_member(
            world.lead, body, person=world.partner_admin, organisation=world.company
        )
    return body


@pytest.fixture
def yesterday():
    return clock.now().date() - timedelta(days=1)
