"""Money as the value pages show it."""

from django import template

from carepact.engine.value.money import format_money

register = template.Library()


@register.filter
def money(minor, currency):
    """Minor units with their currency: ``1250050|money:"GBP"`` → ``£12,500.50``."""
    if minor is None or not currency:
        return "—"
    return format_money(int(minor), currency)


@register.filter
def fraction(value):
    """An exact Shapley value (a Fraction) as people write it."""
    if value is None:
        return "—"
    number = float(value)
    return f"{number:,.2f}".rstrip("0").rstrip(".")
