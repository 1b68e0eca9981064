"""Peer-to-peer support: check-ins people asked for, listeners' hours, peers open to requests."""

from __future__ import annotations

from typing import Any

from bot.crypto import FieldCipher
from bot.records.peers import QUIET, BuddyPair, CheckIn, PeerAsk, PeerProfile
from bot.storage.database import Database
from bot.timeutil import Clock

_TAGS = "peer_tags"
_WANTS = "peer_wants"


def _pair(row: Any) -> BuddyPair:
    return BuddyPair(
        id=row["id"],
        chat_id=row["chat_id"],
        member_id=row["member_id"],
        buddy_id=row["buddy_id"],
        status=row["status"],
        member_yes=bool(row["member_yes"]),
        buddy_yes=bool(row["buddy_yes"]),
        member_check=bool(row["member_check"]),
        buddy_check=bool(row["buddy_check"]),
    )


def _check_in(row: Any) -> CheckIn:
    return CheckIn(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        days=row["days"],
        who=row["who"],
        chat_id=row["chat_id"],
        next_at=row["next_at"],
        last_seen_at=row["last_seen_at"],
    )


class PeersRepo:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def add_check_in(
        self, user_id: int, kind: str, days: int, who: str, chat_id: int | None, next_at: int
    ) -> CheckIn:
        """One check-in of each kind per person: asking again replaces the earlier one."""
        now = self._clock.epoch()
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE peer_checkins SET active = 0 "
                "WHERE user_id = ? AND kind = ? AND active = 1",
                (user_id, kind),
            )
            check_in_id = await self._db.execute(
                "INSERT INTO peer_checkins (user_id, kind, days, who, chat_id, next_at, "
                "last_seen_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (user_id, kind, days, who, chat_id, next_at, now if kind == QUIET else None, now),
            )
        found = await self.check_in(check_in_id)
        if found is None:  # pragma: no cover - just inserted
            raise RuntimeError("check-in vanished")
        return found

    async def check_in(self, check_in_id: int) -> CheckIn | None:
        row = await self._db.fetch_one(
            "SELECT * FROM peer_checkins WHERE id = ? AND active = 1", (check_in_id,)
        )
        return _check_in(row) if row else None

    async def check_ins_of(self, user_id: int) -> list[CheckIn]:
        rows = await self._db.fetch_all(
            "SELECT * FROM peer_checkins WHERE user_id = ? AND active = 1 ORDER BY next_at",
            (user_id,),
        )
        return [_check_in(row) for row in rows]

    async def quiet_watched(self) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT DISTINCT user_id FROM peer_checkins WHERE kind = 'quiet' AND active = 1"
        )
        return [int(row["user_id"]) for row in rows]

    async def seen(self, user_id: int, at: int) -> None:
        await self._db.execute(
            "UPDATE peer_checkins SET last_seen_at = ? WHERE user_id = ? AND kind = 'quiet' "
            "AND active = 1",
            (at, user_id),
        )

    async def move_check_in(self, check_in_id: int, next_at: int | None) -> None:
        """The next time to look (``None``: done, nothing more)."""
        if next_at is None:
            await self._db.execute(
                "UPDATE peer_checkins SET active = 0 WHERE id = ?", (check_in_id,)
            )
            return
        await self._db.execute(
            "UPDATE peer_checkins SET next_at = ? WHERE id = ?", (next_at, check_in_id)
        )

    async def stop_check_ins(self, user_id: int, check_in_id: int | None = None) -> int:
        if check_in_id is None:
            return await self._db.execute(
                "UPDATE peer_checkins SET active = 0 WHERE user_id = ? AND active = 1",
                (user_id,),
            )
        return await self._db.execute(
            "UPDATE peer_checkins SET active = 0 WHERE user_id = ? AND id = ? AND active = 1",
            (user_id, check_in_id),
        )

    # -- a listener's boundaries ----------------------------------------------------------

    async def set_hours(self, user_id: int, hours: tuple[int, int] | None) -> None:
        if hours is None:
            await self._db.execute("DELETE FROM listener_boundaries WHERE user_id = ?", (user_id,))
            return
        await self._db.execute(
            "INSERT INTO listener_boundaries (user_id, hours_from, hours_to, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "hours_from = excluded.hours_from, hours_to = excluded.hours_to, "
            "updated_at = excluded.updated_at",
            (user_id, hours[0], hours[1], self._clock.epoch()),
        )

    async def hours(self, user_id: int) -> tuple[int, int] | None:
        row = await self._db.fetch_one(
            "SELECT hours_from, hours_to FROM listener_boundaries WHERE user_id = ?", (user_id,)
        )
        if row is None or row["hours_from"] is None or row["hours_to"] is None:
            return None
        return int(row["hours_from"]), int(row["hours_to"])

    # -- peers open to one-to-one requests -------------------------------------------------

    async def set_open(self, user_id: int, is_open: bool) -> None:
        await self._db.execute(
            "INSERT INTO peer_talkers (user_id, open, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET open = excluded.open, "
            "updated_at = excluded.updated_at",
            (user_id, int(is_open), self._clock.epoch()),
        )

    async def set_buddy(self, user_id: int, willing: bool) -> None:
        await self._db.execute(
            "INSERT INTO peer_talkers (user_id, open, buddy, updated_at) VALUES (?, 0, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET buddy = excluded.buddy, "
            "updated_at = excluded.updated_at",
            (user_id, int(willing), self._clock.epoch()),
        )

    async def set_tags(self, user_id: int, tags: tuple[str, ...]) -> None:
        sealed = self._cipher.encrypt_optional(" ".join(tags) or None, _TAGS)
        await self._db.execute(
            "INSERT INTO peer_talkers (user_id, open, tags, updated_at) VALUES (?, 0, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET tags = excluded.tags, "
            "updated_at = excluded.updated_at",
            (user_id, sealed, self._clock.epoch()),
        )

    def _profile(self, row: Any) -> PeerProfile:
        words = self._cipher.decrypt_optional(row["tags"], _TAGS) or ""
        return PeerProfile(
            row["user_id"], bool(row["open"]), tuple(words.split()), bool(row["buddy"])
        )

    async def profile(self, user_id: int) -> PeerProfile | None:
        row = await self._db.fetch_one("SELECT * FROM peer_talkers WHERE user_id = ?", (user_id,))
        return self._profile(row) if row else None

    async def open_peers(self) -> list[PeerProfile]:
        rows = await self._db.fetch_all(
            "SELECT * FROM peer_talkers WHERE open = 1 ORDER BY updated_at, user_id"
        )
        return [self._profile(row) for row in rows]

    async def willing_buddies(self) -> list[PeerProfile]:
        rows = await self._db.fetch_all(
            "SELECT * FROM peer_talkers WHERE buddy = 1 ORDER BY updated_at, user_id"
        )
        return [self._profile(row) for row in rows]

    # -- buddy pairs ----------------------------------------------------------------------

    async def propose_pair(self, chat_id: int, member_id: int, buddy_id: int) -> int:
        return await self._db.execute(
            "INSERT INTO buddy_pairs (chat_id, member_id, buddy_id, created_at) "
            "VALUES (?, ?, ?, ?)",
            (chat_id, member_id, buddy_id, self._clock.epoch()),
        )

    async def pair(self, pair_id: int) -> BuddyPair | None:
        row = await self._db.fetch_one("SELECT * FROM buddy_pairs WHERE id = ?", (pair_id,))
        return _pair(row) if row else None

    async def current_pair(self, user_id: int) -> BuddyPair | None:
        """The person's proposed or active pair, on either side."""
        row = await self._db.fetch_one(
            "SELECT * FROM buddy_pairs WHERE (member_id = ? OR buddy_id = ?) "
            "AND status IN ('proposed', 'active') ORDER BY id DESC LIMIT 1",
            (user_id, user_id),
        )
        return _pair(row) if row else None

    async def paired_before(self, user_id: int) -> set[int]:
        """Everyone this person was ever proposed with (a re-match is someone new)."""
        rows = await self._db.fetch_all(
            "SELECT member_id, buddy_id FROM buddy_pairs WHERE member_id = ? OR buddy_id = ?",
            (user_id, user_id),
        )
        return {int(r["buddy_id"] if r["member_id"] == user_id else r["member_id"]) for r in rows}

    async def busy_buddies(self) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT member_id, buddy_id FROM buddy_pairs WHERE status IN ('proposed', 'active')"
        )
        return {int(r[k]) for r in rows for k in ("member_id", "buddy_id")}

    async def say_yes(self, pair_id: int, user_id: int) -> BuddyPair | None:
        """One side's yes; both yes makes the pair active. The pair as it is now."""
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE buddy_pairs SET member_yes = CASE WHEN member_id = ? THEN 1 "
                "ELSE member_yes END, buddy_yes = CASE WHEN buddy_id = ? THEN 1 ELSE buddy_yes "
                "END WHERE id = ? AND status = 'proposed'",
                (user_id, user_id, pair_id),
            )
            await self._db.execute(
                "UPDATE buddy_pairs SET status = 'active' WHERE id = ? AND status = 'proposed' "
                "AND member_yes = 1 AND buddy_yes = 1",
                (pair_id,),
            )
        return await self.pair(pair_id)

    async def allow_check(self, pair_id: int, user_id: int, allowed: bool) -> None:
        await self._db.execute(
            "UPDATE buddy_pairs SET member_check = CASE WHEN member_id = ? THEN ? "
            "ELSE member_check END, buddy_check = CASE WHEN buddy_id = ? THEN ? "
            "ELSE buddy_check END WHERE id = ?",
            (user_id, int(allowed), user_id, int(allowed), pair_id),
        )

    async def active_pairs(self, chat_id: int) -> list[BuddyPair]:
        rows = await self._db.fetch_all(
            "SELECT * FROM buddy_pairs WHERE chat_id = ? AND status = 'active' ORDER BY id",
            (chat_id,),
        )
        return [_pair(row) for row in rows]

    async def end_pair(self, pair_id: int, status: str) -> bool:
        changed = await self._db.execute(
            "UPDATE buddy_pairs SET status = ?, ended_at = ? WHERE id = ? "
            "AND status IN ('proposed', 'active')",
            (status, self._clock.epoch(), pair_id),
        )
        return changed == 1

    async def record_ask(
        self, conversation_id: int, target_id: int | None, wants: str | None
    ) -> None:
        await self._db.execute(
            "INSERT INTO peer_asks (conversation_id, target_id, wants) VALUES (?, ?, ?)",
            (conversation_id, target_id, self._cipher.encrypt_optional(wants, _WANTS)),
        )

    async def ask(self, conversation_id: int) -> PeerAsk | None:
        row = await self._db.fetch_one(
            "SELECT * FROM peer_asks WHERE conversation_id = ?", (conversation_id,)
        )
        if row is None:
            return None
        return PeerAsk(
            conversation_id=row["conversation_id"],
            target_id=row["target_id"],
            wants=self._cipher.decrypt_optional(row["wants"], _WANTS),
        )

    # -- data rights -----------------------------------------------------------------------

    async def export_person(self, user_id: int) -> dict[str, Any]:
        profile = await self.profile(user_id)
        rows = await self._db.fetch_all(
            "SELECT kind, days, who, chat_id, next_at, last_seen_at, active, created_at "
            "FROM peer_checkins WHERE user_id = ?",
            (user_id,),
        )
        return {
            "check_ins": [dict(row) for row in rows],
            "listener_hours": await self.hours(user_id),
            "open_to_requests": vars(profile) if profile else None,
        }

    async def forget_person(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM peer_checkins WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM listener_boundaries WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM peer_talkers WHERE user_id = ?", (user_id,))
        await self._db.execute("DELETE FROM peer_asks WHERE target_id = ?", (user_id,))
        await self._db.execute(
            "DELETE FROM buddy_pairs WHERE member_id = ? OR buddy_id = ?", (user_id, user_id)
        )

    async def purge(self, before: int) -> int:
        return await self._db.execute(
            "DELETE FROM peer_checkins WHERE active = 0 AND created_at < ?", (before,)
        )
