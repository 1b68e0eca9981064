"""The first FieldCipher, verbatim (commit 2bdf89bf): what existing deployments wrote."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.crypto import FieldCipher

_VERSION = b"\x01"
_NONCE_BYTES = 12


class OldDecryptionError(Exception):
    """The value cannot be decrypted with this key (wrong key, or the data was altered)."""


class OldFieldCipher:
    """Encrypts and decrypts single text fields; also derives keyed, one-way digests."""

    def __init__(self, key_b64: str) -> None:
        key = base64.urlsafe_b64decode(key_b64.encode())
        if len(key) != 32:
            raise ValueError("the data key must be 32 bytes")
        self._aead = AESGCM(hashlib.sha256(b"pamoja.encrypt" + key).digest())
        self._mac_key = hashlib.sha256(b"pamoja.digest" + key).digest()

    def encrypt(self, plaintext: str, context: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return _VERSION + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        if len(blob) < 1 + _NONCE_BYTES + 16 or blob[:1] != _VERSION:
            raise OldDecryptionError("unknown format")
        nonce, sealed = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, sealed, context.encode()).decode()
        except InvalidTag:
            raise OldDecryptionError("wrong key or altered data") from None

    def encrypt_optional(self, plaintext: str | None, context: str) -> bytes | None:
        return None if plaintext is None else self.encrypt(plaintext, context)

    def decrypt_optional(self, blob: bytes | None, context: str) -> str | None:
        return None if blob is None else self.decrypt(blob, context)

    def digest(self, value: str, purpose: str) -> str:
        """A keyed one-way digest: equal inputs match, the input cannot be read back."""
        mac = hmac.new(self._mac_key, purpose.encode() + b"\x00" + value.encode(), "sha256")
        return mac.hexdigest()


class LegacyWritingCipher(FieldCipher):
    """Today's cipher made to write as the first one did: to build a pre-rotation database."""

    def __init__(self, key_b64: str) -> None:
        super().__init__(key_b64)
        self._old = OldFieldCipher(key_b64)
        self.use_digests(f"legacy:{self.current.kid}")

    def encrypt(self, plaintext: str, context: str) -> bytes:
        return self._old.encrypt(plaintext, context)
