"""``/stats``: one group's figures per month, as a short text for its administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import Safe
from bot.people import zone_of
from bot.records.sessions import REFLECTION, RUN
from bot.sessions import figures
from bot.sessions.pulse import GOOD

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
    for kind in (RUN, REFLECTION):
        counted = await data.store.sessions.pulse_counts(chat_id, kind)
        answers = sum(counted.values())
        if answers >= figures.SMALL:
            good = sum(counted.get(name, 0) for name in GOOD[kind])
            blocks.append(t(lang, f"sessions.stats_{kind}", good=good, total=answers))
        else:
            blocks.append(t(lang, f"sessions.stats_{kind}_few"))
    balance = await data.store.sessions.balance(chat_id)
    lived, family = (figures.shown(balance.get(k, 0)) for k in ("lived", "family"))
    blocks.append(t(lang, "sessions.stats_balance", lived=lived or few, family=family or few))
    return Safe("\n\n".join(blocks))
