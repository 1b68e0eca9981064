"""Key rotation on real SQLite files: legacy data reads, rekey moves everything, lookups hold."""

from __future__ import annotations

import base64
import sqlite3
from datetime import time
from pathlib import Path

import pytest

from bot.crypto import DecryptionError, FieldCipher
from bot.ops import OpsError
from bot.ops.rekey import ENCRYPTED, rekey
from bot.ops.runlock import RunLock
from bot.records.groups import BotRights
from bot.records.sessions import RUN, WEEKLY, PulseSubject, Rhythm
from bot.storage.database import Database
from bot.storage.store import MissingOldKeyError, Store, WrongDataKeyError
from bot.timeutil import ManualClock
from tests.conftest import TEST_KEY
from tests.ops.old_crypto import LegacyWritingCipher, OldFieldCipher

NEW_KEY = base64.urlsafe_b64encode(b"N" * 32).decode()
MEMBER, SUPPORTER, REPORTER, GROUP = 1001, 2002, 3003, -100500


def test_old_ciphertexts_and_digests_still_read() -> None:
    old = OldFieldCipher(TEST_KEY)
    blob = old.encrypt("+254700000123", "circledata.phone")
    cipher = FieldCipher(f"{NEW_KEY},{TEST_KEY}")
    assert cipher.decrypt(blob, "circledata.phone") == "+254700000123"
    assert cipher.key_id_of(blob) == "legacy"
    cipher.use_digests(f"legacy:{FieldCipher(TEST_KEY).current.kid}")
    assert cipher.digest("42", "circledata.tg") == old.digest("42", "circledata.tg")
    with pytest.raises(DecryptionError):
        FieldCipher(NEW_KEY).decrypt(blob, "circledata.phone")


def test_new_ciphertexts_carry_their_key_id() -> None:
    both = FieldCipher(f"{NEW_KEY},{TEST_KEY}")
    blob = both.encrypt("help text", "circledata.help_text")
    assert both.key_id_of(blob) == FieldCipher(NEW_KEY).current.kid
    assert FieldCipher(NEW_KEY).decrypt(blob, "circledata.help_text") == "help text"
    with pytest.raises(DecryptionError):
        FieldCipher(TEST_KEY).decrypt(blob, "circledata.help_text")
    # HKDF per purpose: encryption, digests and ids are independent derivations.
    assert both.digest("x", "circledata.tg") != both.digest("x", "mod.reporter")


async def populate(path: Path, cipher: FieldCipher) -> None:
    store = await Store.open(path, cipher, ManualClock(start=1_790_000_000))
    try:
        person = await store.circle.add_person(
            MEMBER, "Auntie Wanjiku", relationship="aunt", phone="+254700000123", notes="calm"
        )
        await store.circle.set_telegram(person, "accepted", SUPPORTER)
        await store.circle.add_never(MEMBER, "Uncle Otieno", "uncle")
        await store.circle.set_display_name(MEMBER, "Amina")
        await store.circle.set_help_text(MEMBER, "Sit with me, call my aunt")
        await store.circle.save_draft(MEMBER, "asking", {"name": "Baraka"})
        invite = await store.circle.add_invite(person, MEMBER, "tok-answered", 1_800_000_000)
        await store.circle.open_invite(invite, SUPPORTER)
        await store.circle.add_invite(person, MEMBER, "tok-waiting", 1_800_000_000)
        await store.circle.await_confirmation(person, MEMBER, SUPPORTER, "Auntie W. (@auntie)")
        await store.ledger.append(
            MEMBER, person, "contact", scope="live", event="given", wishes="text first"
        )
        await store.ledger.new_escalation(
            MEMBER, "admin", "asked", chat_id=GROUP, admin_id=7, admin_name="Admin Juma"
        )
        await store.ledger.enqueue(
            SUPPORTER,
            "Amina asked for you",
            kind="concern",
            fail_chat=MEMBER,
            fail_body="could not reach",
        )
        await store.ledger.record_disclosure(
            member_id=MEMBER,
            person_id=person,
            person_label="Auntie W.",
            recipient_kind="admin",
            recipient_id=7,
            recipient_name="Admin Juma",
            what="details",
            consent_id=1,
            consent_at=1_790_000_000,
            escalation_id=None,
        )
        await store.moderation.start_sanction(
            GROUP,
            55,
            "mute",
            actor_id=7,
            contact_id=None,
            reason="cooling off",
            ends_at=1_790_100_000,
        )
        await store.moderation.add_warning(GROUP, 55, 7, "selling")
        await store.moderation.block(66, origin_chat_id=GROUP, actor_id=7, reason="spam")
        report, _ = await store.moderation.open_report(GROUP, 10, 55, "report")
        await store.moderation.add_reporter(report.id, store.moderation.reporter_digest(MEMBER))
        await store.moderation.add_reporter(report.id, store.moderation.reporter_digest(REPORTER))
        await store.audit.record("warn", chat_id=GROUP, actor_id=7, target_id=55, detail="why")
        asked = await store.talk.create(GROUP, MEMBER, "admin", "about my week")
        await store.peers.set_tags(MEMBER, ("woman", "anxiety"))
        await store.peers.record_ask(asked, None, "woman")
        await store.talk.add_feedback(GROUP, "thank you all")
        await store.held.hold(
            GROUP,
            {"en": ("Juma was reported", None)},
            item="report",
            item_id=report.id,
            team=True,
            anonymous=True,
        )
        await store.groups.upsert(GROUP, "Peer Group", BotRights(True, True, True, True))
        session = await store.sessions.add(
            GROUP, "Circle", Rhythm(kind=WEEKLY, at=time(15, 0)), None, 1_790_000_000
        )
        run = await store.sessions.open_run(session, 1_790_000_000)
        assert run is not None
        subject = PulseSubject(RUN, run.id, GROUP)
        await store.sessions.add_pulse(subject, "digest", "yes", "more breaks", "2026-W48")
        invitation = await store.kindwords.add(GROUP, MEMBER, None, "Amani would appreciate")
        await store.kindwords.record_sent(invitation, SUPPORTER)
        await store.kindwords.mute(invitation, SUPPORTER)
    finally:
        await store.close()


def plaintexts(path: Path, cipher: FieldCipher) -> dict[tuple[str, str, object], str]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    found = {}
    try:
        for col in ENCRYPTED:
            for row in conn.execute(f"SELECT * FROM {col.table} WHERE {col.column} IS NOT NULL"):
                found[(col.table, col.column, row[col.key])] = cipher.decrypt(
                    bytes(row[col.column]), col.context_for(row)
                )
    finally:
        conn.close()
    return found


async def test_rekey_moves_a_populated_legacy_database_to_the_new_key(tmp_path: Path) -> None:
    path = tmp_path / "pamoja.sqlite3"
    await populate(path, LegacyWritingCipher(TEST_KEY))
    before = plaintexts(path, FieldCipher(TEST_KEY))
    assert len(before) >= 19
    assert {t for t, _, _ in before} == {c.table for c in ENCRYPTED}  # every encrypted table

    # The new key first without the old: refused, nothing readable is lost.
    with pytest.raises(WrongDataKeyError):
        await Store.open(path, FieldCipher(NEW_KEY), ManualClock())

    report = await rekey(path, FieldCipher(f"{NEW_KEY},{TEST_KEY}"))
    assert report.fields == len(before) and report.already == 0
    assert report.backup is not None and report.backup.stat().st_mode & 0o777 == 0o600
    assert report.withdrawn_invites == 1  # the unanswered link cannot be carried over
    assert report.dropped_reporters == 1  # REPORTER appears nowhere else in the database

    new_only = FieldCipher(NEW_KEY)
    assert plaintexts(path, new_only) == before
    conn = sqlite3.connect(path)
    blobs = [
        bytes(value)
        for col in ENCRYPTED
        for (value,) in conn.execute(f"SELECT {col.column} FROM {col.table}")
        if value is not None
    ]
    conn.close()
    assert blobs and all(new_only.key_id_of(blob) == new_only.current.kid for blob in blobs)

    # The old key can go: the store opens with the new one alone and every lookup still works.
    store = await Store.open(path, FieldCipher(NEW_KEY), ManualClock(start=1_790_000_100))
    try:
        assert [p.name for p in await store.circle.supporting(SUPPORTER)] == ["Auntie Wanjiku"]
        assert await store.circle.is_never(MEMBER, "uncle  OTIENO")
        persons = await store.circle.persons(MEMBER)
        assert persons[0].phone == "+254700000123" and persons[0].tg_user_id == SUPPORTER
        assert (await store.circle.profile(MEMBER)).help_text == "Sit with me, call my aunt"
        digest = store.moderation.reporter_digest(MEMBER)
        assert await store.moderation.reports_by_since(digest, 0) == 1
        opened = await store.circle.invite_by_token("tok-answered")
        assert opened is None  # token digests cannot be recomputed (the token is not kept)
        assert [f.body for f in await store.talk.feedback(GROUP)] == ["thank you all"]
        peer = await store.peers.profile(MEMBER)
        assert peer is not None and peer.tags == ("woman", "anxiety")
        ask = await store.peers.ask(1)
        assert ask is not None and ask.wants == "woman"
    finally:
        await store.close()

    # Idempotent: a second run finds nothing to do.
    again = await rekey(path, FieldCipher(NEW_KEY))
    assert again.fields == 0 and again.already == len(before)


async def test_rekey_needs_every_old_key_and_refuses_while_the_bot_runs(tmp_path: Path) -> None:
    path = tmp_path / "pamoja.sqlite3"
    await populate(path, FieldCipher(TEST_KEY))
    # A new key put first (the bot ran with NEW,OLD and wrote under NEW), then OLD dropped:
    store = await Store.open(path, FieldCipher(f"{NEW_KEY},{TEST_KEY}"), ManualClock())
    await store.circle.set_help_text(MEMBER, "written under the new key")
    await store.close()
    with pytest.raises(MissingOldKeyError):
        await Store.open(path, FieldCipher(NEW_KEY), ManualClock())
    with pytest.raises(OpsError, match="lacks a key"):
        await rekey(path, FieldCipher(NEW_KEY))
    with RunLock(path), pytest.raises(OpsError, match="stop it"):
        await rekey(path, FieldCipher(f"{NEW_KEY},{TEST_KEY}"))
    report = await rekey(path, FieldCipher(f"{NEW_KEY},{TEST_KEY}"))
    assert report.already == 1 and report.fields > 0


async def test_every_blob_column_is_listed_for_rekey(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "schema.sqlite3")
    try:
        blobs = set()
        for (table,) in await db.fetch_all("SELECT name FROM sqlite_master WHERE type='table'"):
            for info in await db.fetch_all(f"PRAGMA table_info({table})"):
                if str(info["type"]).upper() == "BLOB":
                    blobs.add((table, info["name"]))
    finally:
        await db.close()
    assert blobs == {(c.table, c.column) for c in ENCRYPTED}
