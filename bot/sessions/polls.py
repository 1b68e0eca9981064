"""Rules by group decision: an administrator puts a proposed change to the group as an
anonymous Telegram poll with a closing time; the result is shown to everyone; an administrator
adopts it with one tap, making a new version whose record says it came from the group."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from telegram import Poll

from bot.adapters.admins import tell_admins
from bot.errors import RefusedError
from bot.people import group_language
from bot.records.sessions import RulesPoll
from bot.rules.text import MAX_CHARS, RulesTextError, normalise
from bot.rules.versions import new_version
from bot.sessions import FEATURE, callbacks

if TYPE_CHECKING:
    from bot.context import App
    from bot.records.scheduled import ScheduledAction

CLOSE = f"{FEATURE}.poll_close"
DEFAULT_HOURS = 48
MAX_HOURS = 14 * 24
_DURATION = re.compile(r"^(\d{1,3})([hd])$")
OPTIONS = ("sessions.poll_yes", "sessions.poll_no", "sessions.poll_talk")


def split_duration(text: str) -> tuple[int, str]:
    """``/rulespoll [48h|3d] <the proposed rules>``: hours and the proposal."""
    first, _, rest = (
        text.strip().partition("\n") if "\n" in text.strip() else (text.strip(), "", "")
    )
    words = first.split(maxsplit=1)
    match = _DURATION.match(words[0].lower()) if words else None
    if match is None:
        return DEFAULT_HOURS, text.strip()
    hours = int(match[1]) * (24 if match[2] == "d" else 1)
    remainder = (words[1] if len(words) > 1 else "") + ("\n" + rest if rest else "")
    return max(1, min(hours, MAX_HOURS)), remainder.strip()


async def put_to_group(app: App, chat_id: int, text: str) -> RulesPoll:
    """Post the proposal and its poll; schedule its closing. ``RefusedError`` when the text
    cannot be rules."""
    data = app.bot_data
    hours, proposal = split_duration(text)
    try:
        body = normalise(proposal)
    except RulesTextError as error:
        raise RefusedError(f"rules.set_{error.reason}", limit=MAX_CHARS) from None
    lang = await group_language(data, chat_id)
    t = data.texts.t
    shown = await app.bot.send_message(
        chat_id, t(lang, "sessions.poll_proposal", rules=body, hours=hours)
    )
    sent = await app.bot.send_poll(
        chat_id,
        t(lang, "sessions.poll_question"),
        [data.texts.raw(lang, key) for key in OPTIONS],
        is_anonymous=True,
        reply_to_message_id=shown.message_id,
    )
    if sent.poll is None:  # pragma: no cover - Telegram always returns the poll
        raise RuntimeError("sendPoll returned no poll")
    closes_at = data.clock.epoch() + hours * 3600
    poll = await data.store.sessions.add_poll(
        chat_id, sent.message_id, sent.poll.id, body, closes_at
    )
    await data.scheduler.schedule(
        app,
        CLOSE,
        closes_at,
        chat_id=chat_id,
        payload={"poll": poll.id},
        dedupe_key=f"{CLOSE}:{poll.id}",
    )
    await data.store.audit.record(
        "rules_poll_opened", chat_id=chat_id, actor_id=None, detail=f"poll {poll.id}"
    )
    return poll


def counts(poll: Poll) -> tuple[int, int, int]:
    voters = [option.voter_count for option in poll.options]
    voters += [0] * (3 - len(voters))
    return voters[0], voters[1], voters[2]


async def counted(app: App, poll: Poll) -> None:
    """Telegram's running count of an anonymous poll (no voter is ever known)."""
    if await app.bot_data.store.sessions.poll_by_telegram_id(poll.id) is not None:
        await app.bot_data.store.sessions.count_poll(poll.id, counts(poll))


async def close_job(app: App, action: ScheduledAction) -> None:
    """``sessions.poll_close``: stop the poll, show the group the result, offer the admins
    to adopt it when more said yes than no."""
    data = app.bot_data
    poll = await data.store.sessions.poll(int(action.payload.get("poll", 0)))
    if poll is None or poll.status != "open":
        return
    stopped = await app.bot.stop_poll(poll.chat_id, poll.message_id)
    await data.store.sessions.count_poll(poll.poll_id, counts(stopped))
    if not await data.store.sessions.move_poll(poll.id, from_status="open", status="closed"):
        return
    yes, no, talk = counts(stopped)
    lang = await group_language(data, poll.chat_id)
    key = "sessions.poll_result_yes" if yes > no else "sessions.poll_result_not"
    await app.bot.send_message(poll.chat_id, data.texts.t(lang, key, yes=yes, no=no, talk=talk))
    if yes > no:
        await tell_admins(
            app,
            poll.chat_id,
            lambda reader: (
                data.texts.t(reader, "sessions.poll_adopt_offer", yes=yes, no=no, talk=talk),
                callbacks.adopt_button(data, reader, poll.id),
            ),
        )


async def adopt(app: App, poll_row: int, admin_id: int | None) -> int | None:
    """Make the proposal the group's new rules; None when it was already adopted or is not
    ready (still open, or the group said no)."""
    data = app.bot_data
    poll = await data.store.sessions.poll(poll_row)
    if poll is None or poll.status != "closed" or poll.yes <= poll.no:
        return None
    if not await data.store.sessions.move_poll(poll.id, from_status="closed", status="adopted"):
        return None
    version = await new_version(app, poll.chat_id, poll.proposal, admin_id)
    await data.store.audit.record(
        "rules_adopted_by_group",
        chat_id=poll.chat_id,
        actor_id=admin_id,
        detail=f"v{version} from poll {poll.id}: yes {poll.yes}, no {poll.no}",
    )
    return version
