"""Numbers and statuses as the outcomes and value pages show them."""

from datetime import date

from django import template

from carepact.engine.outcomes.status import fmt

register = template.Library()


@register.filter
def num(value):
    """A measured value as people write it: ``23.5``, ``1,204``, never ``23.500000``."""
    if value is None or value == "":
        return "—"
    try:
        return fmt(float(value))
    except (TypeError, ValueError):
        return value


@register.filter
def percent(share):
    """A share from 0 to 1 as a whole percentage: ``0.333`` → ``33%``; None → ``—``."""
    if share is None:
        return "—"
    return f"{share * 100:.0f}%"


@register.filter
def points(gap):
    """A difference of shares in percentage points, signed: ``+12 pts``."""
    if gap is None:
        return "—"
    return f"{gap * 100:+.0f} pts"


@register.filter
def period_of(kpi, period):
    """The name of a KPI's period: ``Mar 2026``, ``2026 Q1``, ``2026``."""
    return kpi.period_label(period)


@register.filter
def human_date(iso):
    """An ISO date string (as the public view carries dates) as ``14 Nov 2026``."""
    try:
        day = date.fromisoformat(str(iso))
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"
