from __future__ import annotations

import base64

import pytest

from bot.crypto import DecryptionError, FieldCipher
from tests.conftest import TEST_KEY


def test_round_trip_and_context_binding() -> None:
    cipher = FieldCipher(TEST_KEY)
    blob = cipher.encrypt("+254700000123", "circle.phone")
    assert b"254700000123" not in blob
    assert cipher.decrypt(blob, "circle.phone") == "+254700000123"
    with pytest.raises(DecryptionError):
        cipher.decrypt(blob, "circle.name")


def test_wrong_key_never_yields_garbage() -> None:
    blob = FieldCipher(TEST_KEY).encrypt("call my sister first", "circle.notes")
    other = FieldCipher(base64.urlsafe_b64encode(b"x" * 32).decode())
    with pytest.raises(DecryptionError):
        other.decrypt(blob, "circle.notes")


def test_tampered_value_is_refused() -> None:
    cipher = FieldCipher(TEST_KEY)
    blob = bytearray(cipher.encrypt("help text", "circle.help"))
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        cipher.decrypt(bytes(blob), "circle.help")


def test_digest_is_keyed_and_stable() -> None:
    cipher = FieldCipher(TEST_KEY)
    assert cipher.digest("0700000001", "phone") == cipher.digest("0700000001", "phone")
    assert cipher.digest("0700000001", "phone") != cipher.digest("0700000001", "link")
    assert "0700000001" not in cipher.digest("0700000001", "phone")
