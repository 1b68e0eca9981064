"""Counts for a group's administrators, for one period: no per-member rows ever leave here."""

from __future__ import annotations

from statistics import median

from bot.storage.database import Database

_COUNTS = {
    "joined": "SELECT COUNT(*) AS n FROM memberships WHERE chat_id = ? "
    "AND status IN ('member', 'restricted', 'administrator', 'creator') "
    "AND updated_at >= ? AND updated_at < ?",
    "left": "SELECT COUNT(*) AS n FROM memberships WHERE chat_id = ? "
    "AND status IN ('left', 'kicked') AND updated_at >= ? AND updated_at < ?",
    "agreements": "SELECT COUNT(*) AS n FROM rules_acceptances WHERE chat_id = ? "
    "AND accepted_at >= ? AND accepted_at < ?",
    "sessions": "SELECT COUNT(*) AS n FROM session_runs WHERE chat_id = ? "
    "AND started_at >= ? AND started_at < ?",
    "talk": "SELECT COUNT(*) AS n FROM talk_conversations WHERE chat_id = ? "
    "AND created_at >= ? AND created_at < ?",
    "reports": "SELECT COUNT(*) AS n FROM mod_reports WHERE chat_id = ? AND kind = 'report' "
    "AND created_at >= ? AND created_at < ?",
    "flags": "SELECT COUNT(*) AS n FROM mod_reports WHERE chat_id = ? AND kind = 'flag' "
    "AND created_at >= ? AND created_at < ?",
    "exclusions": "SELECT COUNT(*) AS n FROM mod_sanctions WHERE chat_id = ? AND kind = 'exclude' "
    "AND starts_at >= ? AND starts_at < ?",
}
_WAITS = {
    "talk_wait": "SELECT accepted_at - created_at AS w FROM talk_conversations WHERE chat_id = ? "
    "AND accepted_at IS NOT NULL AND created_at >= ? AND created_at < ?",
    "handling": "SELECT handled_at - created_at AS w FROM mod_reports WHERE chat_id = ? "
    "AND handled_at IS NOT NULL AND created_at >= ? AND created_at < ?",
}


class StatsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def period(self, chat_id: int, start: int, end: int) -> dict[str, int | None]:
        """Counts, and median waits in seconds (None without any), for ``[start, end)``."""
        found: dict[str, int | None] = {}
        for name, sql in _COUNTS.items():
            row = await self._db.fetch_one(sql, (chat_id, start, end))
            found[name] = int(row["n"]) if row else 0
        for name, sql in _WAITS.items():
            waits = [int(row["w"]) for row in await self._db.fetch_all(sql, (chat_id, start, end))]
            found[name] = int(median(waits)) if waits else None
            found[f"{name}_count"] = len(waits)
        return found
