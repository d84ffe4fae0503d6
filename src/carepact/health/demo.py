"""Health checks for the demo partnerships, with a story the results should tell.

**AI chest X-ray pathway (Northfield + Lumen), three full health checks.** At first both
sides are positive. Over the year Lumen's specialists (its machine-learning engineers and
clinical safety staff) wait longer and longer for data access and information-governance
answers from Northfield, and their trust in Northfield falls from about 4 to about 2;
Lumen's managers follow more slowly and its leaders hardly move, so Lumen's leaders and
specialists end up seeing the partnership's purpose differently. Meanwhile Northfield
makes more of the decisions: Lumen's people see Northfield holding most of the influence,
while Northfield's people think it is shared equally (unacknowledged dominance), and
Lumen's sense of having a voice falls below 3.

**Eastmoor data partnership (Northfield, University of Eastmoor, Helix), one health
check** while the agreements are still being negotiated: contracts are unclear and
outcomes not yet framed. Eastmoor's six people are shown as one group; Helix's three are
fewer than five, so its answers are held back from every figure.

The demo organisations have three to five people each, fewer than the five a figure
needs, so colleagues are added (addresses under ``staff.<domain>``, so the demo logins
list stays short). Everything goes through the services, inside
``clock.travel``, so the rounds, reminders and answers have a realistic history.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from carepact.accounts import services as accounts
from carepact.accounts.demo import organisation, person
from carepact.accounts.models import Level
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.engine.health.instrument import load as load_instrument
from carepact.health import services
from carepact.health.models import Round
from carepact.partnerships.models import Partnership

AI_PATHWAY = "ai-assisted-chest-x-ray-triage-pathway"
DATA_PARTNERSHIP = "eastmoor-cardiometabolic-data-partnership"

FIRST = ["Amira", "Ben", "Chloe", "Dev", "Elena", "Femi", "Gwen", "Hassan", "Isla", "Jon",
         "Kiran", "Lena", "Marcus", "Nia", "Owen", "Pooja", "Quinn", "Rosa", "Sami", "Tara",
         "Umar", "Vera", "Wes", "Yasmin", "Zoe"]  # fmt: skip
LAST = ["Adeyemi", "Brennan", "Costa", "Dalton", "Evans", "Fischer", "Gill", "Hale", "Iqbal",
        "Jensen", "Khan", "Lowe", "Moreau", "Nowak", "Osei", "Price", "Rahman", "Shah",
        "Turner", "Usman", "Vance", "Walsh", "Young"]  # fmt: skip

# Colleagues added to each organisation: (admin who invites, domain, {level: how many}).
# Enough for five answers in each shown group, and no more: every account costs a password
# hash. Leaders are few, so they are shown together with managers (the merge rule at work);
# Helix stays at three people, fewer than five, so its answers are held back.
COLLEAGUES = {
    "northfield": ("tom.okafor", "northfield.nhs.example",
                   {Level.EXECUTIVE: 2, Level.MANAGER: 3, Level.SPECIALIST: 2, Level.CLINICIAN: 1}),
    "lumen": ("daniel.reyes", "lumenhealth.example",
              {Level.EXECUTIVE: 2, Level.MANAGER: 3, Level.SPECIALIST: 3, Level.CLINICIAN: 1}),
    "university-of-eastmoor": ("alan.brooks", "eastmoor.ac.example",
                               {Level.MANAGER: 1, Level.SPECIALIST: 2}),
}  # fmt: skip

NORTHFIELD_COMMENTS = [
    "Urgent films are reported the same day now; the radiologists notice the difference.",
    "The weekly huddle with Lumen's clinical team keeps problems small.",
    "Having one named contact at Lumen for the safety case has helped.",
    "We should publish the time-to-diagnosis figures for other trusts sooner.",
    "More clarity on who pays for the second year would help our finance team.",
    "Reporting turnaround for flagged X-rays is the clearest win so far.",
]
LUMEN_COMMENTS = [
    "Data access requests take weeks to answer; our engineers are idle while they wait.",
    "Information-governance questions disappear into a queue with no reply date.",
    "Decisions about the roadmap are made in Northfield meetings we are not part of.",
    "The clinical champions at Northfield are excellent and generous with their time.",
    "We would like a say in the agenda of the steering group, not just a slot at the end.",
    "The model update was delayed three months by approvals we only heard about late.",
]


def _colleagues(ctx: DemoContext) -> None:
    """Invite colleagues at every level; each creates an account through their invitation."""
    rnd = random.Random(2026)  # noqa: S311  (demo data, not a secret)
    names = iter(rnd.sample([f"{f} {la}" for f in FIRST for la in LAST], 200))
    for slug_start, (admin, domain, levels) in COLLEAGUES.items():
        org, founder = organisation(slug_start), person(admin)
        for level, count in levels.items():
            for _ in range(count):
                name = next(names)
                local = name.lower().replace(" ", ".")
                issued = accounts.invite_person(
                    founder, organisation=org, email=f"{local}@staff.{domain}", level=level
                )
                accounts.create_account_from_invitation(
                    token=issued.token, full_name=name, password=ctx.password
                )
                clock.tick(timedelta(hours=1))


def _draw(mean: float, rnd: random.Random) -> int:
    """An answer whose expected value is ``mean``: rounded up or down at random in the right
    proportion, and now and then a point off either way, as people are."""
    low = math.floor(mean)
    value = low + (rnd.random() < mean - low)
    if rnd.random() < 0.1:
        value += rnd.choice([-1, 1])
    return max(1, min(5, value))


def _answers(round: Round, invitation, story, rnd: random.Random) -> dict:
    """One person's answers: each statement near the story's mean for their party and level."""
    instrument = load_instrument(round.instrument)
    parties = [p["key"] for p in round.parties]
    own, level = invitation.organisation.slug, invitation.level
    # Some people are a little kinder or harsher than others, the same in every round.
    lean = random.Random(f"lean:{invitation.person.email}").choice([-0.25, 0, 0, 0.25])  # noqa: S311
    out: dict = {}
    for key in instrument.answer_keys(round.kind, parties):
        base, _, target = key.partition("@")
        if base in ("O1", "O2"):
            continue
        if base == "I":
            out[key] = story.influence(own, target, rnd)
            continue
        if base == "B":
            out[key] = _draw(story.balance(own), rnd)
            continue
        code = "M" if base.startswith("M.") else base.split(".")[0]
        if rnd.random() < story.dont_know(own, level, code):
            out[key] = "dk"
            continue
        if code == "C8" and base == "C8.3" and not story.has_industry:
            out[key] = "na"
            continue
        mean = story.mean(code, own, level, target or None)
        value = _draw(mean + lean, rnd)
        out[key] = 6 - value if base == "C9.3" else value
    comments = story.comments(own)
    if comments and rnd.random() < 0.45:
        out["O1" if rnd.random() < 0.5 else "O2"] = rnd.choice(comments)
    return out


class AiStory:
    """Lumen's specialists lose trust in Northfield; Northfield's dominance goes unseen."""

    has_industry = True

    def __init__(self, wave: int, northfield: str, lumen: str):
        self.wave, self.nf, self.lu = wave, northfield, lumen

    def mean(self, code: str, own: str, level: str, target: str | None) -> float:
        w = self.wave
        if own == self.nf:
            if code in ("C2", "C7") and target == self.lu:
                return (4.1, 3.85, 3.75)[self.wave - 1]  # Northfield senses it less
            if code == "M":
                return 1.9
            return {"C9": 4.0, "C10": 3.6, "C13": 3.7}.get(code, 4.0)
        # Lumen
        drift = {"leader": (0.0, 0.15, 0.4), "manager": (0.0, 0.4, 1.1),
                 "specialist": (0.0, 1.05, 1.95)}[level][w - 1]  # fmt: skip
        if code == "C2" and target == self.nf:
            return 4.1 - drift
        if code == "M" and target == self.nf:
            return 1.9 + drift * 1.1
        if code == "C7" and target == self.nf:
            return 3.9 - drift * 0.5
        if code in ("C2", "C7"):
            return 4.1  # Lumen's view of itself
        if code == "M":
            return 1.8
        if code == "C9":
            return (3.9, 3.75, 2.9)[w - 1] - (0.2 if level != "leader" else 0)
        if code == "C1":
            return 4.1 - (drift * 0.6 if level == "specialist" else drift * 0.3)
        if code in ("C4", "C12"):
            return 3.9 - drift * 0.5
        return 3.9 - drift * 0.15

    def influence(self, own: str, target: str, rnd: random.Random) -> int:
        if own == self.nf:
            return 3 + rnd.choice([0, 0, 0, 1]) if target == self.nf else 3
        nf_rating, lu_rating = {1: (4, 3), 2: (5, 3), 3: (5, 2)}[self.wave]
        return nf_rating if target == self.nf else lu_rating

    def balance(self, own: str) -> float:
        return 4.3 if own == self.nf else 4.1 - 0.4 * (self.wave - 1)

    def dont_know(self, own: str, level: str, code: str) -> float:
        if own == self.lu and level == "specialist" and code == "C10" and self.wave == 3:
            return 0.35
        return 0.03

    def comments(self, own: str) -> list[str]:
        return NORTHFIELD_COMMENTS if own == self.nf else LUMEN_COMMENTS


class DataStory:
    """Agreements unsettled, outcomes not framed yet; otherwise a hopeful start."""

    has_industry = True

    def __init__(self, helix: str):
        self.helix = helix

    def mean(self, code: str, own: str, level: str, target: str | None) -> float:
        if code == "M":
            return 2.1
        base = {"C10": 2.7, "C13": 3.2, "C5": 3.4 if own == self.helix else 3.8}.get(code, 3.8)
        return base - (0.2 if level == "specialist" else 0)

    def influence(self, own: str, target: str, rnd: random.Random) -> int:
        return 3 + rnd.choice([0, 0, 1])

    def balance(self, own: str) -> float:
        return 3.6

    def dont_know(self, own: str, level: str, code: str) -> float:
        return 0.2 if code == "C10" and level == "specialist" else 0.04

    def comments(self, own: str) -> list[str]:
        return [
            "The trusted research environment is a real asset for all three of us.",
            "We need the data-sharing agreement signed before the analysis plan slips again.",
            "It is not yet clear what patients will get out of this.",
            "Monthly steering meetings are working well.",
            "Publication rights need settling before the first results.",
        ]


def _wave(lead, partnership, *, start, kind, story, seed: int, skip: dict | None = None):
    """Open a round at ``start``, answer over two weeks, remind, and close at its date."""
    rnd = random.Random(seed)  # noqa: S311  (demo data, not a secret)
    with clock.travel(start):
        found = services.open_round(
            lead, partnership, kind=kind, closes_on=(start + timedelta(days=15)).date()
        )
        invitations = list(
            found.invitations.select_related("organisation", "person").order_by("person__email")
        )
        # Most people answer; a few in each group do not (more among ``skip``'s groups).
        by_group: dict = {}
        for inv in invitations:
            by_group.setdefault((inv.organisation.slug, inv.level), []).append(inv)
        answering = []
        for group, members in sorted(by_group.items()):
            silent = (skip or {}).get(group, 1 if len(members) >= 4 else 0)
            answering += rnd.sample(members, len(members) - silent)
        rnd.shuffle(answering)
        for i, invitation in enumerate(answering):
            if i == len(answering) * 2 // 3:
                services.send_reminders(lead, found)
            services.save_answers(
                invitation, step=None, answers=_answers(found, invitation, story, rnd)
            )
            services.submit_response(invitation)
            clock.tick(timedelta(hours=5))
    with clock.travel(start + timedelta(days=15, hours=18)):
        services.close_round(lead, found)
    return found


def load(ctx: DemoContext) -> None:
    now = clock.now()
    tom = person("tom.okafor")
    with clock.travel(now - timedelta(days=300)):
        _colleagues(ctx)
    ai = Partnership.objects.get(slug=AI_PATHWAY)
    nf, lu = organisation("northfield").slug, organisation("lumen").slug
    for wave, days_ago in ((1, 270), (2, 150), (3, 32)):
        _wave(
            tom,
            ai,
            start=now - timedelta(days=days_ago),
            kind=Round.Kind.FULL,
            story=AiStory(wave, nf, lu),
            seed=100 + wave,
        )
    data = Partnership.objects.get(slug=DATA_PARTNERSHIP)
    _wave(
        tom,
        data,
        start=now - timedelta(days=40),
        kind=Round.Kind.FULL,
        story=DataStory(organisation("helix").slug),
        seed=200,
    )
