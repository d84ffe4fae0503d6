from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "carepact.core"
    label = "core"
    verbose_name = "carepact core"

    def ready(self) -> None:
        # The instance's state lives here (SQLite file, release outputs, mail); a fresh
        # machine has none of it yet.
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if settings.STATIC_ROOT:
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
