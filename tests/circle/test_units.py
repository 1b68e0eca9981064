"""Pure rules (phone numbers, consent validity) and the "one gate" property of the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.circle import consent
from bot.circle.phone import InvalidPhoneError, normalise
from bot.records.circle import ConsentEntry
from bot.storage.store import Store

ROOT = Path(__file__).resolve().parents[2] / "bot"


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("0712 345 678", "KE", "+254712345678"),
        ("+254712345678", "KE", "+254712345678"),
        ("0712-345-678", "KE", "+254712345678"),
        ("+44 20 7946 0958", "KE", "+442079460958"),
        ("0772 123456", "UG", "+256772123456"),
    ],
)
def test_phone_numbers_are_normalised(raw: str, country: str, expected: str) -> None:
    assert normalise(raw, country) == expected


@pytest.mark.parametrize("raw", ["", "12", "call me", "0712", "+999 123", "1" * 40])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneError):
        normalise(raw, "KE")


def entry(event: str, expires_at: int | None) -> ConsentEntry:
    return ConsentEntry(1, 1, 1, "see", "advance", None, event, expires_at, 60, None, 0)


def test_consent_validity() -> None:
    assert consent.is_valid(entry("given", None), 100)
    assert consent.is_valid(entry("given", 101), 100)
    assert not consent.is_valid(entry("given", 100), 100)
    assert consent.has_lapsed(entry("given", 100), 100)
    assert not consent.is_valid(entry("withdrawn", None), 100)
    assert not consent.is_valid(entry("expired", None), 100)
    assert not consent.is_valid(None, 100)


async def test_the_ledger_is_append_only(store: Store) -> None:
    import sqlite3

    consent_id = await store.ledger.append(1, 2, "see", scope="advance", event="given")
    with pytest.raises(sqlite3.IntegrityError):
        await store.db.execute(
            "UPDATE circle_consents SET event = 'withdrawn' WHERE id = ?", (consent_id,)
        )


async def test_fields_are_bound_to_their_column(store: Store) -> None:
    """A phone ciphertext copied into the name column does not decrypt (authenticated)."""
    from bot.crypto import DecryptionError

    pid = await store.circle.add_person(1, "Name", phone="+254712345678")
    await store.db.execute("UPDATE circle_persons SET name = phone WHERE id = ?", (pid,))
    with pytest.raises(DecryptionError):
        await store.circle.person(pid)


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in ROOT.rglob("*.py")
        if "emulator" not in path.parts
    }


def test_only_the_gate_sends_details_and_help_texts_to_others() -> None:
    """Texts that carry a person's details or a help text to someone else appear only in the
    disclosure gate (the member's own preview of the help text is the one other use)."""
    for name, source in _sources().items():
        for key in ("circle.card_line", "circle.card_member", "circle.card_concern"):
            if key in source:
                assert name == "circle/disclosure.py", (name, key)
        if "circle.help_message" in source:
            assert name in ("circle/disclosure.py", "handlers/circle/persons.py"), name
        if re.search(r"record_disclosure\(", source):
            assert name in ("circle/disclosure.py", "storage/circle_ledger.py"), name


def test_decrypted_details_are_read_only_where_expected() -> None:
    allowed = {
        "circle/disclosure.py",  # the gate
        "circle/data.py",  # the member's own export
        "handlers/circle/persons.py",  # the member's own view of their circle
        "handlers/circle/consent.py",  # the member's own consents view
        "crypto.py",  # a docstring
    }
    pattern = re.compile(r"\.(phone|notes|help_text|wishes)\b")
    for name, source in _sources().items():
        if name.startswith("storage/circle"):
            continue
        if pattern.search(source):
            assert name in allowed, name


def test_no_module_logs_names_numbers_or_texts() -> None:
    for name, source in _sources().items():
        if not name.startswith(("circle/", "handlers/circle", "storage/circle")):
            continue
        for call in re.findall(r"log\.\w+\(([^)]*)\)", source, flags=re.S):
            assert not re.search(r"\b(name|phone|notes|help_text|wishes|text|token)\b", call), (
                name,
                call,
            )
