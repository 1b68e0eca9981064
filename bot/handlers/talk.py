"""Placeholder: the talk feature registers its handlers here."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.commands import MenuEntry
from bot.context import Context
from bot.scheduler import ActionHandler

MENU: tuple[MenuEntry, ...] = ()


def gates() -> list[BaseHandler[Update, Context, None]]:
    return []


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return []


def observers() -> list[BaseHandler[Update, Context, None]]:
    return []


def jobs() -> dict[str, ActionHandler]:
    return {}
