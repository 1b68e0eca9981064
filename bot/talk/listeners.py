"""Peer listeners: members who offer to listen one-to-one, per group, with a pause switch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.errors import RefusedError, StaleButtonError
from bot.ids import parse_id
from bot.records.talk import Listening
from bot.talk.callbacks import ALL_GROUPS
from bot.talk.members import groups_of, titles

if TYPE_CHECKING:
    from bot.context import App, BotData


async def listening(data: BotData, user_id: int) -> list[Listening]:
    return await data.store.talk.listening(user_id)


async def groups_to_join(app: App, user_id: int) -> list[int]:
    """The person's groups they do not listen in yet (refused kindly if there are none)."""
    already = {x.chat_id for x in await listening(app.bot_data, user_id)}
    groups = [g for g in await groups_of(app, user_id) if g not in already]
    if not groups:
        raise RefusedError("talk.listener_all_on" if already else "talk.listener_no_groups")
    return groups


async def groups_listening(data: BotData, user_id: int) -> list[int]:
    """The groups the person listens in (refused kindly if none)."""
    chat_ids = [x.chat_id for x in await listening(data, user_id)]
    if not chat_ids:
        raise RefusedError("talk.listener_not_on")
    return chat_ids


async def turn_on(data: BotData, user_id: int, groups: list[int]) -> str:
    """Listen in these groups; returns their titles. Offering again means available again."""
    for chat_id in groups:
        await data.store.talk.listen(user_id, chat_id)
    await data.store.talk.set_paused(user_id, False)
    return await titles(data, groups)


async def turn_off(data: BotData, user_id: int, groups: list[int] | None = None) -> None:
    """Stop listening in these groups (every group when ``None``)."""
    if groups is None:
        await data.store.talk.stop_listening(user_id)
        return
    for chat_id in groups:
        await data.store.talk.stop_listening(user_id, chat_id)


async def pause(data: BotData, user_id: int, paused: bool) -> None:
    """A break (or its end) in every group the person listens in."""
    await groups_listening(data, user_id)
    await data.store.talk.set_paused(user_id, paused)


async def chosen(app: App, user_id: int, target: str, *, turning_on: bool) -> list[int]:
    """The groups a button names (one, or ``all``) among those the person may choose."""
    if turning_on:
        allowed = await groups_of(app, user_id)
    else:
        allowed = [x.chat_id for x in await listening(app.bot_data, user_id)]
    if target == ALL_GROUPS:
        picked = allowed
    elif parse_id(target) in allowed:
        picked = [int(target)]
    else:
        picked = []
    if not picked:
        raise StaleButtonError
    return picked
