"""/start, /help, /privacy and friendly answers to what the bot does not understand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.adapters.keyboards import point_to_private, private_chat_button
from bot.adapters.menus import MenuEntry
from bot.adapters.replies import reply
from bot.context import Context
from bot.delivery import outbox
from bot.handlers.feature import Handler
from bot.people import language_of

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("start", private=True),
    MenuEntry("help", private=True, group=True),
    MenuEntry("privacy", private=True),
)


async def start(update: Update, context: Context) -> None:
    """First contact in a private chat: what Pamoja is and what a member can do here."""
    user = update.effective_user
    if user is not None:
        await reply(update, context, "start.welcome", name=user.first_name)


async def start_group(update: Update, context: Context) -> None:
    """/start in a group: a short answer with a button into the private chat."""
    await point_to_private(update, context, "start.in_group")


async def help_private(update: Update, context: Context) -> None:
    await reply(update, context, "help.private")


async def help_group(update: Update, context: Context) -> None:
    """Members' help in the group; administrators also get theirs, privately when possible."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    await reply(update, context, "help.group", reply_markup=private_chat_button(context, lang))
    if await data.admins.is_admin(context.bot, chat.id, user.id):
        await outbox.send_critical(
            context.app, user.id, data.texts.t(lang, "help.admins"), kind="answer"
        )


async def privacy(update: Update, context: Context) -> None:
    await reply(
        update, context, "privacy.statement", days=context.bot_data.settings.retention_days
    )


async def unknown_private(update: Update, context: Context) -> None:
    await reply(update, context, "common.unknown_command")


async def plain_private(update: Update, context: Context) -> None:
    """A private message nothing awaited and no conversation took: what the bot can do."""
    await reply(update, context, "common.private_hint")


def handlers() -> list[Handler]:
    """/help and /privacy; ``/start`` is the router's (it reads the deep-link payload)."""
    return [
        CommandHandler("help", help_private, filters=PRIVATE),
        CommandHandler("help", help_group, filters=GROUPS),
        CommandHandler("start", start_group, filters=GROUPS),
        CommandHandler("privacy", privacy),
    ]
