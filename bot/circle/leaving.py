"""A member who leaves a group of their own accord gets one kind private note: Pamoja keeps
their circle locked for them, or erases their data if they would rather (the same question as
``/forgetme``). Only someone who started the bot can be written to; nobody else is told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.keyboards import button, keyboard
from bot.adapters.replies import send_private
from bot.circle.callbacks import FEATURE, LEAVE_ERASE, LEAVE_KEEP
from bot.people import language_of_person

if TYPE_CHECKING:
    from bot.context import App


async def left_group(app: App, chat_id: int, user_id: int) -> bool:
    """The member left ``chat_id`` themselves: the note, if they can be reached privately."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    person = await data.store.users.get(user_id)
    if group is None or not group.active or person is None or not person.reachable:
        return False
    lang = language_of_person(data, person)
    texts = data.texts
    markup = keyboard(
        [button(texts.raw(lang, "joinmodes.button_keep_circle"), FEATURE, LEAVE_KEEP)],
        [button(texts.raw(lang, "joinmodes.button_erase_data"), FEATURE, LEAVE_ERASE)],
    )
    text = texts.t(lang, "joinmodes.left_note", group=group.title)
    return await send_private(app.bot, data, user_id, text, reply_markup=markup) is not None
