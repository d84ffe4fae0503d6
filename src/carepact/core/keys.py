"""The instance's secret for keyed hashes of patient identifiers, and keys derived from it.

carepact never stores an NHS number in its own tables: the consent registry, withdrawal
tracing and release membership indexes hold HMAC-SHA-256 hashes of identifiers under a key
derived from this secret. Per-purpose keys are derived (HMAC of a label), so the hash that
finds a person in the consent registry cannot be computed from a pseudonym a partner holds,
and pseudonyms for different recipients are unlinkable.

The secret comes from ``CAREPACT_IDENTITY_KEY`` (64 hex characters) when set; otherwise from
``<data dir>/keys/identity.key``, created with 32 random bytes on first use (owner-only
permissions). Lose it and no stored hash can be matched again: back it up with the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32


def _from_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(KEY_BYTES))
        try:
            os.link(temporary, path)  # atomic, and never overwrites a key another process made
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return _parse(path.read_text().strip(), str(path))


def _parse(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"The identity key in {where} is not hexadecimal.") from exc
    if len(key) < KEY_BYTES:
        raise ImproperlyConfigured(
            f"The identity key in {where} is shorter than {KEY_BYTES} bytes "
            f"({2 * KEY_BYTES} hex characters)."
        )
    return key


@cache
def identity_key() -> bytes:
    if settings.IDENTITY_KEY:
        return _parse(settings.IDENTITY_KEY, "CAREPACT_IDENTITY_KEY")
    return _from_file(Path(settings.DATA_DIR) / "keys" / "identity.key")


def derive(label: str) -> bytes:
    """A key for one purpose, e.g. ``"registry:org:12"`` or ``"pseudonym:dataset:3:org:7"``."""
    return hmac.new(identity_key(), label.encode("utf-8"), hashlib.sha256).digest()


def keyed_hash(key: bytes, identifier: str) -> str:
    """Lowercase hex HMAC-SHA-256 of the identifier's UTF-8 text (the release engine's form)."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A short, non-secret name for a key, for manifests and audit records."""
    return hashlib.sha256(b"carepact-key-id:" + key).hexdigest()[:16]
