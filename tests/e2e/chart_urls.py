"""A page with one chart, to test the chart component in a real browser under the real CSP."""

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path

from carepact.core.charts import style
from carepact.urls import urlpatterns as site_urlpatterns


@login_not_required
def chart_page(request):
    fig = style(go.Figure())
    fig.add_bar(x=["Q1", "Q2", "Q3"], y=[12, 18, 25], name="Patients diagnosed early")
    fig.add_scatter(x=["Q1", "Q2", "Q3"], y=[15, 15, 15], name="Target", mode="lines")
    fig.update_xaxes(title_text="Quarter")
    return render(request, "chart_page.html", {"figure": fig})


urlpatterns = [path("chart/", chart_page), *site_urlpatterns]
