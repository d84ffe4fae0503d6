"""The topics a clause can cover and the kinds of agreement, with what each kind requires.

The requirements are declared data: a kind names the topics it cannot do without and the
ones it should usually have, and every topic says in one sentence why it matters, so the
agreement page can show a reader what is missing and what that costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Topic(StrEnum):
    OBJECTIVES = "objectives"
    PROJECT_PLAN = "project_plan"
    GOVERNANCE = "governance"
    SOPS = "sops"
    OWNERSHIP_FINANCE = "ownership_finance"
    PAYMENTS = "payments"
    DATA_PROTECTION = "data_protection"
    DATA_USE = "data_use"
    IP = "ip"
    BENEFIT_SHARING = "benefit_sharing"
    CONFIDENTIALITY = "confidentiality"
    TERM_EXIT = "term_exit"
    PPI_TRANSPARENCY = "ppi_transparency"
    ACCOUNTABILITY = "accountability"


@dataclass(frozen=True)
class TopicInfo:
    label: str
    covers: str  # what clauses of this topic settle
    why: str  # why an agreement without it costs the partners, in one sentence


TOPICS: dict[Topic, TopicInfo] = {
    Topic.OBJECTIVES: TopicInfo(
        "Objectives and shared vision",
        "What the parties want to achieve together and how they will know it worked.",
        "Partners who never wrote down a shared objective end up judging the work by "
        "different yardsticks, and each feels the other has failed.",
    ),
    Topic.PROJECT_PLAN: TopicInfo(
        "Project plan and milestones",
        "Who delivers what by when, and how slippage is handled.",
        "An MoU without a plan is a statement of goodwill: nobody can tell whether the "
        "partnership is on track or already stalling.",
    ),
    Topic.GOVERNANCE: TopicInfo(
        "Governance",
        "The board, roles, decision rights, escalation and dispute resolution.",
        "Without agreed decision rights and a route for disputes, every disagreement "
        "escalates to the executives or quietly stops the work.",
    ),
    Topic.SOPS: TopicInfo(
        "Standard operating procedures",
        "The procedures the parties work to, who owns each and how they change.",
        "Teams from different organisations work in different ways; unwritten procedures "
        "become the source of most day-to-day friction.",
    ),
    Topic.OWNERSHIP_FINANCE: TopicInfo(
        "Ownership and financial boundaries",
        "What each party brings and keeps, who may commit spending, and the limits of "
        "each party's exposure.",
        "Unclear ownership of what each party brings, and of who pays for what, is the most "
        "common cause of months lost in contracting.",
    ),
    Topic.PAYMENTS: TopicInfo(
        "Financial obligations and payments",
        "Who pays whom, how much, when and against what.",
        "Money that was assumed rather than agreed sours a partnership the first time an "
        "invoice arrives.",
    ),
    Topic.DATA_PROTECTION: TopicInfo(
        "Data management and protection",
        "Lawful basis (UK GDPR Articles 6 and 9, or HIPAA), security, retention, breach "
        "notice and onward sharing.",
        "Patient data may only move with a lawful basis, adequate security and a duty to "
        "report breaches; without them the NHS party cannot share at all.",
    ),
    Topic.DATA_USE: TopicInfo(
        "Data-use terms",
        "Which datasets, used by whom, for which purposes (GA4GH DUO), where and until when.",
        "Data-use terms are what every release is checked against: without them no data can "
        "be released under the agreement.",
    ),
    Topic.IP: TopicInfo(
        "Intellectual property",
        "Background and foreground IP, ownership, licences, publication rights and moratorium.",
        "Arguments over who owns what the partnership creates are the classic deal-breaker; "
        "settling them before the work starts is far cheaper than after.",
    ),
    Topic.BENEFIT_SHARING: TopicInfo(
        "Benefit sharing",
        "How value created with NHS data or staff flows back to the NHS and to patients.",
        "Patients and the public accept commercial use of their data only when value "
        "demonstrably comes back to the health service.",
    ),
    Topic.CONFIDENTIALITY: TopicInfo(
        "Confidentiality",
        "What the parties keep confidential, for how long, and the exceptions.",
        "Partners share plans and know-how only when they trust it will not leak to competitors.",
    ),
    Topic.TERM_EXIT: TopicInfo(
        "Term, review and exit",
        "When the agreement starts and ends, how it is reviewed, and how a party leaves.",
        "A partnership without an agreed exit cannot end cleanly: data, IP and staff are left "
        "in limbo when priorities change.",
    ),
    Topic.PPI_TRANSPARENCY: TopicInfo(
        "Patient and public involvement and transparency",
        "How patients and the public are involved, and what is published about the work.",
        "Work with patient data that patients cannot see or influence loses public trust, "
        "and with it the licence to continue.",
    ),
    Topic.ACCOUNTABILITY: TopicInfo(
        "Accountability for shared objectives",
        "Who answers for each shared objective and what happens when it is missed.",
        "Joint objectives that nobody in particular answers for are the ones that slip.",
    ),
}

# The order clauses appear in an agreement, and topics on every page.
TOPIC_ORDER: tuple[Topic, ...] = tuple(Topic)


def topic_rank(topic: str) -> int:
    return TOPIC_ORDER.index(Topic(topic))


class Kind(StrEnum):
    MOU = "mou"
    DATA_SHARING = "data_sharing"
    COLLABORATION = "collaboration"
    IP = "ip"


@dataclass(frozen=True)
class KindInfo:
    label: str
    purpose: str
    required: tuple[Topic, ...]
    recommended: tuple[Topic, ...]


KINDS: dict[Kind, KindInfo] = {
    Kind.MOU: KindInfo(
        "Memorandum of understanding",
        "Sets out, before work starts, what the partners will do together and on what terms.",
        required=(
            Topic.OBJECTIVES,
            Topic.PROJECT_PLAN,
            Topic.SOPS,
            Topic.GOVERNANCE,
            Topic.OWNERSHIP_FINANCE,
            Topic.DATA_PROTECTION,
            Topic.IP,
            Topic.TERM_EXIT,
        ),
        recommended=(Topic.ACCOUNTABILITY, Topic.CONFIDENTIALITY, Topic.PPI_TRANSPARENCY),
    ),
    Kind.DATA_SHARING: KindInfo(
        "Data-sharing agreement",
        "Governs which data one party makes available to others, for what use and on what "
        "conditions; every data release is checked against it.",
        required=(
            Topic.OBJECTIVES,
            Topic.GOVERNANCE,
            Topic.DATA_PROTECTION,
            Topic.DATA_USE,
            Topic.CONFIDENTIALITY,
            Topic.PPI_TRANSPARENCY,
            Topic.TERM_EXIT,
        ),
        recommended=(Topic.BENEFIT_SHARING, Topic.IP),
    ),
    Kind.COLLABORATION: KindInfo(
        "Collaboration agreement",
        "Commits the partners to a joint programme of work: plan, money, IP and accountability.",
        required=(
            Topic.OBJECTIVES,
            Topic.PROJECT_PLAN,
            Topic.GOVERNANCE,
            Topic.OWNERSHIP_FINANCE,
            Topic.PAYMENTS,
            Topic.IP,
            Topic.CONFIDENTIALITY,
            Topic.ACCOUNTABILITY,
            Topic.TERM_EXIT,
        ),
        recommended=(Topic.BENEFIT_SHARING, Topic.PPI_TRANSPARENCY, Topic.SOPS),
    ),
    Kind.IP: KindInfo(
        "IP agreement",
        "Settles who owns and may use the intellectual property the partners bring and create.",
        required=(
            Topic.IP,
            Topic.BENEFIT_SHARING,
            Topic.CONFIDENTIALITY,
            Topic.GOVERNANCE,
            Topic.TERM_EXIT,
        ),
        recommended=(Topic.PAYMENTS, Topic.OBJECTIVES),
    ),
}
