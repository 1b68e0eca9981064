"""What the rules handlers share: the group's current rules, rendering, buttons, reminders."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update, User

from bot.handlers.common import user_language
from bot.i18n import Catalogues, Safe, format_moment
from bot.rules.schedule import next_reminder
from bot.rules.text import Rule, default_rules, html_rules, parse_rules

if TYPE_CHECKING:
    from bot.context import App, BotData, Context

log = logging.getLogger(__name__)

# Scheduled action kinds (no dots: these are not catalogue keys).
REMINDER = "rules_reminder"
GATE_REMINDER = "rules_gate_reminder"
REQUEST_REMINDER = "rules_request_reminder"
REQUEST_EXPIRY = "rules_request_expiry"

# Callback data prefixes: "rules:<verb>:<ids>", all under 64 bytes.
AGREE = "rules:agree"  # rules:agree:<chat_id>:<user_id> — the newcomer's own tap
REACCEPT = "rules:ok"  # rules:ok:<chat_id>:<version> — anyone, after the rules changed
SHOW = "rules:show"  # rules:show:<chat_id> — pick a group in the private chat
APPLY = "rules:jr"  # rules:jr:<request_id> — the applicant agrees (approval mode)
DECIDE = "rules:jra"  # rules:jra:<request_id>:<a|d> — an admin approves or declines


def app_of(context: Context) -> App:
    """The application, typed (PTB types ``context.application`` loosely)."""
    return cast("App", context.application)


@dataclass(frozen=True)
class CurrentRules:
    version: int
    rules: list[Rule]


async def current_rules(data: BotData, chat_id: int | None, lang: str) -> CurrentRules:
    """The rules a person reads: the group's latest version, or the defaults in ``lang``."""
    if chat_id is not None:
        latest = await data.store.rules.current(chat_id)
        if latest is not None:
            return CurrentRules(latest.version, parse_rules(latest.body))
    return CurrentRules(0, default_rules(lang))


def render(texts: Catalogues, lang: str, current: CurrentRules, group_title: str | None) -> Safe:
    """The rules with a short heading; the defaults are labelled as the suggested set."""
    body = Safe(html_rules(current.rules))
    if current.version == 0:
        return texts.t(lang, "rules.list_default", rules=body)
    return texts.t(
        lang, "rules.list", group=group_title or "", version=current.version, rules=body
    )


def numbers_of(rules: list[Rule]) -> str:
    return ", ".join(str(rule.number) for rule in rules)


def mention(user_id: int, first_name: str) -> Safe:
    return Safe(f'<a href="tg://user?id={user_id}">{html.escape(first_name, quote=False)}</a>')


def button(texts: Catalogues, lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(texts.raw(lang, key), callback_data=data)


def agree_keyboard(
    texts: Catalogues, lang: str, chat_id: int, user_id: int
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(texts, lang, "rules.button_agree", f"{AGREE}:{chat_id}:{user_id}")]]
    )


def deep_link(bot_username: str | None, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"


@dataclass(frozen=True)
class Press:
    """A button press whose data parsed: who pressed, in which language, and the ids."""

    query: CallbackQuery
    user: User
    lang: str
    ids: list[int]
    texts: Catalogues

    async def stale(self) -> None:
        """Kindly say the button no longer works; nothing changes."""
        await self.query.answer(self.texts.t(self.lang, "common.stale"), show_alert=True)


async def pressed(update: Update, context: Context, prefix: str, count: int) -> Press | None:
    """The press of a ``prefix:id[:id]`` button, or None (after a kind answer) if forged."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.data is None:
        return None
    lang = await user_language(context, user)
    press = Press(query, user, lang, [], context.bot_data.texts)
    ids = parse_ids(query.data, prefix, count)
    if ids is None:
        await press.stale()
        return None
    return Press(query, user, lang, ids, context.bot_data.texts)


def parse_ids(data: str, prefix: str, count: int) -> list[int] | None:
    """The integer ids after ``prefix:`` in callback data; None if forged or malformed."""
    if not data.startswith(prefix + ":"):
        return None
    parts = data[len(prefix) + 1 :].split(":")
    if len(parts) != count:
        return None
    try:
        return [int(part) for part in parts]
    except ValueError:
        return None


def local_date(epoch: int, tz_name: str, lang: str) -> str:
    """When a rules version was made, in the group's zone and the reader's language."""
    from bot.rules.schedule import zone

    return format_moment(epoch, lang, zone(tz_name) or UTC)


async def ensure_reminder(app: App, chat_id: int) -> None:
    """Make sure an active group with reminders on has its next reminder in the database.

    A reminder already pending (even an overdue one, missed while the bot was down) is left
    alone, so it is sent once.
    """
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    settings = await data.store.rules.settings(chat_id)
    if not settings.schedule.enabled:
        return
    pending = [a for a in await data.store.scheduled.pending(REMINDER) if a.chat_id == chat_id]
    if pending:
        return
    due = next_reminder(data.clock.epoch(), settings.schedule, group.timezone)
    if due is not None:
        await data.scheduler.schedule(
            app, REMINDER, due, chat_id=chat_id, dedupe_key=f"{REMINDER}:{chat_id}:{due}"
        )


async def reschedule_reminder(app: App, chat_id: int) -> int | None:
    """After the schedule or time zone changed: drop the pending reminder, arm the new one."""
    await app.bot_data.scheduler.cancel(app, REMINDER, chat_id=chat_id, user_id=None)
    await ensure_reminder(app, chat_id)
    pending = [
        a for a in await app.bot_data.store.scheduled.pending(REMINDER) if a.chat_id == chat_id
    ]
    return pending[0].due_at if pending else None
