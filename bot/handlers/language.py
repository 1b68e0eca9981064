"""/language: each member picks their own language; an administrator picks the group's."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.adapters.menus import MenuEntry
from bot.context import Context
from bot.handlers.common import group_admin, is_group, reply, text_of, user_language
from bot.handlers.feature import Feature
from bot.settings import SUPPORTED_LANGUAGES

_PERSONAL = "lang:me:"
_GROUP = "lang:group:"

MENU: tuple[MenuEntry, ...] = (MenuEntry("language", private=True, admin=True),)


def _keyboard(context: Context, prefix: str) -> InlineKeyboardMarkup:
    texts = context.bot_data.texts
    buttons = [
        InlineKeyboardButton(texts.raw(code, "language.name"), callback_data=prefix + code)
        for code in SUPPORTED_LANGUAGES
    ]
    return InlineKeyboardMarkup([buttons])


async def language(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if is_group(chat):
        if await group_admin(update, context) is None:
            return
        await reply(
            update, context, "language.group_choose", reply_markup=_keyboard(context, _GROUP)
        )
        return
    await reply(update, context, "language.choose", reply_markup=_keyboard(context, _PERSONAL))


async def choose(update: Update, context: Context) -> None:
    query = update.callback_query
    user = update.effective_user
    chat = update.effective_chat
    if query is None or user is None or chat is None or query.data is None:
        return
    code = query.data.rsplit(":", 1)[-1]
    data = context.bot_data
    if code not in SUPPORTED_LANGUAGES:
        await query.answer(text_of(context, await user_language(context, user), "common.stale"))
        return
    if query.data.startswith(_GROUP):
        if not is_group(chat) or not await data.admins.is_admin(context.bot, chat.id, user.id):
            lang = await user_language(context, user)
            await query.answer(text_of(context, lang, "common.admins_only"), show_alert=True)
            return
        await data.store.groups.update_setting(chat.id, "language", code)
        await data.store.audit.record(
            "settings.language", chat_id=chat.id, actor_id=user.id, detail=code
        )
        await query.answer()
        await query.edit_message_text(text_of(context, code, "language.group_set"))
        return
    await data.store.users.set_language(user.id, code)
    await query.answer()
    await query.edit_message_text(text_of(context, code, "language.set"))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler(
            "language", language, filters=filters.ChatType.PRIVATE | filters.ChatType.GROUPS
        ),
        CallbackQueryHandler(choose, pattern=r"^lang:(me|group):"),
    ]


def feature() -> Feature:
    return Feature(name="language", menu=MENU, commands=handlers())
