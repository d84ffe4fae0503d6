"""How long a request has waited, on the Requests page and the request's own page, and the
turnaround per dataset and per requesting party, measured on the clock the services use."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from carepact.core import clock
from carepact.data import services
from carepact.data.models import AccessRequest
from tests.integration.data.conftest import REQUEST, atomic

T0 = datetime(2027, 3, 1, 9, tzinfo=UTC)
DAY = timedelta(days=1)
ASK = {**REQUEST, "purpose": "HMB"}  # within the dataset's draft terms


def ask(who, dataset, at):
    with clock.travel(at):
        return atomic(services.submit_request, who, dataset, **ASK)


def answer(steward, request, at, verdict="approve"):
    note = "" if verdict == "approve" else "Not within the terms we can offer."
    with clock.travel(at):
        atomic(services.review_request, steward, request, verdict=verdict, note=note)


def cells(page: str, request_id: int) -> str:
    """The Requests page's row for one request, tags stripped."""
    row = re.search(rf'<tr><td><a href="[^"]*/requests/{request_id}/">.*?</tr>', page, re.S)
    assert row, request_id
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_waiting_time_is_shown_in_days_after_time_passes(data_world, dataset, client_for):
    steward = client_for(data_world.steward)
    waiting = ask(data_world.researcher, dataset, T0)
    answered = ask(data_world.academic, dataset, T0 + DAY)
    answer(data_world.steward, answered, T0 + 4 * DAY + timedelta(hours=3))
    with clock.travel(T0 + 9 * DAY + timedelta(hours=5)):
        listing = steward.get("/p/scan-triage/data/requests/").content.decode()
        assert cells(listing, waiting.pk).endswith("9 days")
        assert cells(listing, answered.pk).endswith("answered in 3 days")
        own = steward.get(f"/p/scan-triage/data/requests/{waiting.pk}/").content.decode()
        assert "waiting 9 days" in own
        own = steward.get(f"/p/scan-triage/data/requests/{answered.pk}/").content.decode()
        assert "answered after 3 days" in own
    # A day later the open one has waited a day more; the answered one has not.
    with clock.travel(T0 + 10 * DAY + timedelta(hours=5)):
        listing = steward.get("/p/scan-triage/data/requests/").content.decode()
        assert cells(listing, waiting.pk).endswith("10 days")
        assert cells(listing, answered.pk).endswith("answered in 3 days")
        # One day exactly is singular.
        fresh = ask(data_world.researcher, dataset, T0 + 9 * DAY + timedelta(hours=4))
        listing = steward.get("/p/scan-triage/data/requests/").content.decode()
        assert cells(listing, fresh.pk).endswith(" 1 day")


def test_turnaround_is_the_median_from_first_submission_to_decision(data_world, dataset):
    w = data_world.world
    steward = data_world.steward
    # The company: answered in 2 days, and in 9 (after a round of changes); one still open.
    quick = ask(data_world.researcher, dataset, T0)
    answer(steward, quick, T0 + 2 * DAY)
    slow = ask(data_world.researcher, dataset, T0 + DAY)
    with clock.travel(T0 + 3 * DAY):
        atomic(
            services.review_request,
            steward,
            slow,
            verdict="changes",
            note="Say which columns you need.",
        )
    with clock.travel(T0 + 5 * DAY):
        atomic(services.resubmit_request, data_world.researcher, slow, columns=["age", "sex"])
    answer(steward, slow, T0 + 10 * DAY, verdict="reject")
    still_open = ask(data_world.researcher, dataset, T0 + 6 * DAY)
    # The university: answered in 4 days.
    uni = ask(data_world.academic, dataset, T0 + 2 * DAY)
    answer(steward, uni, T0 + 6 * DAY)
    assert AccessRequest.objects.get(pk=slow.pk).status == AccessRequest.Status.REJECTED

    with clock.travel(T0 + 12 * DAY):
        found = services.turnaround(w.partnership)
        (by_dataset,) = found["dataset"]
        assert by_dataset.label == dataset.name
        assert (by_dataset.decided, by_dataset.open) == (3, 1)
        assert by_dataset.median_days == 4.0  # of 2, 4 and 9 days
        assert by_dataset.longest_open_days == 6.0  # still_open, asked on day 6
        by_party = {t.label: t for t in found["party"]}
        company, university = by_party[w.company.name], by_party[data_world.university.name]
        assert (company.decided, company.open, company.median_days) == (2, 1, 5.5)
        assert company.longest_open_days == 6.0
        assert (university.decided, university.open, university.median_days) == (1, 0, 4.0)
        assert university.longest_open_days is None
        assert still_open.is_open
