"""Polls: sendPoll and stopPoll (regular polls, anonymous by default, as Telegram has them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.errors import bad_request
from emulator.keyboards import parse_reply_markup
from emulator.methods.base import MethodSpec
from emulator.methods.compose import post, reply_target, thread_target
from emulator.params import Params
from emulator.rules import bot_chat
from emulator.serialize import message_json
from emulator.world import JSON

if TYPE_CHECKING:
    from emulator.state import World

MAX_QUESTION = 300
MAX_OPTION = 100
MAX_OPEN_PERIOD = 600
"""Telegram accepts ``open_period`` and ``close_date`` only up to 600 s ahead (5–600 s)."""


def _options(params: Params) -> list[JSON]:
    raw = params.decoded("options", "options")
    if not isinstance(raw, list):
        raise bad_request("poll options must be non-empty")
    options: list[JSON] = []
    for item in raw:
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str) or not text.strip():
            raise bad_request("poll options must be non-empty")
        if len(text) > MAX_OPTION:
            raise bad_request("poll options length must not exceed 100")
        options.append({"persistent_id": str(len(options)), "text": text, "voter_count": 0})
    if not 2 <= len(options) <= 12:
        raise bad_request(
            "poll must have at least 2 option"
            if len(options) < 2
            else "poll can't have more than 12 options"
        )
    return options


def _close_date(world: World, params: Params) -> int | None:
    period = params.integer("open_period")
    close = params.integer("close_date")
    if period is not None:
        if not 5 <= period <= MAX_OPEN_PERIOD:
            raise bad_request("wrong open period specified")
        return world.today() + period
    if close is not None:
        if not 5 <= close - world.today() <= MAX_OPEN_PERIOD:
            raise bad_request("wrong close date specified")
        return close
    return None


def send_poll(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params, sending="poll")
    question = params.required_text("question", "poll question must be non-empty")
    if len(question) > MAX_QUESTION:
        raise bad_request("poll question length must not exceed 300")
    if chat.is_private and params.flag("is_anonymous", True):
        raise bad_request("polls can't be sent to private chats")  # anonymous ones only in groups
    kind = params.text("type") or "regular"
    if kind not in ("regular", "quiz"):
        raise bad_request("wrong poll type specified")
    poll: JSON = {
        "id": str(world.new_callback_id()),
        "question": question,
        "options": _options(params),
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": params.flag("is_anonymous", True),
        "type": kind,
        "allows_multiple_answers": params.flag("allows_multiple_answers"),
        "allows_revoting": params.flag("allows_revoting", True),
        "members_only": params.flag("members_only"),
    }
    close_date = _close_date(world, params)
    if close_date is not None:
        poll["close_date"] = close_date
    reply_to = reply_target(chat, params)
    message = post(
        world,
        chat,
        poll=poll,
        reply_to=reply_to,
        thread_id=thread_target(chat, params, reply_to),
        reply_markup=parse_reply_markup(params),
    )
    return message_json(world, message)


def stop_poll(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params)
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted or message.poll is None:
        raise bad_request("message with poll to stop not found")
    if message.sender_id != world.bot.id:
        raise bad_request("message can't be edited")
    if message.poll["is_closed"]:
        raise bad_request("poll has already been closed")
    message.poll["is_closed"] = True
    world.updates.push("poll", dict(message.poll))
    return dict(message.poll)


SPECS = (MethodSpec("sendPoll", send_poll), MethodSpec("stopPoll", stop_poll))
