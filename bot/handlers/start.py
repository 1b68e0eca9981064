"""/start, /help, /privacy and friendly answers to what the bot does not understand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.adapters.menus import MenuEntry
from bot.adapters.replies import send_private
from bot.context import Context
from bot.handlers.common import private_chat_button, reply, text_of, user_language

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("start", private=True),
    MenuEntry("help", private=True, group=True),
    MenuEntry("privacy", private=True, group=True),
)


async def start(update: Update, context: Context) -> None:
    """First contact in a private chat: what Pamoja is and what a member can do here."""
    user = update.effective_user
    if user is None:
        return
    await context.bot_data.store.users.seen_private(user.id, user.language_code)
    await reply(update, context, "start.welcome", name=user.first_name)


async def help_private(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is not None:
        await context.bot_data.store.users.seen_private(user.id, user.language_code)
    await reply(update, context, "help.private")


async def help_group(update: Update, context: Context) -> None:
    """Members' help in the group; administrators also get theirs, privately when possible."""
    lang = await user_language(context, update.effective_user)
    await reply(update, context, "help.group", reply_markup=private_chat_button(context, lang))
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if await context.bot_data.admins.is_admin(context.bot, chat.id, user.id):
        await send_private(
            context.bot, context.bot_data, user.id, text_of(context, lang, "help.admins")
        )


async def privacy(update: Update, context: Context) -> None:
    await reply(
        update, context, "privacy.statement", days=context.bot_data.settings.retention_days
    )


async def unknown_private(update: Update, context: Context) -> None:
    await reply(update, context, "common.unknown_command")


async def plain_private(update: Update, context: Context) -> None:
    """A private message outside any conversation: say kindly what the bot can do."""
    user = update.effective_user
    if user is not None:
        await context.bot_data.store.users.seen_private(user.id, user.language_code)
    await reply(update, context, "common.private_hint")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("help", help_private, filters=PRIVATE),
        CommandHandler("help", help_group, filters=GROUPS),
        CommandHandler("privacy", privacy),
    ]


def fallbacks() -> list[BaseHandler[Update, Context, None]]:
    """Registered last: only what no other handler took."""
    return [
        MessageHandler(PRIVATE & filters.COMMAND, unknown_private),
        MessageHandler(PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE, plain_private),
    ]
