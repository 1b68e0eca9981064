"""Check-ins only for those who ask: "check in on me in 3 days", "if I'm quiet for 2 weeks".

The person chooses when, and who checks in (Pamoja itself, an administrator of their group,
who is then asked through the one-to-one request they already know, or their buddy, who gets
a private nudge; if the buddy arrangement has ended by then, Pamoja checks in alone). Nobody
else is ever watched: a "quiet" check-in notices only that its own person wrote in one of their
groups (never what), at most once an hour. Everything is in the database and survives restarts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.callbacks import encode
from bot.delivery.outbox import send_critical
from bot.peers import FEATURE, cadence
from bot.peers.buddies import buddy_link
from bot.people import language_of
from bot.records.peers import ACTIVE, ADMIN, BUDDY, QUIET, CheckIn
from bot.talk.members import groups_of
from bot.talk.requests import submit
from bot.talk.routing import ADMIN as TALK_ADMIN

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.delivery.outbox import Row
    from bot.records.scheduled import ScheduledAction

DUE = f"{FEATURE}.checkin"
ANSWER = "answer"  # check_in_id, ok | talk | help | stop
OK, TALK, HELP, STOP = "ok", "talk", "help", "stop"
ANSWERS = (OK, TALK, HELP, STOP)


async def ask_for(
    app: App, user_id: int, kind: str, days: int, who: str, chat_id: int | None
) -> CheckIn:
    """Record what the person asked for and schedule it."""
    data = app.bot_data
    if who == ADMIN and (chat_id is None or chat_id not in await groups_of(app, user_id)):
        raise ValueError("an administrator's check-in needs one of the person's groups")
    now = data.clock.epoch()
    check_in = await data.store.peers.add_check_in(
        user_id,
        kind,
        days,
        who,
        chat_id if who == ADMIN else None,
        cadence.first_due(days, now),
    )
    if kind == QUIET:
        data.quiet_watch.watch(user_id)
    await data.scheduler.schedule(
        app,
        DUE,
        check_in.next_at,
        user_id=user_id,
        payload={"check_in": check_in.id},
        dedupe_key=f"{DUE}:{check_in.id}:{check_in.next_at}",
    )
    return check_in


async def stop(data: BotData, user_id: int, check_in_id: int | None = None) -> int:
    stopped = await data.store.peers.stop_check_ins(user_id, check_in_id)
    if not any(c.kind == QUIET for c in await data.store.peers.check_ins_of(user_id)):
        data.quiet_watch.unwatch(user_id)
    return stopped


async def noticed(data: BotData, user_id: int) -> None:
    """The person wrote in one of their groups. A set lookup for everyone; a write at most
    once an hour, and only for people who asked for a "quiet" check-in."""
    watch = data.quiet_watch
    if not watch.loaded:
        watch.load(await data.store.peers.quiet_watched())
    now = data.clock.epoch()
    if watch.due_write(user_id, now):
        await data.store.peers.seen(user_id, now)


def buttons(data: BotData, lang: str, check_in_id: int) -> list[Row]:
    """The one-tap answers, as plain data (the outbox builds the keyboard when it sends)."""
    return [
        [
            (
                data.texts.raw(lang, f"peers.answer_{answer}"),
                encode(FEATURE, ANSWER, check_in_id, answer),
            )
        ]
        for answer in ANSWERS
    ]


async def due_job(app: App, action: ScheduledAction) -> None:
    """``peers.checkin``: the time came. A "quiet" one looks again if the person wrote since."""
    data = app.bot_data
    check_in = await data.store.peers.check_in(int(action.payload.get("check_in", 0)))
    if check_in is None:
        return
    now = data.clock.epoch()
    later = cadence.due_after_seen(check_in, now)
    if later is not None:
        await _again(app, check_in, later)
        return
    lang = await language_of(data, check_in.user_id)
    key = "peers.checkin_quiet" if check_in.kind == QUIET else "peers.checkin_after"
    await send_critical(
        app,
        check_in.user_id,
        data.texts.t(lang, key, days=check_in.days),
        kind=DUE,
        buttons=buttons(data, lang, check_in.id),
        member_id=check_in.user_id,
    )
    if check_in.who == ADMIN and check_in.chat_id is not None:
        await submit(app, check_in.user_id, lang, check_in.chat_id, TALK_ADMIN, None)
    elif check_in.who == BUDDY:
        await _nudge_buddy(app, check_in.user_id)
    if check_in.kind == QUIET:
        await _again(app, check_in, now + check_in.days * cadence.DAY)
    else:
        await data.store.peers.move_check_in(check_in.id, None)


async def _nudge_buddy(app: App, user_id: int) -> None:
    """The person's buddy (if they still have one) is asked, privately, to check in."""
    data = app.bot_data
    pair = await data.store.peers.current_pair(user_id)
    if pair is None or pair.status != ACTIVE:
        return
    buddy = pair.other(user_id)
    if buddy is None:
        return
    lang = await language_of(data, buddy)
    text = data.texts.t(lang, "peers.buddy_nudge", link=buddy_link(data, lang, user_id))
    await send_critical(app, buddy, text, kind=DUE, member_id=buddy)


async def _again(app: App, check_in: CheckIn, at: int) -> None:
    await app.bot_data.store.peers.move_check_in(check_in.id, at)
    await app.bot_data.scheduler.schedule(
        app,
        DUE,
        at,
        user_id=check_in.user_id,
        payload={"check_in": check_in.id},
        # A new row for each look (the running one is closed when this job returns).
        dedupe_key=f"{DUE}:{check_in.id}:{at}",
    )
