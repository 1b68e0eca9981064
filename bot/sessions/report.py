"""``/stats``: one group's figures per month, as a short text for its administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import Safe
from bot.people import zone_of
from bot.sessions import figures

if TYPE_CHECKING:
    from bot.context import BotData


async def month_table(data: BotData, lang: str, chat_id: int) -> Safe:
    t = data.texts.t
    tz = await zone_of(data, chat_id)
    blocks: list[str] = []
    few = t(lang, "sessions.stats_few")
    for first, start, end in figures.month_starts(data.clock.epoch(), tz):
        counts = await data.store.stats.period(chat_id, start, end)
        lines = [
            t(
                lang,
                "sessions.stats_month",
                month=t(lang, f"sessions.month_{first.month}"),
                year=first.year,
            )
        ]
        for name in figures.ROWS:
            value = figures.shown(counts.get(name))
            lines.append(t(lang, f"sessions.stats_{name}", n=value if value is not None else few))
        for name in ("talk_wait", "handling"):
            wait = figures.minutes(counts.get(name), int(counts.get(f"{name}_count") or 0))
            lines.append(
                t(lang, f"sessions.stats_{name}", minutes=wait)
                if wait is not None
                else t(lang, f"sessions.stats_{name}_few")
            )
        blocks.append("\n".join(lines))
    pulse = await data.store.sessions.pulse_counts(chat_id)
    answers = sum(pulse.values())
    if answers >= figures.SMALL:
        safe = pulse.get("yes", 0) + pulse.get("mostly", 0)
        blocks.append(t(lang, "sessions.stats_pulse", safe=safe, total=answers))
    else:
        blocks.append(t(lang, "sessions.stats_pulse_few"))
    return Safe("\n\n".join(blocks))
