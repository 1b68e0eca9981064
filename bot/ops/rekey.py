"""``pamoja rekey``: re-encrypt every stored field with the first key in PAMOJA_DATA_KEY.

Rotation, step by step (README "Rotating the data key"): put a new key first in
``PAMOJA_DATA_KEY`` and keep the old one after it (``NEW,OLD``); stop the bot; run
``pamoja rekey``; start the bot; then drop the old key from the list.

Everything happens in one transaction: an interrupted rekey leaves the database as it was, and
running it again starts over. It is idempotent: a field already under the current key is left
alone, so it is safe to run twice. A backup is made first.

Keyed digests (lookups by a value not stored in clear) are recomputed under the new key:

* from the decrypted field itself where the value is stored (support persons' and never-contact
  names, support persons' Telegram ids);
* from the Telegram ids the database knows (every ``*_id``/``*_by`` column), for digests of an
  id that is not stored in clear (who opened an invite, who reported a message); a reporter's
  digest that matches no known id is dropped (it only fed the report rate limit);
* invite links still waiting for an answer cannot be carried over (the link's token is not
  stored, only its digest): they are withdrawn, and the member can send a new one;
* @username digests cannot be carried over either (no username is stored): they are dropped,
  and learned again as people write.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.crypto import FieldCipher
from bot.ops import OpsError
from bot.ops.runlock import RunLock
from bot.storage.circle import _norm as normalise_name
from bot.storage.database import Database, copy_database
from bot.storage.store import (
    _KEY_CHECK,
    _KEY_CHECK_CONTEXT,
    DIGEST_SCHEME,
    KEYS_IN_USE,
    MissingOldKeyError,
    WrongDataKeyError,
    check_data_key,
)

Context = str | Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    table: str
    key: str
    column: str
    context: Context

    def context_for(self, row: Any) -> str:
        return self.context if isinstance(self.context, str) else self.context(row)


# Every encrypted column, with the context its repository binds it to (bot/storage/*.py).
# tests/ops/test_rekey.py fails when the schema gains a BLOB column that is not listed here.
ENCRYPTED: tuple[Column, ...] = (
    Column("audit_log", "id", "detail", "audit.detail"),
    Column("mod_warnings", "id", "reason", "mod.warn_reason"),
    Column("mod_sanctions", "id", "reason", "mod.reason"),
    Column("mod_blocklist", "user_id", "reason", "mod.block_reason"),
    *(
        Column("circle_persons", "id", name, f"circledata.{name}")
        for name in ("name", "relationship", "phone", "notes", "tg_user")
    ),
    Column("circle_never", "id", "name", "circledata.never_name"),
    Column("circle_never", "id", "relationship", "circledata.never_relationship"),
    *(
        Column("circle_profiles", "member_id", name, f"circledata.{name}")
        for name in ("display_name", "help_text")
    ),
    Column("circle_drafts", "user_id", "data", "circledata.draft"),
    *(Column("circle_consents", "id", name, f"circledata.{name}") for name in ("wishes",)),
    Column("circle_escalations", "id", "admin_name", "circledata.admin_name"),
    Column("circle_disclosures", "id", "person_label", "circledata.person_label"),
    Column("circle_disclosures", "id", "recipient_name", "circledata.recipient_name"),
    Column("circle_outbox", "id", "body", "circledata.outbox"),
    Column("circle_outbox", "id", "fail_body", "circledata.outbox_fail"),
    Column("circle_confirmations", "person_id", "tg_user", "circledata.confirm_tg"),
    Column("circle_confirmations", "person_id", "shown_as", "circledata.confirm_shown"),
    Column("circle_outbox", "id", "markup_sealed", "circledata.outbox_markup"),
    Column("talk_conversations", "id", "topic", "talk_topic"),
    Column("peer_talkers", "user_id", "tags", "peer_tags"),
    Column("peer_asks", "conversation_id", "wants", "peer_wants"),
    Column("talk_feedback", "id", "body", lambda row: f"talk_feedback.{row['chat_id']}"),
    Column("held_notices", "id", "body", "held_notice"),
    Column("session_pulse", "id", "improve", "session_pulse_improve"),
    Column("kindwords_invitations", "id", "words", "kindwords_words"),
    Column("kindwords_sent", "id", "sender", "kindwords_sender"),
    Column("kindwords_muted", "id", "sender", "kindwords_muted"),
)
# The consent ledger is append-only; rekey lifts its guard inside the transaction only.
_APPEND_ONLY = ("circle_consents_append_only",)


@dataclass
class RekeyReport:
    key_id: str
    fields: int = 0
    already: int = 0
    digests: int = 0
    dropped_reporters: int = 0
    withdrawn_invites: int = 0
    backup: Path | None = None
    per_table: dict[str, int] = field(default_factory=dict)


async def _reencrypt(db: Database, cipher: FieldCipher, report: RekeyReport) -> None:
    current = cipher.current.kid
    for col in ENCRYPTED:
        rows = await db.fetch_all(
            f"SELECT * FROM {col.table} WHERE {col.column} IS NOT NULL"  # noqa: S608
        )
        for row in rows:
            blob = bytes(row[col.column])
            if cipher.key_id_of(blob) == current:
                report.already += 1
                continue
            context = col.context_for(row)
            fresh = cipher.encrypt(cipher.decrypt(blob, context), context)
            await db.execute(
                f"UPDATE {col.table} SET {col.column} = ? WHERE {col.key} = ?",  # noqa: S608
                (fresh, row[col.key]),
            )
            report.fields += 1
            report.per_table[col.table] = report.per_table.get(col.table, 0) + 1


async def _known_ids(db: Database, cipher: FieldCipher) -> set[int]:
    """Every Telegram id the database holds: candidates for digests of an id."""
    ids: set[int] = set()
    tables = await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
    for table in (str(row["name"]) for row in tables):
        for info in await db.fetch_all(f"PRAGMA table_info({table})"):
            name = str(info["name"])
            if name.endswith(("_id", "_by")):
                for row in await db.fetch_all(
                    f"SELECT DISTINCT {name} FROM {table} WHERE typeof({name}) = 'integer'"  # noqa: S608
                ):
                    ids.add(int(row[0]))
    for row in await db.fetch_all("SELECT tg_user FROM circle_persons WHERE tg_user IS NOT NULL"):
        ids.add(int(cipher.decrypt(bytes(row["tg_user"]), "circledata.tg_user")))
    return ids


async def _redigest(db: Database, cipher: FieldCipher, report: RekeyReport) -> None:
    old, new = cipher.digest_scheme, cipher.current_scheme

    def fresh(value: str, purpose: str) -> str:
        return cipher.digest_with(new, value, purpose)

    for table, context in (
        ("circle_persons", "circledata.name"),
        ("circle_never", "circledata.never_name"),
    ):
        for row in await db.fetch_all(f"SELECT id, name FROM {table}"):  # noqa: S608
            name = cipher.decrypt(bytes(row["name"]), context)
            await db.execute(
                f"UPDATE {table} SET name_digest = ? WHERE id = ?",  # noqa: S608
                (fresh(normalise_name(name), "circledata.name"), row["id"]),
            )
            report.digests += 1
    for row in await db.fetch_all(
        "SELECT id, tg_user FROM circle_persons WHERE tg_user IS NOT NULL"
    ):
        tg = cipher.decrypt(bytes(row["tg_user"]), "circledata.tg_user")
        await db.execute(
            "UPDATE circle_persons SET tg_digest = ? WHERE id = ?",
            (fresh(tg, "circledata.tg"), row["id"]),
        )
        report.digests += 1

    ids = await _known_ids(db, cipher)
    opened = {cipher.digest_with(old, str(i), "circledata.tg"): str(i) for i in ids}
    for row in await db.fetch_all(
        "SELECT id, opened_digest FROM circle_invites WHERE opened_digest IS NOT NULL"
    ):
        who = opened.get(str(row["opened_digest"]))
        await db.execute(
            "UPDATE circle_invites SET opened_digest = ? WHERE id = ?",
            (fresh(who, "circledata.tg") if who is not None else None, row["id"]),
        )
        report.digests += 1
    report.withdrawn_invites = await db.execute(
        "UPDATE circle_invites SET status = 'revoked' WHERE status IN ('open', 'opened')"
    )

    await db.execute("DELETE FROM user_handles")

    reporters = {cipher.digest_with(old, str(i), "mod.reporter"): str(i) for i in ids}
    for row in await db.fetch_all("SELECT DISTINCT reporter FROM mod_report_reporters"):
        who = reporters.get(str(row["reporter"]))
        if who is None:
            report.dropped_reporters += await db.execute(
                "DELETE FROM mod_report_reporters WHERE reporter = ?", (row["reporter"],)
            )
            continue
        report.digests += await db.execute(
            "UPDATE mod_report_reporters SET reporter = ? WHERE reporter = ?",
            (fresh(who, "mod.reporter"), row["reporter"]),
        )


async def rekey_database(db: Database, cipher: FieldCipher) -> RekeyReport:
    """Move every field and digest of an open database to ``cipher``'s first key."""
    try:
        await check_data_key(db, cipher, record=False)
    except MissingOldKeyError:
        raise OpsError(
            "PAMOJA_DATA_KEY lacks a key this database still uses: list the new key first and "
            "every old one after it (NEW,OLD), then run rekey again."
        ) from None
    except WrongDataKeyError:
        raise OpsError(
            "None of the keys in PAMOJA_DATA_KEY opens this database: add the key it was "
            "written with after the new one (NEW,OLD)."
        ) from None
    report = RekeyReport(key_id=cipher.current.kid)
    guards = []
    for name in _APPEND_ONLY:
        row = await db.fetch_one(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        )
        if row is not None:
            guards.append((name, str(row["sql"])))
    async with db.transaction():
        for name, _ in guards:
            await db.execute(f"DROP TRIGGER {name}")
        await _reencrypt(db, cipher, report)
        if cipher.digest_scheme != cipher.current_scheme:
            await _redigest(db, cipher, report)
        for _, sql in guards:
            await db.execute(sql)
        token = cipher.encrypt("pamoja", _KEY_CHECK_CONTEXT).hex()
        for key, value in (
            (_KEY_CHECK, token),
            (DIGEST_SCHEME, cipher.current_scheme),
            (KEYS_IN_USE, cipher.current_scheme),
        ):
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
    cipher.use_digests(cipher.current_scheme)
    return report


async def rekey(database: Path, cipher: FieldCipher) -> RekeyReport:
    """Rekey the database file (the bot must be stopped); a backup is made first."""
    if not database.is_file():  # noqa: ASYNC240 - a one-shot command, alone on its loop
        raise OpsError(f"There is no database at {database}: check PAMOJA_DATABASE_PATH.")
    with RunLock(database, what="rekey"):
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        saved = database.with_name(f"{database.name}.before-rekey-{stamp}.bak")
        copy_database(database, saved)
        db = await Database.open(database)
        try:
            report = await rekey_database(db, cipher)
        finally:
            await db.close()
    report.backup = saved
    return report
