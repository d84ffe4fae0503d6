from pathlib import Path

import pytest

from carepact.core.config import ConfigError, parse_bool, parse_database_url, parse_email_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False), ("", False)],
)
def test_parse_bool_accepts_the_usual_words(raw, expected):
    assert parse_bool("X", raw, default=not expected) is expected


def test_parse_bool_uses_the_default_when_unset():
    assert parse_bool("X", None, default=True) is True


def test_parse_bool_rejects_anything_else_naming_the_variable():
    with pytest.raises(ConfigError, match="CAREPACT_DEBUG"):
        parse_bool("CAREPACT_DEBUG", "maybe", default=False)


def test_database_url_sqlite_relative_path_is_taken_from_base_dir(tmp_path):
    entry = parse_database_url("sqlite:///var/db.sqlite3", base_dir=tmp_path)
    assert entry["ENGINE"] == "django.db.backends.sqlite3"
    assert entry["NAME"] == str(tmp_path / "var" / "db.sqlite3")


def test_database_url_sqlite_absolute_path():
    entry = parse_database_url("sqlite:////srv/carepact/db.sqlite3", base_dir=Path("/elsewhere"))
    assert entry["NAME"] == "/srv/carepact/db.sqlite3"


def test_database_url_postgres_parts_are_decoded():
    entry = parse_database_url(
        "postgresql://carepact:p%40ss@db.internal:6543/care?sslmode=require", base_dir=Path(".")
    )
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["USER"], entry["PASSWORD"], entry["HOST"], entry["PORT"], entry["NAME"]) == (
        "carepact",
        "p@ss",
        "db.internal",
        "6543",
        "care",
    )
    assert entry["OPTIONS"] == {"sslmode": "require"}


def test_database_url_without_database_name_is_refused():
    with pytest.raises(ConfigError, match="names no database"):
        parse_database_url("postgresql://postgres@localhost:5432/", base_dir=Path("."))


def test_database_url_unknown_scheme_is_refused_with_the_supported_forms():
    with pytest.raises(ConfigError, match="sqlite:///"):
        parse_database_url("mysql://root@localhost/db", base_dir=Path("."))


def test_email_url_smtp(tmp_path):
    email = parse_email_url("smtp://mailer:secret@smtp.example.org:587", data_dir=tmp_path)
    options = email["OPTIONS"]
    assert options["host"] == "smtp.example.org"
    assert options["port"] == 587
    assert options["use_tls"] is True
    assert options["password"] == "secret"


def test_email_url_file_writes_under_the_data_dir(tmp_path):
    email = parse_email_url("file:", data_dir=tmp_path)
    assert email["OPTIONS"]["file_path"] == str(tmp_path / "mail")
