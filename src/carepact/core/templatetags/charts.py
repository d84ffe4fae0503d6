from django import template

from carepact.core.charts import table_for
from carepact.core.staticfinders import plotly_style_ids

register = template.Library()


@register.inclusion_tag("_components/chart.html")
def chart(figure, chart_id: str, title: str, summary: str = ""):
    """A Plotly figure with its title, a one-line summary and its numbers as a table."""
    return {
        "chart_id": chart_id,
        "title": title,
        "summary": summary,
        "spec": figure.to_json(),
        "table": table_for(figure),
    }


@register.inclusion_tag("_components/chart_scripts.html", takes_context=True)
def chart_scripts(context):
    """The two scripts that draw every chart on the page; put it in ``{% block scripts %}``."""
    return {"csp_nonce": context.get("csp_nonce"), "style_ids": plotly_style_ids()}
