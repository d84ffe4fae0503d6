"""Serve Plotly's JavaScript from the installed plotly package, as ``vendor/plotly.min.js``.

No third-party script is copied into the repository; the version is the one pip installed.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PLOTLY_PATH = "vendor/plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False):
        if path == PLOTLY_PATH:
            found = str(PLOTLY_DIR / "plotly.min.js")
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage


@functools.cache
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the style elements Plotly's bundle creates when it loads, unless one exists.

    The bundle adds MapLibre's style sheet (for map traces, which carepact never draws)
    as an inline ``<style>`` that our CSP refuses. An empty, nonce'd element with the same id,
    put on the page first, makes the bundle skip it, so the console stays clean.
    """
    text = (PLOTLY_DIR / "plotly.min.js").read_text(encoding="utf-8")
    return tuple(
        dict.fromkeys(
            re.findall(
                r'getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)',
                text,
            )
        )
    )
