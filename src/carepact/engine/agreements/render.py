"""Clause text templates: ``{{ name }}`` placeholders filled with rendered parameters.

A template is plain text; a blank line starts a new paragraph (each numbered as a
sub-clause in documents). Only declared parameter names may appear in placeholders, which
:func:`check_template` verifies when an administrator saves a clause version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from carepact.engine.agreements.params import Context, ParamError, ParamSpec, render

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


def placeholders(text: str) -> list[str]:
    """The parameter names a template uses, in order of first use."""
    seen: list[str] = []
    for name in PLACEHOLDER.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def check_template(text: str, specs: Iterable[ParamSpec]) -> None:
    """Raise :class:`ParamError` when the template is empty, malformed or names an
    undeclared parameter."""
    if not text.strip():
        raise ParamError("A clause needs its text.")
    names = {s.name for s in specs}
    unknown = [n for n in placeholders(text) if n not in names]
    if unknown:
        raise ParamError(
            f"The text uses {', '.join('{{ ' + n + ' }}' for n in unknown)}, which "
            "are not declared parameters."
        )
    stray = re.sub(PLACEHOLDER, "", text)
    if "{{" in stray or "}}" in stray:
        raise ParamError(
            "The text has a '{{' or '}}' that is not a placeholder: write placeholders as "
            "{{ name }} with a lower-case parameter name."
        )


def render_text(
    text: str, specs: Iterable[ParamSpec], values: Mapping[str, Any], ctx: Context
) -> str:
    """The clause as it reads with these parameter values."""
    by_name = {s.name: s for s in specs}

    def fill(match: re.Match) -> str:
        spec = by_name.get(match.group(1))
        if spec is None:
            return match.group(0)
        return render(spec, values.get(spec.name), ctx)

    return PLACEHOLDER.sub(fill, text).strip()


def paragraphs(text: str) -> list[str]:
    """The rendered text split into paragraphs (blank-line separated), each on one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
