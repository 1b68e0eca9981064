"""/language: each member picks their own language; an administrator picks the group's."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.adapters.callbacks import Callback, callback_handler
from bot.adapters.guards import group_admin, is_group
from bot.adapters.keyboards import button, keyboard
from bot.adapters.menus import MenuEntry
from bot.adapters.replies import answer_button, edit_quietly, reply
from bot.context import Context
from bot.errors import AdminsOnlyError
from bot.groups import language as languages
from bot.handlers.feature import Feature
from bot.settings import SUPPORTED_LANGUAGES as LANGUAGES

FEATURE = "language"
MENU: tuple[MenuEntry, ...] = (MenuEntry("language", private=True),)


def _choices(context: Context, verb: str) -> InlineKeyboardMarkup:
    texts = context.bot_data.texts
    return keyboard(
        [button(texts.raw(code, "language.name"), FEATURE, verb, code) for code in LANGUAGES]
    )


async def language(update: Update, context: Context) -> None:
    if is_group(update.effective_chat):
        if await group_admin(update, context) is None:
            return
        await reply(
            update, context, "language.group_choose", reply_markup=_choices(context, "group")
        )
        return
    await reply(update, context, "language.choose", reply_markup=_choices(context, "personal"))


async def choose_personal(update: Update, context: Context, pressed: Callback) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    code = pressed.count(1).text(0)
    await languages.set_personal(context.bot_data, user.id, code)
    await answer_button(query)
    if query.message is not None:
        text = context.bot_data.texts.t(code, "language.set")
        await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def choose_for_group(update: Update, context: Context, pressed: Callback) -> None:
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    code = pressed.count(1).text(0)
    data = context.bot_data
    if not is_group(chat) or not await data.admins.is_admin(context.bot, chat.id, user.id):
        raise AdminsOnlyError
    await languages.set_for_group(data, chat.id, user.id, code)
    await answer_button(query)
    if query.message is not None:
        text = data.texts.t(code, "language.group_set")
        await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


def feature() -> Feature:
    return Feature(
        name=FEATURE,
        menu=MENU,
        commands=[
            CommandHandler(
                "language", language, filters=filters.ChatType.PRIVATE | filters.ChatType.GROUPS
            ),
            callback_handler(FEATURE, {"personal": choose_personal, "group": choose_for_group}),
        ],
    )
