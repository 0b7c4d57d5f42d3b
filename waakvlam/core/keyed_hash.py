"""HMAC-SHA256 for the paths that sign many messages with one key: the access log's chain, blind indexes.

`hmac.digest` and `hmac.new` set up OpenSSL's HMAC again for every message: 7.2 µs a message on the
2-core bench machine (OpenSSL 3.0). The HMAC construction of RFC 2104 is two hashes over the key's inner
and outer pads; hashing each padded key once and copying those states per message gives the same bytes
for 3.3 µs (docs/benchmarks.md, "Import"). A file import signs two messages a row, so this is a tenth of
its CPU. `tests/core/test_keyed_hash.py` holds it to `hmac.digest` on random keys and messages.
"""

from __future__ import annotations

import functools
import hashlib

__all__ = ["KeyedSha256", "keyed_sha256"]

_BLOCK = 64  # SHA-256's block size in bytes
_INNER = bytes(x ^ 0x36 for x in range(256))
_OUTER = bytes(x ^ 0x5C for x in range(256))


class KeyedSha256:
    """HMAC-SHA256 under one key; `digest(message)` equals `hmac.digest(key, message, "sha256")`."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(key.translate(_INNER))
        self._outer = hashlib.sha256(key.translate(_OUTER))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def hexdigest(self, message: bytes) -> str:
        return self.digest(message).hex()


@functools.lru_cache(maxsize=16)
def keyed_sha256(key: bytes) -> KeyedSha256:
    """The signer for `key`, made once: the keys are few (settings), the messages many."""
    return KeyedSha256(key)
