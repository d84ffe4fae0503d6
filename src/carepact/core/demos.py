"""The demo loader: each app contributes its part through a ``demo`` module.

An app's ``demo.py`` defines ``load(ctx: DemoContext) -> None``. Apps load in the order of
INSTALLED_APPS, each once per database (a marker row records it), so running the demo again
reuses what is there and a newly installed app adds only its own part.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from carepact.core.models import DemoLoad

DEMO_PASSWORD = "carepact-demo-2026"  # noqa: S105  (printed to the person running the demo)


@dataclass
class Login:
    email: str
    name: str
    organisation: str
    what: str


@dataclass
class DemoContext:
    password: str = DEMO_PASSWORD
    logins: list[Login] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def loaders():
    for config in apps.get_app_configs():
        if not config.name.startswith("carepact."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        yield config.label, module


def load() -> DemoContext:
    """Load every app's demo part that this database does not have yet."""
    ctx = DemoContext()
    describers = []
    for label, module in loaders():
        with transaction.atomic():
            if DemoLoad.objects.filter(app=label).exists():
                ctx.skipped.append(label)
            else:
                module.load(ctx)
                DemoLoad.objects.create(app=label)
                ctx.loaded.append(label)
        if hasattr(module, "logins"):
            describers.append(module.logins)
    for describe in describers:
        ctx.logins.extend(describe())
    return ctx
