"""/settings for a group's admins, and the scheduled rules reminder.

``/settings`` alone shows every value and the subcommands that change it; each subcommand
changes one thing and answers with the new values. Wrong input changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot.context import App, BotData, Context
from bot.handlers.common import group_admin, is_group, reply
from bot.handlers.rules_common import (
    REMINDER,
    app_of,
    current_rules,
    ensure_reminder,
    render,
    reschedule_reminder,
)
from bot.i18n import Safe
from bot.records.scheduled import ScheduledAction
from bot.rules.schedule import Schedule, next_reminder, parse_time, parse_weekday, zone
from bot.settings import SUPPORTED_LANGUAGES

log = logging.getLogger(__name__)

ON = ("on", "yes", "1", "true", "ndiyo", "washa")
OFF = ("off", "no", "0", "false", "hapana", "zima")
JOIN_MODES = ("open", "approval", "invitation")


def _switch(raw: str) -> bool | None:
    lowered = raw.lower()
    if lowered in ON:
        return True
    if lowered in OFF:
        return False
    return None


async def summary(data: BotData, chat_id: int) -> Safe:
    """Every setting of the group, in its language, with the subcommands that change them."""
    group = await data.store.groups.get(chat_id)
    if group is None:
        return data.texts.t(data.settings.default_language, "rules.settings_unknown_group")
    lang = group.language
    texts = data.texts
    rules = await data.store.rules.settings(chat_id)

    def on_off(value: bool) -> Safe:
        return texts.t(lang, "rules.on" if value else "rules.off")

    if rules.schedule.enabled:
        reminders = texts.t(
            lang,
            "rules.reminders_weekly",
            day=texts.raw(lang, f"rules.day_{rules.schedule.weekday}"),
            time=rules.schedule.hhmm,
        )
    else:
        reminders = texts.t(lang, "rules.off")
    return texts.t(
        lang,
        "rules.settings_show",
        reminders=reminders,
        gate=on_off(group.rules_gate),
        reaccept=on_off(rules.reacceptance),
        where=texts.t(lang, f"rules.where_{rules.rules_where}"),
        language=texts.raw(lang, "language.name"),
        timezone=group.timezone,
        join=texts.t(lang, f"rules.join_{group.join_mode}"),
        flagging=on_off(group.flagging),
    )


async def settings_command(update: Update, context: Context) -> None:
    """/settings [what value]: show or change the group's settings (admins)."""
    chat = update.effective_chat
    if chat is None:
        return
    if not is_group(chat):
        await reply(update, context, "rules.settings_in_group")
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    data = context.bot_data
    if await data.store.groups.get(chat.id) is None:
        await reply(update, context, "rules.settings_unknown_group")
        return
    args = [arg for arg in (context.args or []) if arg]
    if not args:
        await ensure_reminder(app_of(context), chat.id)
        await reply(update, context, "rules.settings_wrap", body=await summary(data, chat.id))
        return
    changed = await _change(update, context, chat.id, args[0].lower(), args[1:])
    if changed is None:
        await reply(update, context, "rules.settings_bad", body=await summary(data, chat.id))
        return
    await data.store.audit.record(
        "rules_settings", chat_id=chat.id, actor_id=actor.user_id, detail=changed
    )
    await reply(update, context, "rules.settings_saved", body=await summary(data, chat.id))


async def _change(
    update: Update, context: Context, chat_id: int, what: str, values: list[str]
) -> str | None:
    """Apply one change; a short description for the audit log, or None if not understood."""
    del update
    data = context.bot_data
    store = data.store
    rules = await store.rules.settings(chat_id)
    first = values[0] if values else ""
    if what in ("reminders", "reminder", "vikumbusho"):
        schedule = _parse_schedule(values, rules.schedule)
        if schedule is None:
            return None
        await store.rules.save_settings(replace(rules, schedule=schedule))
        await reschedule_reminder(app_of(context), chat_id)
        return f"reminders={schedule.enabled}:{schedule.weekday}:{schedule.hhmm}"
    if what in ("gate", "lango") and _switch(first) is not None:
        await store.groups.update_setting(chat_id, "rules_gate", int(bool(_switch(first))))
        return f"gate={_switch(first)}"
    if what in ("reaccept", "reacceptance") and _switch(first) is not None:
        await store.rules.save_settings(replace(rules, reacceptance=bool(_switch(first))))
        return f"reaccept={_switch(first)}"
    if what in ("flagging", "flag") and _switch(first) is not None:
        await store.groups.update_setting(chat_id, "flagging", int(bool(_switch(first))))
        return f"flagging={_switch(first)}"
    if what in ("rules", "where") and first.lower() in ("group", "private"):
        await store.rules.save_settings(replace(rules, rules_where=first.lower()))
        return f"where={first.lower()}"
    if what in ("language", "lugha") and first.lower() in SUPPORTED_LANGUAGES:
        await store.groups.update_setting(chat_id, "language", first.lower())
        return f"language={first.lower()}"
    if what in ("timezone", "tz") and zone(first) is not None:
        await store.groups.update_setting(chat_id, "timezone", first)
        await reschedule_reminder(app_of(context), chat_id)
        return f"timezone={first}"
    if what in ("join", "joinmode") and first.lower() in JOIN_MODES:
        await store.groups.update_setting(chat_id, "join_mode", first.lower())
        return f"join={first.lower()}"
    return None


def _parse_schedule(values: list[str], current: Schedule) -> Schedule | None:
    """``off`` | ``on`` | ``fri 18:00`` | ``fri`` | ``18:00`` (the rest kept as it was)."""
    if len(values) == 1 and _switch(values[0]) is not None:
        return replace(current, enabled=bool(_switch(values[0])))
    if len(values) == 1 and values[0].lower() == "weekly":
        return replace(current, enabled=True)
    if not values or len(values) > 2:
        return None
    weekday, at = current.weekday, current.at
    for value in values:
        day = parse_weekday(value)
        moment = parse_time(value)
        if day is not None:
            weekday = day
        elif moment is not None:
            at = moment
        else:
            return None
    return Schedule(enabled=True, weekday=weekday, at=at)


async def reminder_job(app: App, action: ScheduledAction) -> None:
    """The group's regular reminder of its rules; then the next one is put in the calendar.

    The next one is computed from now, so a reminder missed while the bot was down is sent
    once, not once per missed week.
    """
    data = app.bot_data
    chat_id = action.chat_id
    if chat_id is None:
        return
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    settings = await data.store.rules.settings(chat_id)
    if not settings.schedule.enabled:
        return
    lang = group.language
    if settings.rules_where == "private":
        text = data.texts.t(lang, "rules.scheduled_short")
    else:
        current = await current_rules(data, chat_id, lang)
        text = data.texts.t(
            lang, "rules.scheduled", rules=render(data.texts, lang, current, group.title)
        )
    try:
        await app.bot.send_message(chat_id, text)
    except Forbidden:
        log.info("rules reminder: the bot can no longer write in %s", chat_id)
        return
    except BadRequest as error:
        log.warning("rules reminder in %s refused (%s)", chat_id, error.message)
    due = next_reminder(data.clock.epoch(), settings.schedule, group.timezone)
    if due is not None:
        await data.scheduler.schedule(
            app, REMINDER, due, chat_id=chat_id, dedupe_key=f"{REMINDER}:{chat_id}:{due}"
        )
