"""Encrypted model fields for contact details, and the blind index to find them without decrypting.

django-fernet-encrypted-fields derives its Fernet keys from SECRET_KEY and SALT_KEY. Ours derive them from
settings.FIELD_ENCRYPTION_KEYS (WAAKVLAM_FIELD_ENCRYPTION_KEY) alone: the first key encrypts, every listed
key decrypts, so a key is rotated by putting the new one in front and re-saving the rows.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.utils.functional import cached_property
from encrypted_fields import fields as encrypted

from waakvlam.core.keyed_hash import KeyedSha256, keyed_sha256

_SALT = b"waakvlam-field-encryption-v1"


@functools.lru_cache(maxsize=8)
def _fernet_key(secret: str) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=_SALT, iterations=100_000)
    return base64.urlsafe_b64encode(kdf.derive(secret.encode()))


def field_keys() -> list[bytes]:
    return [_fernet_key(secret) for secret in settings.FIELD_ENCRYPTION_KEYS]


class _WaakvlamKeys:
    @cached_property
    def keys(self) -> list[bytes]:
        return field_keys()

    @cached_property
    def f(self) -> Fernet | MultiFernet:
        keys = self.keys
        return Fernet(keys[0]) if len(keys) == 1 else MultiFernet([Fernet(k) for k in keys])


class EncryptedCharField(_WaakvlamKeys, encrypted.EncryptedCharField):  # type: ignore[misc]
    pass


class EncryptedTextField(_WaakvlamKeys, encrypted.EncryptedTextField):  # type: ignore[misc]
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of a normalised value: equal inputs give equal indexes, and without the key the index
    reveals nothing. `purpose` keeps indexes of different fields from being comparable."""
    if not value:
        return ""
    return _index_signer(settings.BLIND_INDEX_KEY, purpose).hexdigest(value.encode())


@functools.lru_cache(maxsize=16)
def _index_signer(secret: str, purpose: str) -> KeyedSha256:
    """The purpose's own key (an HMAC of the purpose under the blind-index secret), ready to sign with."""
    return keyed_sha256(hmac.new(secret.encode(), f"blind-index:{purpose}".encode(), hashlib.sha256).digest())


def email_index(email: str) -> str:
    return blind_index(normalise_email(email), purpose="email")
