"""Groups the bot serves: their record, rights and settings."""

from __future__ import annotations

from typing import Any

from bot.records.groups import BotRights, Group, GroupLine
from bot.storage.database import Database
from bot.timeutil import Clock

# Settings an administrator may change, with the column each one lives in.
EDITABLE = {
    "language",
    "timezone",
    "join_mode",
    "rules_gate",
    "flagging",
    "admin_chat_id",
    "crisis_country",
    "pin_rules",
    "rules_pinned_id",
    "show_emergency",
}
MAX_LINES = 10


def _group(row: Any) -> Group:
    return Group(
        chat_id=row["chat_id"],
        title=row["title"],
        active=bool(row["active"]),
        rights=BotRights(
            is_admin=bool(row["bot_is_admin"]),
            can_restrict=bool(row["can_restrict"]),
            can_delete=bool(row["can_delete"]),
            can_invite=bool(row["can_invite"]),
        ),
        registered=row["registered_at"] is not None,
        language=row["language"],
        timezone=row["timezone"],
        join_mode=row["join_mode"],
        rules_gate=bool(row["rules_gate"]),
        flagging=bool(row["flagging"]),
        admin_chat_id=row["admin_chat_id"],
        crisis_country=row["crisis_country"],
        pin_rules=bool(row["pin_rules"]),
        rules_pinned_id=row["rules_pinned_id"],
        show_emergency=bool(row["show_emergency"]),
        greeted_at=row["greeted_at"],
    )


class GroupRepo:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, chat_id: int) -> Group | None:
        row = await self._db.fetch_one("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
        return _group(row) if row else None

    async def active(self) -> list[Group]:
        rows = await self._db.fetch_all("SELECT * FROM groups WHERE active = 1 ORDER BY chat_id")
        return [_group(row) for row in rows]

    async def by_admin_chat(self, admin_chat_id: int) -> Group | None:
        row = await self._db.fetch_one(
            "SELECT * FROM groups WHERE admin_chat_id = ?", (admin_chat_id,)
        )
        return _group(row) if row else None

    async def upsert(
        self,
        chat_id: int,
        title: str,
        rights: BotRights,
        *,
        active: bool = True,
        language: str = "en",
        timezone: str = "Africa/Nairobi",
        country: str = "KE",
    ) -> Group:
        """Create the group's record, or bring its title, rights and presence up to date."""
        now = self._clock.epoch()
        await self._db.execute(
            """
            INSERT INTO groups (chat_id, title, active, bot_is_admin, can_restrict, can_delete,
                                can_invite, language, timezone, crisis_country, created_at,
                                updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (chat_id) DO UPDATE SET
                title = excluded.title, active = excluded.active,
                bot_is_admin = excluded.bot_is_admin, can_restrict = excluded.can_restrict,
                can_delete = excluded.can_delete, can_invite = excluded.can_invite,
                updated_at = excluded.updated_at
            """,
            (
                chat_id,
                title,
                int(active),
                int(rights.is_admin),
                int(rights.can_restrict),
                int(rights.can_delete),
                int(rights.can_invite),
                language,
                timezone,
                country.upper(),
                now,
                now,
            ),
        )
        group = await self.get(chat_id)
        assert group is not None  # noqa: S101 - just written
        return group

    async def mark_registered(self, chat_id: int) -> None:
        await self._db.execute(
            "UPDATE groups SET registered_at = COALESCE(registered_at, ?), updated_at = ? "
            "WHERE chat_id = ?",
            (self._clock.epoch(), self._clock.epoch(), chat_id),
        )

    async def set_inactive(self, chat_id: int) -> None:
        await self._db.execute(
            "UPDATE groups SET active = 0, bot_is_admin = 0, can_restrict = 0, can_delete = 0, "
            "can_invite = 0, updated_at = ? WHERE chat_id = ?",
            (self._clock.epoch(), chat_id),
        )

    async def update_setting(self, chat_id: int, name: str, value: str | int | None) -> None:
        if name not in EDITABLE:
            raise ValueError(f"not an editable group setting: {name}")
        await self._db.execute(
            f"UPDATE groups SET {name} = ?, updated_at = ? WHERE chat_id = ?",  # noqa: S608
            (value, self._clock.epoch(), chat_id),
        )

    async def mark_greeted(self, chat_id: int) -> None:
        """A greeting went out in the group now (the next window starts)."""
        await self._db.execute(
            "UPDATE groups SET greeted_at = ? WHERE chat_id = ?", (self._clock.epoch(), chat_id)
        )

    async def lines(self, chat_id: int) -> list[GroupLine]:
        """The group's own support lines, in the order they were added."""
        rows = await self._db.fetch_all(
            "SELECT * FROM group_lines WHERE chat_id = ? ORDER BY id", (chat_id,)
        )
        return [
            GroupLine(
                id=row["id"],
                chat_id=row["chat_id"],
                name=row["name"],
                number=row["number"],
                hours=row["hours"],
            )
            for row in rows
        ]

    async def add_line(self, chat_id: int, name: str, number: str, hours: str) -> bool:
        """Add one of the group's own lines; False when the group already has ``MAX_LINES``."""
        async with self._db.transaction():
            row = await self._db.fetch_one(
                "SELECT COUNT(*) AS n FROM group_lines WHERE chat_id = ?", (chat_id,)
            )
            if row is not None and row["n"] >= MAX_LINES:
                return False
            await self._db.execute(
                "INSERT INTO group_lines (chat_id, name, number, hours, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (chat_id, name, number, hours, self._clock.epoch()),
            )
        return True

    async def remove_line(self, chat_id: int, line_id: int) -> GroupLine | None:
        """Remove one of the group's own lines; the line removed, or None if it was not there."""
        found = next((line for line in await self.lines(chat_id) if line.id == line_id), None)
        if found is not None:
            await self._db.execute(
                "DELETE FROM group_lines WHERE chat_id = ? AND id = ?", (chat_id, line_id)
            )
        return found

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: Telegram gave it a new id. Every record follows.

        Every column that names a chat (``chat_id``, ``admin_chat_id``, ``origin_chat_id``...)
        and holds the old id gets the new one, in one transaction, whatever feature it belongs
        to. A record the bot made under the new id in the meantime gives way to the old one.
        """
        tables = [
            row["name"]
            for row in await self._db.fetch_all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        async with self._db.transaction():
            await self._db.execute("PRAGMA defer_foreign_keys = ON")
            if await self.get(old_chat_id) is not None:
                await self._db.execute("DELETE FROM groups WHERE chat_id = ?", (new_chat_id,))
            for table in tables:
                columns = await self._db.fetch_all(f"PRAGMA table_info({table})")
                for column in (c["name"] for c in columns if c["name"].endswith("chat_id")):
                    await self._db.execute(
                        f"UPDATE OR IGNORE {table} SET {column} = ? WHERE {column} = ?",  # noqa: S608
                        (new_chat_id, old_chat_id),
                    )
                    await self._db.execute(
                        f"DELETE FROM {table} WHERE {column} = ?",  # noqa: S608
                        (old_chat_id,),
                    )
            await self._db.execute(
                "UPDATE groups SET updated_at = ? WHERE chat_id = ?",
                (self._clock.epoch(), new_chat_id),
            )
