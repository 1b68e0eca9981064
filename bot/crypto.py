"""Field encryption for what members trust us with (the "locked drawer").

AES-256-GCM with keys derived from ``PAMOJA_DATA_KEY`` by HKDF-SHA256, one derived key per
purpose (encryption, each kind of digest, the key's public id). Each value is bound to the place
it is stored in (``context``, for example ``"person.phone"``), so a ciphertext copied into another
column does not decrypt. A wrong key raises ``DecryptionError``; it never yields garbage.

Key rotation: ``PAMOJA_DATA_KEY`` may list several keys separated by commas, the one new values
are written with first. Every ciphertext starts with the id of the key that made it, so old
values keep decrypting until ``pamoja rekey`` has re-encrypted them; then the old key can go.

Formats (the first byte):

* ``0x02`` + key id (4 bytes) + nonce (12) + sealed: the current form.
* ``0x01`` + nonce (12) + sealed: the first form ("legacy"), whose keys were
  ``sha256(label + key)``; still read, so that existing deployments upgrade, never written.

Keyed digests (for lookups by a value that is not stored in clear) are made with one scheme per
database, recorded in the database itself (``digest_scheme``), so that putting a new key first
does not silently change every lookup; ``pamoja rekey`` moves them to the current key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_LEGACY = b"\x01"
_TAGGED = b"\x02"
_NONCE_BYTES = 12
_KID_BYTES = 4
_TAG_BYTES = 16
_SALT = b"pamoja/v2"
LEGACY = "legacy"


class DecryptionError(Exception):
    """The value cannot be decrypted with this key (wrong key, or the data was altered)."""


def _hkdf(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(key)


def parse_keys(keys: str | Sequence[str]) -> list[bytes]:
    """``"new,old"`` (or a list) to raw 32-byte keys; ``ValueError`` when one is malformed."""
    items = keys.split(",") if isinstance(keys, str) else list(keys)
    raw_keys: list[bytes] = []
    for item in (item.strip() for item in items):
        if not item:
            continue
        raw = base64.urlsafe_b64decode(item.encode())
        if len(raw) != 32:
            raise ValueError("the data key must be 32 bytes")
        raw_keys.append(raw)
    if not raw_keys:
        raise ValueError("no data key")
    return raw_keys


@dataclass
class DataKey:
    """One data key and what is derived from it. ``kid`` is public: it identifies, not reveals."""

    raw: bytes = field(repr=False)
    kid: str = field(init=False)
    aead: AESGCM = field(init=False, repr=False)
    legacy_aead: AESGCM = field(init=False, repr=False)
    _macs: dict[str, bytes] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.kid = _hkdf(self.raw, b"pamoja/key-id")[:_KID_BYTES].hex()
        self.aead = AESGCM(_hkdf(self.raw, b"pamoja/encrypt"))
        self.legacy_aead = AESGCM(hashlib.sha256(b"pamoja.encrypt" + self.raw).digest())

    def digest(self, value: str, purpose: str, *, legacy: bool = False) -> str:
        if legacy:
            mac_key = hashlib.sha256(b"pamoja.digest" + self.raw).digest()
            message = purpose.encode() + b"\x00" + value.encode()
            return hmac.new(mac_key, message, "sha256").hexdigest()
        derived = self._macs.get(purpose)
        if derived is None:
            derived = self._macs[purpose] = _hkdf(self.raw, b"pamoja/digest/" + purpose.encode())
        return hmac.new(derived, value.encode(), "sha256").hexdigest()


class FieldCipher:
    """Encrypts and decrypts single text fields; also derives keyed, one-way digests.

    ``key_b64`` is one URL-safe base64 key, or several separated by commas (the first writes).
    """

    def __init__(self, key_b64: str | Sequence[str]) -> None:
        self.keys = [DataKey(raw) for raw in parse_keys(key_b64)]
        self._by_kid = {key.kid: key for key in self.keys}
        self.current = self.keys[0]
        self._digest_key = self.current
        self._digest_legacy = False

    # -- keys and schemes -----------------------------------------------------------------
    @property
    def key_ids(self) -> list[str]:
        return [key.kid for key in self.keys]

    def has_key(self, kid: str) -> bool:
        return kid in self._by_kid

    @property
    def digest_scheme(self) -> str:
        """``"<kid>"`` or ``"legacy:<kid>"``: which key (and form) digests are made with."""
        kid = self._digest_key.kid
        return f"{LEGACY}:{kid}" if self._digest_legacy else kid

    @property
    def current_scheme(self) -> str:
        return self.current.kid

    def use_digests(self, scheme: str) -> None:
        """Make digests as the database's recorded scheme says; ``KeyError`` if its key is gone."""
        legacy, _, kid = scheme.rpartition(":")
        self._digest_key = self._by_kid[kid]
        self._digest_legacy = legacy == LEGACY

    def digest_with(self, scheme: str, value: str, purpose: str) -> str:
        legacy, _, kid = scheme.rpartition(":")
        return self._by_kid[kid].digest(value, purpose, legacy=legacy == LEGACY)

    @staticmethod
    def key_id_of(blob: bytes) -> str:
        """The id of the key a ciphertext was made with, ``"legacy"`` for the first form."""
        if blob[:1] == _TAGGED and len(blob) > 1 + _KID_BYTES:
            return blob[1 : 1 + _KID_BYTES].hex()
        return LEGACY

    def legacy_key_id(self, blob: bytes, context: str) -> str:
        """Which of the keys made a first-form ciphertext; ``DecryptionError`` if none did."""
        for key in self.keys:
            if self._open_legacy(key, blob, context) is not None:
                return key.kid
        raise DecryptionError("wrong key or altered data")

    # -- fields ---------------------------------------------------------------------------
    def encrypt(self, plaintext: str, context: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self.current.aead.encrypt(nonce, plaintext.encode(), context.encode())
        return _TAGGED + bytes.fromhex(self.current.kid) + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        if blob[:1] == _TAGGED:
            head = 1 + _KID_BYTES
            if len(blob) < head + _NONCE_BYTES + _TAG_BYTES:
                raise DecryptionError("unknown format")
            key = self._by_kid.get(blob[1:head].hex())
            if key is None:
                raise DecryptionError("made with a key that is not in PAMOJA_DATA_KEY")
            nonce, sealed = blob[head : head + _NONCE_BYTES], blob[head + _NONCE_BYTES :]
            try:
                return key.aead.decrypt(nonce, sealed, context.encode()).decode()
            except InvalidTag:
                raise DecryptionError("wrong key or altered data") from None
        if blob[:1] == _LEGACY and len(blob) >= 1 + _NONCE_BYTES + _TAG_BYTES:
            for key in self.keys:
                plain = self._open_legacy(key, blob, context)
                if plain is not None:
                    return plain
            raise DecryptionError("wrong key or altered data")
        raise DecryptionError("unknown format")

    @staticmethod
    def _open_legacy(key: DataKey, blob: bytes, context: str) -> str | None:
        nonce, sealed = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        try:
            return key.legacy_aead.decrypt(nonce, sealed, context.encode()).decode()
        except InvalidTag:
            return None

    def encrypt_optional(self, plaintext: str | None, context: str) -> bytes | None:
        return None if plaintext is None else self.encrypt(plaintext, context)

    def decrypt_optional(self, blob: bytes | None, context: str) -> str | None:
        return None if blob is None else self.decrypt(blob, context)

    def digest(self, value: str, purpose: str) -> str:
        """A keyed one-way digest: equal inputs match, the input cannot be read back."""
        return self._digest_key.digest(value, purpose, legacy=self._digest_legacy)
