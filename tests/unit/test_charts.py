import plotly.graph_objects as go

from carepact.core.charts import table_for


def test_bar_and_line_become_one_row_per_x_and_one_column_per_trace():
    fig = go.Figure()
    fig.add_bar(x=["Q1", "Q2"], y=[3, 4.5], name="Measured")
    fig.add_scatter(x=["Q2", "Q3"], y=[5, 5], name="Target")
    fig.update_xaxes(title_text="Quarter")
    table = table_for(fig)
    assert table.columns == ["Quarter", "Measured", "Target"]
    assert table.rows == [["Q1", 3, "—"], ["Q2", "4.5", 5], ["Q3", "—", 5]]


def test_heatmap_becomes_a_grid():
    fig = go.Figure(go.Heatmap(z=[[1.25, 2], [3, None]], x=["a", "b"], y=["r1", "r2"]))
    table = table_for(fig)
    assert table.columns == ["", "a", "b"]
    assert table.rows == [["r1", "1.25", 2], ["r2", 3, "—"]]
