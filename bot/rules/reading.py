"""Which group's rules a person reads in the private chat.

The bot knows the groups it saw someone join; for anyone it never saw join (the owner, say)
it asks Telegram about a few active groups and remembers the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import BadRequest, Forbidden

from bot.adapters.presence import is_present

if TYPE_CHECKING:
    from bot.context import App, BotData

MAX_GROUPS_ASKED = 30


async def groups_of_reader(app: App, user_id: int) -> list[int]:
    """The groups whose rules this person may read privately: those the bot knows them in
    and Telegram confirms they are in now; else the groups Telegram says they are in."""
    known = await app.bot_data.store.users.groups_of(user_id)
    confirmed = [chat_id for chat_id in known if await present_now(app, user_id, chat_id)]
    return confirmed or await _groups_present(app, user_id)


async def _groups_present(app: App, user_id: int) -> list[int]:
    """Groups the bot never saw the person join: ask Telegram, a few at most."""
    store = app.bot_data.store
    found = []
    for group in (await store.groups.active())[:MAX_GROUPS_ASKED]:
        try:
            member = await app.bot.get_chat_member(group.chat_id, user_id)
        except (BadRequest, Forbidden):
            continue
        if is_present(member):
            found.append(group.chat_id)
            await store.users.set_membership(group.chat_id, user_id, str(member.status))
    return found


async def may_read(app: App, user_id: int, chat_id: int) -> bool:
    """A group picked from the private list must be one of the person's groups, and they
    must still be in it (the list, or forged button data, may be older than a leave)."""
    known = chat_id in await app.bot_data.store.users.groups_of(user_id)
    return known and await present_now(app, user_id, chat_id)


async def present_now(app: App, user_id: int, chat_id: int) -> bool:
    """Is the person in the group right now? Telegram is asked: the records may be old (a
    member who left while the bot was down), and a link may name any group."""
    try:
        member = await app.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return False
    return is_present(member)


async def titles(data: BotData, chat_ids: list[int]) -> list[tuple[int, str]]:
    """Each group with the title to show (its id when it has none)."""
    named = []
    for chat_id in chat_ids:
        group = await data.store.groups.get(chat_id)
        named.append((chat_id, group.title if group and group.title else str(chat_id)))
    return named


async def known_group(data: BotData, chat_id: int) -> bool:
    return await data.store.groups.get(chat_id) is not None
