"""Recognition: what each person has done for the partnerships they are in.

The seeds ask for incentives that reward collaboration; appraisal can only reward what is
visible. A credit is one thing a person did: an objective they are accountable for,
measurements they recorded, glossary terms they proposed or agreed for their organisation.
Other apps add their own (clauses negotiated, requests reviewed) through the
``recognition`` seam (see ``outcomes.seams``), so this module never imports them.

A person's credits are shown only for partnerships the reader can see.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Min

from carepact.accounts.models import Membership, User
from carepact.core.errors import NotFound
from carepact.engine.outcomes.periods import period_label
from carepact.outcomes import seams
from carepact.outcomes.models import Measurement, ObjectiveOwner
from carepact.partnerships.models import GlossaryAgreement, GlossaryTerm, Partnership, Party

KIND_LABELS = {
    "objective_owned": "Objectives owned",
    "measurements_recorded": "Measurements recorded",
    "glossary_proposed": "Glossary terms proposed",
    "glossary_agreed": "Glossary terms agreed for their organisation",
    # provided through the recognition seam by the apps that record them
    "clause_negotiated": "Clauses negotiated",
    "review_done": "Reviews done",
    "agreement_signed": "Agreements signed",
}
AWAITED = ("clause_negotiated", "review_done")


@dataclass(frozen=True)
class Credit:
    person_id: int
    kind: str
    label: str
    partnership_id: int
    at: datetime
    detail: str = ""
    weight: int = 1  # how many things it stands for (12 measurements: 12)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())


def credits(partnership_ids: set[int], person: User | None = None) -> list[Credit]:
    """Credits in the given partnerships, of one person or of everyone, newest first."""
    who = {"person": person} if person is not None else {}
    found: list[Credit] = []
    owners = ObjectiveOwner.objects.filter(
        objective__partnership_id__in=partnership_ids, **who
    ).select_related("objective", "organisation")
    for o in owners:
        found.append(
            Credit(
                o.person_id,
                "objective_owned",
                f"Accountable for “{o.objective.title}” for {o.organisation}",
                o.objective.partnership_id,
                o.since,
            )
        )
    recorded = (
        Measurement.objects.filter(
            partnership_id__in=partnership_ids,
            **({"recorded_by": person} if person is not None else {"recorded_by__isnull": False}),
        )
        .values("recorded_by_id", "kpi_id", "kpi__name", "kpi__frequency", "partnership_id")
        .annotate(n=Count("pk"), first=Min("period"), last=Max("period"), at=Max("recorded_at"))
        .order_by("kpi_id", "recorded_by_id")
    )
    for row in recorded:
        span = period_label(row["first"], row["kpi__frequency"])
        if row["last"] != row["first"]:
            span += f" to {period_label(row['last'], row['kpi__frequency'])}"
        found.append(
            Credit(
                row["recorded_by_id"],
                "measurements_recorded",
                f"Recorded {row['n']} value{'s' if row['n'] != 1 else ''} of "
                f"“{row['kpi__name']}” ({span})",
                row["partnership_id"],
                row["at"],
                weight=row["n"],
            )
        )
    proposer = {"proposed_by": person} if person is not None else {"proposed_by__isnull": False}
    for term in GlossaryTerm.objects.filter(partnership_id__in=partnership_ids, **proposer):
        found.append(
            Credit(
                term.proposed_by_id,
                "glossary_proposed",
                f"Proposed the term “{term.term}”",
                term.partnership_id,
                term.created_at,
            )
        )
    agreer = {"agreed_by": person} if person is not None else {"agreed_by__isnull": False}
    agreements = (
        GlossaryAgreement.objects.filter(term__partnership_id__in=partnership_ids, **agreer)
        .exclude(term__proposed_by_id=F("agreed_by_id"))
        .select_related("term", "organisation")
    )
    for agreement in agreements:  # (proposing a term agrees to it: credited once, above)
        found.append(
            Credit(
                agreement.agreed_by_id,
                "glossary_agreed",
                f"Agreed the term “{agreement.term.term}” for {agreement.organisation}",
                agreement.term.partnership_id,
                agreement.at,
            )
        )
    people = [person] if person is not None else None
    for item in _from_seam(partnership_ids, people):
        found.append(item)
    found.sort(key=lambda c: c.at, reverse=True)
    return found


def _from_seam(partnership_ids: set[int], people: list[User] | None) -> list[Credit]:
    """Credits the other apps record. For everyone (``people`` None) each provider is asked
    once, with ``person=None``, and says whose each item is (``person_id``): the queries do
    not grow with the number of people."""
    if not seams.provided("recognition"):
        return []
    if people is None:
        asked = [(None, seams.collect("recognition", None, partnership_ids))]
    else:
        asked = [(p.pk, seams.collect("recognition", p, partnership_ids)) for p in people]
    found = []
    for person_id, items in asked:
        for item in items:
            whose = person_id if person_id is not None else item.get("person_id")
            if whose is None or item.get("partnership_id") not in partnership_ids:
                continue
            found.append(
                Credit(
                    int(whose),
                    str(item["kind"]),
                    str(item["label"]),
                    int(item["partnership_id"]),
                    item["at"],
                    str(item.get("detail", "")),
                )
            )
    return found


def awaited_kinds() -> list[str]:
    """Kinds another app will provide, shown as "not yet recorded" until one does."""
    return [] if seams.provided("recognition") else [KIND_LABELS[k] for k in AWAITED]


def get_person(actor: User, person_id: int) -> User:
    """A person whose contributions the actor may see, else 404.

    Visible: yourself; anyone in one of your organisations; anyone in a party organisation
    of a partnership you can see.
    """
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise NotFound("No such person.")
    if person == actor or actor.is_superuser:
        return person
    shares_organisation = Membership.objects.filter(
        user=actor, organisation__memberships__user=person
    ).exists()
    shares_partnership = Party.objects.filter(
        partnership__in=Partnership.objects.visible_to(actor),
        status=Party.Status.ACTIVE,
        organisation__memberships__user=person,
    ).exists()
    if not (shares_organisation or shares_partnership):
        raise NotFound("No such person, or you share no organisation or partnership with them.")
    return person


def profile(actor: User, person: User) -> tuple[list[Partnership], list[Credit]]:
    """The person's credits in the partnerships the actor can see, and those partnerships."""
    partnerships = {p.pk: p for p in Partnership.objects.visible_to(actor)}
    found = credits(set(partnerships), person)
    mine = sorted({partnerships[c.partnership_id] for c in found}, key=lambda p: p.title)
    return mine, found


def by_person(partnership: Partnership) -> list[tuple[User, dict[str, int], list[Credit]]]:
    """Everyone with a credit in the partnership: (person, count per kind, credits)."""
    found = credits({partnership.pk})
    grouped: dict[int, list[Credit]] = defaultdict(list)
    for c in found:
        grouped[c.person_id].append(c)
    people = {u.pk: u for u in User.objects.filter(pk__in=grouped)}
    rows = []
    for person_id, items in grouped.items():
        counts: dict[str, int] = defaultdict(int)
        for c in items:
            counts[c.kind_label] += c.weight
        rows.append((people[person_id], dict(counts), items))
    rows.sort(key=lambda row: (-sum(row[1].values()), row[0].full_name))
    return rows


def as_csv(person: User, partnerships: list[Partnership], found: list[Credit]) -> str:
    """The credits as a spreadsheet for an appraisal: one line per credit."""
    titles = {p.pk: p.title for p in partnerships}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["person", "partnership", "kind", "what", "when", "count", "detail"])
    for c in found:
        writer.writerow(
            [
                person.full_name,
                titles.get(c.partnership_id, ""),
                c.kind_label,
                _safe_cell(c.label),
                c.at.date().isoformat(),
                c.weight,
                _safe_cell(c.detail),
            ]
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
