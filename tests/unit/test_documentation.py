"""Every setting and every command is documented (a test fails when one is added without)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "carepact"


def settings_read() -> set[str]:
    source = (SRC / "settings.py").read_text()
    return {f"CAREPACT_{name}" for name in re.findall(r'_(?:env|bool)\(\s*"([A-Z_]+)"', source)}


def commands() -> set[str]:
    return {
        path.stem
        for path in SRC.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }


def test_settings_are_found():
    assert {
        "CAREPACT_DATABASE_URL",
        "CAREPACT_SECRET_KEY",
        "CAREPACT_DEBUG",
        "CAREPACT_ALLOWED_HOSTS",
        "CAREPACT_DATA_DIR",
    } <= settings_read()


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(name for name in settings_read() if f"`{name}`" not in doc)
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_only_settings_py_reads_carepact_variables():
    offenders = [
        str(path.relative_to(ROOT))
        for path in SRC.rglob("*.py")
        if path.name != "settings.py"
        and re.search(r"environ[^\n]*CAREPACT_|getenv\([^\n]*CAREPACT_", path.read_text())
    ]
    assert not offenders, offenders


def test_every_command_is_documented():
    """In docs/cli.md, or in the guide of the capability it belongs to (linked from there)."""
    docs = "\n".join(path.read_text() for path in (ROOT / "docs").glob("*.md"))
    missing = sorted(name for name in commands() if f"carepact {name}" not in docs)
    assert not missing, f"document these in docs/: {missing}"


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text()[:1500]
    assert "make demo" in head and "make test" in head
