"""Data governance services: datasets, policies, requests, releases and obligations.

Each function takes the acting person first, checks the rules (``data.rules``) and the
dataset's policy (``data.policies``), changes rows and appends its audit event in the
caller's transaction; jobs are queued with ``transaction.on_commit``.
"""

from .datasets import (
    catalogue_for,
    datasets_of,
    draft_terms,
    get_dataset,
    register_dataset,
    request_profile,
    run_profile,
    set_columns,
    update_dataset,
)
from .obligations import (
    acknowledge,
    get_obligation,
    obligations_of,
    trace_withdrawals,
    usage_of,
)
from .releases import (
    build_spec,
    download,
    download_refusal,
    execute_release,
    get_release,
    release_refusal,
    releases_of,
    retry_release,
    start_release,
)
from .requests import (
    PolicyDenied,
    get_request,
    named_people,
    requests_of,
    resubmit_request,
    review_request,
    submit_request,
    turnaround,
    waiting,
)

__all__ = [
    "PolicyDenied",
    "acknowledge",
    "build_spec",
    "catalogue_for",
    "datasets_of",
    "download",
    "download_refusal",
    "draft_terms",
    "execute_release",
    "get_dataset",
    "get_obligation",
    "get_release",
    "get_request",
    "named_people",
    "obligations_of",
    "register_dataset",
    "release_refusal",
    "releases_of",
    "request_profile",
    "requests_of",
    "resubmit_request",
    "retry_release",
    "review_request",
    "run_profile",
    "set_columns",
    "start_release",
    "submit_request",
    "trace_withdrawals",
    "turnaround",
    "update_dataset",
    "usage_of",
    "waiting",
]
