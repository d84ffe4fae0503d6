import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from carepact.core import keys


@pytest.fixture(autouse=True)
def fresh_key_cache():
    keys.identity_key.cache_clear()
    yield
    keys.identity_key.cache_clear()


def test_key_file_is_made_once_private_and_reused(settings, tmp_path):
    settings.DATA_DIR, settings.IDENTITY_KEY = tmp_path, ""
    first = keys.identity_key()
    path = tmp_path / "keys" / "identity.key"
    assert len(first) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    keys.identity_key.cache_clear()
    assert keys.identity_key() == first


def test_setting_wins_and_is_checked(settings, tmp_path):
    settings.DATA_DIR, settings.IDENTITY_KEY = tmp_path, "ab" * 32
    assert keys.identity_key() == bytes.fromhex("ab" * 32)
    assert not (tmp_path / "keys").exists()
    keys.identity_key.cache_clear()
    settings.IDENTITY_KEY = "abcd"
    with pytest.raises(ImproperlyConfigured, match="shorter than 32 bytes"):
        keys.identity_key()


def test_derived_keys_differ_by_purpose_and_hash_like_the_release_engine(settings, tmp_path):
    import hashlib
    import hmac

    settings.DATA_DIR, settings.IDENTITY_KEY = tmp_path, "01" * 32
    registry, pseudonyms = keys.derive("registry:org:1"), keys.derive("pseudonym:dataset:1")
    assert registry != pseudonyms
    expected = hmac.new(registry, b"9434765919", hashlib.sha256).hexdigest()
    assert keys.keyed_hash(registry, "9434765919") == expected
    assert keys.keyed_hash(registry, "9434765919") != keys.keyed_hash(pseudonyms, "9434765919")
    assert len(keys.key_id(registry)) == 16 and keys.key_id(registry) not in registry.hex()
