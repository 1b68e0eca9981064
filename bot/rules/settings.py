"""A group's settings, as its administrators see and change them with ``/settings``.

``/settings`` alone shows every value and the subcommands that change it; each subcommand
changes one thing. Wrong input changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.errors import RefusedError
from bot.i18n import Safe
from bot.records.rules import Schedule
from bot.rules import reminders
from bot.rules.schedule import parse_time, parse_weekday, zone
from bot.settings import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from bot.context import App, BotData

ON = ("on", "yes", "1", "true", "ndiyo", "washa")
OFF = ("off", "no", "0", "false", "hapana", "zima")
JOIN_MODES = ("open", "approval", "invitation")


def switch(raw: str) -> bool | None:
    lowered = raw.lower()
    if lowered in ON:
        return True
    if lowered in OFF:
        return False
    return None


def parse_schedule(values: list[str], current: Schedule) -> Schedule | None:
    """``off`` | ``on`` | ``fri 18:00`` | ``fri`` | ``18:00`` (the rest kept as it was)."""
    if len(values) == 1 and switch(values[0]) is not None:
        return replace(current, enabled=bool(switch(values[0])))
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
        reminders_text = texts.t(
            lang,
            "rules.reminders_weekly",
            day=texts.raw(lang, f"rules.day_{rules.schedule.weekday}"),
            time=rules.schedule.hhmm,
        )
    else:
        reminders_text = texts.t(lang, "rules.off")
    return texts.t(
        lang,
        "rules.settings_show",
        reminders=reminders_text,
        gate=on_off(group.rules_gate),
        reaccept=on_off(rules.reacceptance),
        where=texts.t(lang, f"rules.where_{rules.rules_where}"),
        language=texts.raw(lang, "language.name"),
        timezone=group.timezone,
        join=texts.t(lang, f"rules.join_{group.join_mode}"),
        flagging=on_off(group.flagging),
    )


async def known_group(data: BotData, chat_id: int) -> bool:
    """Settings exist only for a group the bot was set up in; else ``RefusedError``."""
    if await data.store.groups.get(chat_id) is None:
        raise RefusedError("rules.settings_unknown_group")
    return True


async def show(app: App, chat_id: int) -> Safe:
    """The settings as they are (and the reminder put in the calendar if it went missing)."""
    await known_group(app.bot_data, chat_id)
    await reminders.ensure(app, chat_id)
    return await summary(app.bot_data, chat_id)


async def change(
    app: App, chat_id: int, actor_id: int | None, what: str, values: list[str]
) -> Safe:
    """Change one setting and record it; the new summary. Not understood: ``RefusedError``."""
    data = app.bot_data
    await known_group(data, chat_id)
    changed = await _apply(app, chat_id, what.lower(), values)
    if changed is None:
        raise RefusedError("rules.settings_bad", body=await summary(data, chat_id))
    await data.store.audit.record(
        "rules_settings", chat_id=chat_id, actor_id=actor_id, detail=changed
    )
    body = await summary(data, chat_id)
    mode = changed.removeprefix("join=")
    if mode in JOIN_MODES and mode != "open":
        # What the admins still do in Telegram for the mode to hold.
        group = await data.store.groups.get(chat_id)
        lang = group.language if group else data.settings.default_language
        body = Safe(body + "\n\n" + data.texts.t(lang, f"joinmodes.hint_{mode}"))
    return body


async def _apply(app: App, chat_id: int, what: str, values: list[str]) -> str | None:
    """Apply one change; a short description for the audit log, or None if not understood."""
    store = app.bot_data.store
    rules = await store.rules.settings(chat_id)
    first = values[0] if values else ""
    flag = switch(first)
    if what in ("reminders", "reminder", "vikumbusho"):
        schedule = parse_schedule(values, rules.schedule)
        if schedule is None:
            return None
        await store.rules.save_settings(replace(rules, schedule=schedule))
        await reminders.reschedule(app, chat_id)
        return f"reminders={schedule.enabled}:{schedule.weekday}:{schedule.hhmm}"
    if what in ("gate", "lango") and flag is not None:
        await store.groups.update_setting(chat_id, "rules_gate", int(flag))
        return f"gate={flag}"
    if what in ("reaccept", "reacceptance") and flag is not None:
        await store.rules.save_settings(replace(rules, reacceptance=flag))
        return f"reaccept={flag}"
    if what in ("flagging", "flag") and flag is not None:
        await store.groups.update_setting(chat_id, "flagging", int(flag))
        return f"flagging={flag}"
    if what in ("rules", "where") and first.lower() in ("group", "private"):
        await store.rules.save_settings(replace(rules, rules_where=first.lower()))
        return f"where={first.lower()}"
    if what in ("language", "lugha") and first.lower() in SUPPORTED_LANGUAGES:
        await store.groups.update_setting(chat_id, "language", first.lower())
        return f"language={first.lower()}"
    if what in ("timezone", "tz") and zone(first) is not None:
        await store.groups.update_setting(chat_id, "timezone", first)
        await reminders.reschedule(app, chat_id)
        return f"timezone={first}"
    if what in ("join", "joinmode") and first.lower() in JOIN_MODES:
        group = await store.groups.get(chat_id)
        if first.lower() != "open" and group is not None and not group.rights.can_invite:
            # Answering join requests and making personal links both need this right.
            raise RefusedError("joinmodes.mode_needs_invite_right")
        await store.groups.update_setting(chat_id, "join_mode", first.lower())
        return f"join={first.lower()}"
    return None
