"""The starter clause library: our own wording, one or more alternatives for every topic.

Installed by migration 0002 as version 1 of each clause. Later changes to this wording
ship as new clause versions (a new migration), never by editing a version in place: a
version used in an agreement is part of what its parties signed.

Clauses with the same ``family`` are alternatives for one slot of an agreement (for
example the three ways of owning foreground IP); an agreement holds at most one clause per
family. A blank line in ``text`` starts a new numbered paragraph.
"""

from __future__ import annotations

from carepact.agreements.starter import data, ip, money, working

# In topic order, alternatives in the order the library offers them (the first alternative of
# each topic is the one a new draft starts with).
CLAUSES: list[dict] = [*working.CLAUSES, *money.CLAUSES, *data.CLAUSES, *ip.CLAUSES]


def install(clause_model, version_model) -> int:
    """Create every starter clause the library lacks, as version 1; returns how many.

    Takes the model classes so the migration can pass its historical models.
    """
    from carepact.engine.agreements.params import specs_from

    created = 0
    for entry in CLAUSES:
        clause, new = clause_model.objects.get_or_create(
            key=entry["key"],
            defaults={
                "family": entry["family"],
                "topic": entry["topic"],
                "title": entry["title"],
                "alternative": entry["alternative"],
                "guidance": entry["guidance"],
                "is_starter": True,
            },
        )
        if new:
            version_model.objects.create(
                clause=clause,
                number=1,
                parameters=[spec.as_dict() for spec in specs_from(entry["parameters"])],
                text=entry["text"],
                note="Starter library.",
            )
            created += 1
    return created
