import pytest

from carepact.core import indicators


def test_an_indicator_nobody_provides_reads_as_not_measured(monkeypatch):
    monkeypatch.delitem(indicators._PROVIDERS, "board_meetings_90_days", raising=False)
    reading = indicators.read(object(), "board_meetings_90_days")
    assert reading.measured is False and "not measured" in reading.detail


def test_unknown_names_are_refused_both_ways():
    with pytest.raises(KeyError):
        indicators.read(object(), "happiness")
    with pytest.raises(KeyError):
        indicators.provide("happiness", lambda p: indicators.Reading(1))


def test_the_registry_provides_its_own_indicators():
    assert {"champion_named", "industry_sponsors_named", "stage_days"} <= indicators.provided()
