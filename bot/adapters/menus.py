"""The command menus Telegram shows, per scope and language."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from bot.context import App
from bot.i18n import FALLBACK

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MenuEntry:
    command: str
    private: bool = False
    group: bool = False
    admin: bool = False


def menu_for(menu: Sequence[MenuEntry], scope: str) -> list[str]:
    """The commands of one scope, in menu order. Admin menus also list the group commands."""
    commands: list[str] = []
    for entry in menu:
        wanted = {
            "private": entry.private,
            "group": entry.group,
            "admin": entry.admin or entry.group,
        }[scope]
        if wanted and entry.command not in commands:
            commands.append(entry.command)
    return commands


async def publish_descriptions(app: App) -> None:
    """The bot's description (its empty chat's first screen) and short description (its
    profile), in every language; a Bot API that refuses is logged, never fatal."""
    texts = app.bot_data.texts
    for lang in texts.languages:
        code = None if lang == FALLBACK else lang
        try:
            await app.bot.set_my_description(texts.raw(lang, "menu.about"), language_code=code)
            await app.bot.set_my_short_description(
                texts.raw(lang, "menu.about_short"), language_code=code
            )
        except TelegramError as error:
            log.warning("could not publish the description (%s)", type(error).__name__)
            return


async def publish_commands(app: App, menu: Sequence[MenuEntry]) -> None:
    """Publish the menus; a Bot API that refuses is logged, never fatal."""
    texts = app.bot_data.texts
    scopes: dict[str, BotCommandScope] = {
        "private": BotCommandScopeAllPrivateChats(),
        "group": BotCommandScopeAllGroupChats(),
        "admin": BotCommandScopeAllChatAdministrators(),
    }
    for lang in texts.languages:
        for name, scope in scopes.items():
            commands = [
                BotCommand(command, texts.raw(lang, f"menu.{command}"))
                for command in menu_for(menu, name)
            ]
            try:
                await app.bot.set_my_commands(
                    commands, scope=scope, language_code=None if lang == FALLBACK else lang
                )
            except TelegramError as error:
                log.warning("could not publish the %s menu (%s)", name, type(error).__name__)
                return
