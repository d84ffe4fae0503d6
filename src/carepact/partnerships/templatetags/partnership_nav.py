from django import template

from carepact.partnerships import navigation

register = template.Library()


@register.inclusion_tag("partnerships/_components/nav.html")
def partnership_nav(partnership, current: str = ""):
    """The partnership's sections; ``current`` is the key of the section being shown."""
    return {
        "partnership": partnership,
        "sections": navigation.sections_for(partnership),
        "current": current,
    }
