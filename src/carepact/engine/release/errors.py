"""The one exception for bad input to a release.

Messages name fields, columns, files and counts, never a value from the data, so they can
be shown, logged and stored in a job's record without leaking a patient's details.
"""

from __future__ import annotations


class ReleaseError(Exception):
    """A release cannot go ahead: bad spec, bad input, or a privacy model it cannot meet."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
