"""The clause library: platform administrators add and version clauses; used wording is fixed."""

import pytest
import yaml

from carepact.agreements.models import Clause
from carepact.agreements.services import library as lib
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from tests import factories
from tests.integration.agreements.helpers import atomic, draft

SPECS = yaml.safe_dump(
    [
        {"name": "field", "type": "text", "label": "Field of use"},
        {"name": "royalty", "type": "percentage", "label": "Royalty"},
    ]
)
TEXT = "The licence covers {{ field }} only, at a royalty of {{ royalty }}."


@pytest.fixture
def admin(db):
    return factories.UserFactory(is_superuser=True, is_staff=True, full_name="Ada Admin")


def test_the_starter_library_is_installed(db):
    assert Clause.objects.filter(is_starter=True).count() >= 20
    assert lib.latest_version(lib.get_clause("ip-joint")).number == 1


def test_an_administrator_adds_a_clause_with_typed_parameters(admin):
    clause = atomic(
        lib.create_clause,
        admin,
        key="ip-field-licence",
        family="ip-ownership",
        topic="ip",
        title="Intellectual property",
        alternative="Owned by the generator, licensed in one field",
        parameters=SPECS,
        text=TEXT,
    )
    version = lib.latest_version(clause)
    assert [s.name for s in lib.specs_of(version)] == ["field", "royalty"]
    event = AuditEvent.objects.get(action="clause.create")
    assert event.scope == "platform" and event.actor_id == admin.pk


def test_only_platform_administrators_change_the_library(world):
    with pytest.raises(Denied, match="platform administrators"):
        atomic(
            lib.create_clause,
            world.lead,
            key="x",
            family="x",
            topic="ip",
            title="X",
            alternative="X",
            text="X.",
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"key": "Not A Slug"}, "key"),
        ({"key": "ip-joint"}, "key"),  # taken
        ({"family": "governance"}, "family"),  # a family of another topic
        ({"topic": "astrology"}, "topic"),
        ({"parameters": "- name: x\n  type: colour\n  label: X"}, "parameters"),
        ({"parameters": "{not: [valid"}, "parameters"),
        ({"text": "{{ undeclared }}"}, "text"),
    ],
)
def test_clause_input_is_checked(admin, fields, field):
    data = {
        "key": "new-clause",
        "family": "new-family",
        "topic": "ip",
        "title": "T",
        "alternative": "A",
        "parameters": SPECS,
        "text": TEXT,
        **fields,
    }
    with pytest.raises(Invalid) as caught:
        atomic(lib.create_clause, admin, **data)
    assert field in caught.value.errors


def test_versions_are_added_and_a_used_version_is_fixed(world, admin):
    clause = lib.get_clause("confidentiality-mutual")
    first = lib.latest_version(clause)
    text = first.text.replace("five", "five")  # unchanged text
    with pytest.raises(Conflict, match="same as the latest"):
        atomic(lib.add_clause_version, admin, clause, parameters=first.parameters, text=text)
    second = atomic(
        lib.add_clause_version,
        admin,
        lib.get_clause("confidentiality-mutual"),
        parameters=first.parameters,
        text=first.text + "\n\nTrade secrets are protected without limit of time.",
        note="Trade secrets.",
    )
    assert second.number == 2
    # version 2 is unused: it may still be corrected
    atomic(
        lib.update_clause_version,
        admin,
        second,
        parameters=first.parameters,
        text=second.text + " ",
    )
    draft(world, clauses={"confidentiality-mutual": {}})  # uses version 2, the newest
    with pytest.raises(Conflict, match="used in an agreement"):
        atomic(lib.update_clause_version, admin, second, parameters=[], text="Nothing.")


def test_the_admin_site_reads_but_does_not_change_agreements(admin, client_for):
    client = client_for(admin)
    assert client.get("/admin/agreements/clause/").status_code == 200
    assert client.get("/admin/agreements/agreement/").status_code == 200
    clause = lib.get_clause("ip-joint")
    assert client.get(f"/admin/agreements/clause/{clause.pk}/change/").status_code == 200
    assert client.get("/admin/agreements/clause/add/").status_code == 403
