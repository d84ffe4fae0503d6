"""Seams: an app declares what it provides on its AppConfig; absent means "not recorded"."""

import pytest
from django.apps import apps

from carepact.core.indicators import Reading
from carepact.outcomes import seams


def datasets(partnership):
    return Reading([{"name": "X-rays", "description": "", "patients": 120}], True, "from data")


def reviews(person, partnership_ids):
    return [{"kind": "review_done", "label": "Reviewed", "partnership_id": 1, "at": None}]


def nobody_provides(monkeypatch):
    for config in apps.get_app_configs():
        monkeypatch.setattr(config, "carepact_provides", {}, raising=False)


def test_a_seam_nobody_provides_reads_as_not_recorded(monkeypatch):
    nobody_provides(monkeypatch)
    assert seams.read("public.datasets", object()) is seams.NOT_RECORDED
    assert seams.NOT_RECORDED.detail == "not yet recorded"
    assert seams.collect("recognition", object(), {1}) == []


def test_an_app_declares_a_provider_by_dotted_path(monkeypatch):
    nobody_provides(monkeypatch)
    config = apps.get_app_config("consent")
    monkeypatch.setattr(
        config,
        "carepact_provides",
        {
            "public.datasets": "tests.integration.outcomes.test_seams.datasets",
            "recognition": "tests.integration.outcomes.test_seams.reviews",
        },
        raising=False,
    )
    reading = seams.read("public.datasets", object())
    assert reading.measured and reading.value[0]["patients"] == 120
    assert seams.collect("recognition", object(), {1})[0]["kind"] == "review_done"


def test_unknown_seams_are_refused_both_ways():
    with pytest.raises(KeyError):
        seams.register("happiness", datasets)
    with pytest.raises(KeyError):
        seams.read("happiness")


def test_a_single_provider_seam_keeps_the_latest_registration():
    seams.register("public.patient_page", lambda p: Reading("/a/"))
    seams.register("public.patient_page", lambda p: "/b/")  # a bare value is wrapped
    try:
        assert seams.read("public.patient_page", object()).value == "/b/"
    finally:
        seams.unregister("public.patient_page")
