"""Whom a moderation command names: a reply, a numeric id, or an ``@username`` the bot has seen
(looked up by its keyed digest). Naming someone the bot does not know is refused kindly."""

from __future__ import annotations

from bot.context import BotData
from bot.errors import RefusedError
from bot.moderation import policy


def error_key(code: str) -> str:
    """The catalogue answer for a command's words that cannot be used."""
    return "joinmodes.err_no_target" if code == "no_target" else f"moderation.err_{code}"


async def resolve(data: BotData, parsed: policy.ParsedCommand) -> int:
    """The id of the person the command's words name; ``RefusedError`` if nobody is known."""
    if parsed.target_id is not None:
        return parsed.target_id
    if parsed.target_handle is not None:
        found = await data.store.handles.find(parsed.target_handle)
        if found is None:
            raise RefusedError("joinmodes.unknown_handle", handle="@" + parsed.target_handle)
        return found
    raise RefusedError("joinmodes.err_no_target")


def parse(
    words: list[str], *, has_reply_target: bool, needs_duration: bool
) -> policy.ParsedCommand:
    """``policy.parse_command``, its refusals turned into kind answers."""
    try:
        return policy.parse_command(
            words, has_reply_target=has_reply_target, needs_duration=needs_duration
        )
    except policy.CommandError as error:
        raise RefusedError(error_key(error.code)) from None
