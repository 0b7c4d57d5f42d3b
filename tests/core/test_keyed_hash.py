"""The keyed hash (core/keyed_hash.py) gives exactly HMAC-SHA256's bytes: it signs the access log's chain
and the blind indexes, so a single differing byte would break every stored chain and index."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from waakvlam.core.encryption import blind_index
from waakvlam.core.keyed_hash import KeyedSha256, keyed_sha256


@hypothesis_settings(max_examples=300, deadline=None)
@given(key=st.binary(min_size=0, max_size=200), message=st.binary(max_size=500))
def test_equals_hmac_for_any_key_and_message(key: bytes, message: bytes) -> None:
    # Keys shorter than, equal to and longer than SHA-256's 64-byte block take different paths.
    assert KeyedSha256(key).digest(message) == hmac.digest(key, message, "sha256")


def test_block_edges_and_reuse() -> None:
    for size in (0, 1, 63, 64, 65, 128):
        key = bytes(range(size % 256)) if size < 256 else b"k" * size
        signer = keyed_sha256(key)
        for message in (b"", b"a", b"x" * 1000):
            # Twice each: the signer copies its states, so one message does not leak into the next.
            assert signer.hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()
            assert signer.hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_blind_index_is_the_hmac_of_the_purposes_key(settings: object) -> None:
    settings.BLIND_INDEX_KEY = "een-sleutel"  # type: ignore[attr-defined]
    purpose_key = hmac.new(b"een-sleutel", b"blind-index:email", hashlib.sha256).digest()
    expected = hmac.new(purpose_key, b"a@example.org", hashlib.sha256).hexdigest()
    assert blind_index("a@example.org", purpose="email") == expected
    settings.BLIND_INDEX_KEY = "een-andere-sleutel"  # type: ignore[attr-defined]
    assert blind_index("a@example.org", purpose="email") != expected
    assert blind_index("", purpose="email") == ""
