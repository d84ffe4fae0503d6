"""Decisions that carry their reasons."""

from __future__ import annotations

from dataclasses import dataclass

from carepact.core.errors import Denied


@dataclass(frozen=True)
class Decision:
    """Allowed, or not with a reason a person can act on."""

    allowed: bool
    reason: str = ""

    @classmethod
    def allow(cls, reason: str = "") -> Decision:
        return cls(True, reason)

    @classmethod
    def deny(cls, reason: str) -> Decision:
        return cls(False, reason)

    def __bool__(self) -> bool:
        return self.allowed

    def check(self) -> None:
        """Raise :class:`Denied` with the reason when not allowed."""
        if not self.allowed:
            raise Denied(self.reason)
