"""A group's settings, as its administrators change them: by tapping, or by typing.

``/settings`` in a group points to the private chat; there an administrator picks the group
(when they look after several) and gets a menu: a button per on/off option, and pages of
choices for the join mode, language, where the rules are shown, the reminder's day and time,
the time zone (a short East African list, or typed), the support lines' country and the
group's own lines. Each tap changes one thing, is audited, and is confirmed by the menu itself
(edited in place); nothing is posted in the group. The typed forms (``/settings gate off``,
``/settings reminders friday 6pm``, ``/settings lugha sw``) still work; what is not understood
changes nothing and shows the menu.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.adapters.callbacks import encode
from bot.errors import AdminsOnlyError, RefusedError
from bot.i18n import Safe
from bot.records.rules import Schedule
from bot.rules import pinning, reminders
from bot.rules.callbacks import FEATURE as RULES
from bot.rules.schedule import find_zone, parse_time, parse_weekday, zone
from bot.settings import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from bot.context import App, BotData
    from bot.records.awaiting import Awaiting
    from bot.records.groups import Group
    from bot.records.rules import RulesSettings

FEATURE = "settings"  # button data ``settings:<verb>:<chat_id>[:<what>[:<value>]]``
PAGE = "page"  # settings:page:<chat_id>:<page> — show a page of the menu
FLIP = "flip"  # settings:flip:<chat_id>:<option> — turn an on/off option over
PICK = "pick"  # settings:pick:<chat_id>:<what>:<value> — choose one value
ASK = "ask"  # settings:ask:<chat_id>:<what> — ask for a typed value (time zone, a line)
DROP = "drop"  # settings:drop:<chat_id>:<line_id> — remove one of the group's own lines
CANCEL = "cancel"  # settings:cancel:<chat_id> — stop waiting for typed words, back to the menu
GROUPS = "groups"  # settings:groups:0 — back to the group picker
OPEN = "open"  # settings:open:<chat_id> — a group picked
CLOSE = "close"  # settings:close:<chat_id> — done

TYPED_ZONE = f"{RULES}.settings_zone"  # awaiting: a time zone typed after "Other"
TYPED_LINE = f"{RULES}.settings_line"  # awaiting: one of the group's own lines
TYPED_TIMEOUT = 30 * 60

ON = ("on", "yes", "1", "true", "ndiyo", "washa", "ndio")
OFF = ("off", "no", "0", "false", "hapana", "zima")
JOIN_MODES = ("open", "approval", "invitation")
WHERE = ("group", "private")
# Time zones offered as buttons: East Africa, then "Other" (typed).
ZONES = (
    "Africa/Nairobi",
    "Africa/Dar_es_Salaam",
    "Africa/Kampala",
    "Africa/Kigali",
    "Africa/Bujumbura",
    "Africa/Juba",
    "Africa/Addis_Ababa",
    "Africa/Mogadishu",
)
TIMES = ("07:00", "08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00")
OTHER_COUNTRY = "ZZ"  # lines for "other countries" (the [default] table)
TOGGLES = ("gate", "reaccept", "pin", "flagging", "emergency", "reminders")

# The typed words for each setting, English and Kiswahili.
WORDS = {
    "reminders": ("reminders", "reminder", "vikumbusho", "kikumbusho"),
    "gate": ("gate", "lango"),
    "reaccept": ("reaccept", "reacceptance", "kukubali"),
    "flagging": ("flagging", "flag", "matangazo"),
    "pin": ("pin", "bandika"),
    "emergency": ("emergency", "dharura"),
    "where": ("rules", "where", "sheria"),
    "language": ("language", "lang", "lugha"),
    "timezone": ("timezone", "tz", "zone", "saa", "majira"),
    "join": ("join", "joinmode", "joining", "kujiunga"),
    "country": ("country", "lines", "nchi"),
}
VALUE_WORDS = {
    "wazi": "open",
    "idhini": "approval",
    "ruhusa": "approval",
    "mwaliko": "invitation",
    "kikundi": "group",
    "kikundini": "group",
    "faragha": "private",
    "english": "en",
    "kiingereza": "en",
    "kiswahili": "sw",
    "swahili": "sw",
}
_NUMBER = re.compile(r"^\+?[0-9][0-9 ()-]{1,22}$")


Rows = list[list[tuple[str, str]]]


@dataclass(frozen=True)
class Screen:
    """A page of the menu: its text, and rows of ``(label, button data)``."""

    text: Safe
    rows: Rows


def switch(raw: str) -> bool | None:
    lowered = raw.lower()
    if lowered in ON:
        return True
    if lowered in OFF:
        return False
    return None


def setting_named(word: str) -> str | None:
    lowered = word.lower()
    return next((name for name, words in WORDS.items() if lowered in words), None)


def parse_schedule(values: list[str], current: Schedule) -> Schedule | None:
    """``off`` | ``on`` | ``fri 18:00`` | ``friday 6pm`` | ``ijumaa`` | ``18:00``."""
    if len(values) == 1 and switch(values[0]) is not None:
        return replace(current, enabled=bool(switch(values[0])))
    if len(values) == 1 and values[0].lower() in ("weekly", "kila_wiki"):
        return replace(current, enabled=True)
    joined = " ".join(values)
    # "6 pm" typed with a space is one time.
    joined = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", joined, flags=re.IGNORECASE)
    parts = [part for part in re.split(r"[\s,]+", joined) if part and part.lower() != "at"]
    if not parts or len(parts) > 2:
        return None
    weekday, at = current.weekday, current.at
    for value in parts:
        day = parse_weekday(value)
        moment = parse_time(value)
        if day is not None:
            weekday = day
        elif moment is not None:
            at = moment
        else:
            return None
    return Schedule(enabled=True, weekday=weekday, at=at)


def parse_line(text: str) -> tuple[str, str, str] | None:
    """``Name, number, hours`` (hours optional; commas or new lines between) -> the three."""
    parts = [part.strip() for part in re.split(r"[,\n;]", text) if part.strip()]
    if len(parts) not in (2, 3):
        return None
    name, number = parts[0], parts[1]
    hours = parts[2] if len(parts) == 3 else ""
    if not (1 <= len(name) <= 60) or len(hours) > 40 or not _NUMBER.match(number):
        return None
    return name, " ".join(number.split()), hours


# -- who may ------------------------------------------------------------------------------------


async def known_group(data: BotData, chat_id: int) -> Group:
    """Settings exist only for a group the bot was set up in; else ``RefusedError``."""
    group = await data.store.groups.get(chat_id)
    if group is None:
        raise RefusedError("rules.settings_unknown_group")
    return group


async def admin_of(app: App, chat_id: int, user_id: int) -> Group:
    """The group, if this person administers it; else a kind refusal."""
    group = await known_group(app.bot_data, chat_id)
    if not group.active or not await app.bot_data.admins.is_admin(app.bot, chat_id, user_id):
        raise AdminsOnlyError
    return group


# -- the menu -----------------------------------------------------------------------------------


def _data(verb: str, chat_id: int, *args: object) -> str:
    return encode(FEATURE, verb, chat_id, *args)


def cancel_data(chat_id: int) -> str:
    """The Cancel button under a prompt that waits for typed words."""
    return _data(CANCEL, chat_id)


def _zone_label(data: BotData, lang: str, name: str) -> str:
    city = name.rsplit("/", 1)[-1]
    key = f"settings.zone_{city.lower()}"
    return data.texts.raw(lang, key) if data.texts.has(key) else city.replace("_", " ")


async def screen(
    app: App, chat_id: int, lang: str, page: str = "main", note: Safe | None = None
) -> Screen:
    """One page of a group's settings menu, in the reader's language."""
    data = app.bot_data
    texts = data.texts
    group = await known_group(data, chat_id)
    rules = await data.store.rules.settings(chat_id)
    back = [(texts.raw(lang, "settings.back"), _data(PAGE, chat_id, "main"))]
    head = texts.t(lang, "settings.title", group=group.title)
    if note:
        head = Safe(f"{note}\n\n{head}")
    builder = _PAGES.get(page, _main)
    body, rows = await builder(app, group, rules, lang)
    if page in _PAGES and page != "main":
        rows.append(back)
    return Screen(Safe(f"{head}\n{body}" if body else head), rows)


def _on_off(data: BotData, lang: str, value: bool) -> str:
    return data.texts.raw(lang, "settings.on" if value else "settings.off")


def _chosen(label: str, chosen: bool) -> str:
    return f"● {label}" if chosen else label


def reminder_text(data: BotData, lang: str, schedule: Schedule) -> str:
    if not schedule.enabled:
        return data.texts.raw(lang, "settings.off")
    return data.texts.t(
        lang,
        "settings.reminders_weekly",
        day=data.texts.raw(lang, f"rules.day_{schedule.weekday}"),
        time=schedule.hhmm,
    )


def country_text(data: BotData, lang: str, code: str) -> str:
    return data.crisis.country_name(code, lang)


async def _main(app: App, group: Group, rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    data = app.bot_data
    texts = data.texts
    chat_id = group.chat_id

    def toggle(key: str, option: str, value: bool) -> list[tuple[str, str]]:
        label = texts.plain(lang, key, value=_on_off(data, lang, value))
        return [(label, _data(FLIP, chat_id, option))]

    def page(key: str, name: str, **values: str) -> list[tuple[str, str]]:
        return [(texts.plain(lang, key, **values), _data(PAGE, chat_id, name))]

    def counted(key: str, name: str, count: int) -> list[tuple[str, str]]:
        return [(html.unescape(texts.n(lang, key, count)), _data(PAGE, chat_id, name))]

    own = await data.store.groups.lines(chat_id)
    may_pin = await pinning.may_pin(app, chat_id)
    pin_label = "settings.label_pin" if may_pin else "settings.label_pin_no_right"
    rows = [
        toggle("settings.label_gate", "gate", group.rules_gate),
        toggle("settings.label_reaccept", "reaccept", rules.reacceptance),
        toggle(pin_label, "pin", group.pin_rules),
        page(
            "settings.label_where",
            "where",
            value=texts.raw(lang, f"settings.where_{rules.rules_where}"),
        ),
        page(
            "settings.label_reminders",
            "reminders",
            value=reminder_text(data, lang, rules.schedule),
        ),
        page(
            "settings.label_join",
            "join",
            value=texts.raw(lang, f"settings.join_{group.join_mode}"),
        ),
        page(
            "settings.label_language", "language", value=texts.raw(group.language, "language.name")
        ),
        page("settings.label_timezone", "timezone", value=_zone_label(data, lang, group.timezone)),
        page(
            "settings.label_country",
            "country",
            value=country_text(data, lang, group.crisis_country),
        ),
        counted("settings.label_lines", "lines", len(own)),
        toggle("settings.label_emergency", "emergency", group.show_emergency),
        toggle("settings.label_flagging", "flagging", group.flagging),
        [(texts.raw(lang, "settings.done"), _data(CLOSE, chat_id))],
    ]
    return texts.raw(lang, "settings.main_hint"), rows


async def _join(app: App, group: Group, _rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    texts = app.bot_data.texts
    rows = [
        [
            (
                _chosen(texts.raw(lang, f"settings.join_{mode}"), mode == group.join_mode),
                _data(PICK, group.chat_id, "join", mode),
            )
        ]
        for mode in JOIN_MODES
    ]
    body = texts.raw(lang, "settings.join_hint")
    if group.join_mode != "open":
        # What the admins still turn on in Telegram for the chosen mode to hold.
        body += "\n\n" + texts.raw(lang, f"joinmodes.hint_{group.join_mode}")
    return body, rows


async def _language(app: App, group: Group, _rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    texts = app.bot_data.texts
    row = [
        (
            _chosen(texts.raw(code, "language.name"), code == group.language),
            _data(PICK, group.chat_id, "language", code),
        )
        for code in SUPPORTED_LANGUAGES
    ]
    return texts.raw(lang, "settings.language_hint"), [row]


async def _where(app: App, group: Group, rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    texts = app.bot_data.texts
    rows = [
        [
            (
                _chosen(texts.raw(lang, f"settings.where_{where}"), where == rules.rules_where),
                _data(PICK, group.chat_id, "where", where),
            )
        ]
        for where in WHERE
    ]
    return texts.raw(lang, "settings.where_hint"), rows


async def _reminders(app: App, group: Group, rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    data = app.bot_data
    texts = data.texts
    schedule = rules.schedule
    chat_id = group.chat_id
    toggle = texts.plain(
        lang, "settings.label_reminders_on", value=_on_off(data, lang, schedule.enabled)
    )
    days = [
        (
            _chosen(
                texts.raw(lang, f"settings.day_short_{day}"),
                schedule.enabled and day == schedule.weekday,
            ),
            _data(PICK, chat_id, "day", day),
        )
        for day in range(7)
    ]
    times = [
        (
            _chosen(hhmm, schedule.enabled and hhmm == schedule.hhmm),
            _data(PICK, chat_id, "time", hhmm.replace(":", "")),
        )
        for hhmm in TIMES
    ]
    rows = [
        [(toggle, _data(FLIP, chat_id, "reminders"))],
        days[:4],
        days[4:],
        times[:4],
        times[4:],
    ]
    body = texts.t(lang, "settings.reminders_hint", now=reminder_text(data, lang, schedule))
    return body, rows


async def _timezone(app: App, group: Group, _rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    data = app.bot_data
    texts = data.texts
    buttons = [
        (
            _chosen(_zone_label(data, lang, name), name == group.timezone),
            _data(PICK, group.chat_id, "timezone", index),
        )
        for index, name in enumerate(ZONES)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(texts.raw(lang, "settings.zone_other"), _data(ASK, group.chat_id, "timezone"))])
    return texts.t(lang, "settings.timezone_hint", zone=group.timezone), rows


async def _country(app: App, group: Group, _rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    data = app.bot_data
    texts = data.texts
    codes = [*data.crisis.countries(), OTHER_COUNTRY]
    current = group.crisis_country if data.crisis.has(group.crisis_country) else OTHER_COUNTRY
    buttons = [
        (
            _chosen(country_text(data, lang, code), code == current),
            _data(PICK, group.chat_id, "country", code),
        )
        for code in codes
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return texts.raw(lang, "settings.country_hint"), rows


async def _lines(app: App, group: Group, _rules: RulesSettings, lang: str) -> tuple[str, Rows]:
    data = app.bot_data
    texts = data.texts
    own = await data.store.groups.lines(group.chat_id)
    listed = [
        texts.t(
            lang,
            "settings.line_item",
            name=line.name,
            number=line.number,
            hours=texts.t(lang, "crisis.hours", hours=line.hours) if line.hours else "",
        )
        for line in own
    ]
    rows = [
        [
            (
                texts.plain(lang, "settings.line_remove", name=line.name),
                _data(DROP, group.chat_id, line.id),
            )
        ]
        for line in own
    ]
    rows.append([(texts.raw(lang, "settings.line_add"), _data(ASK, group.chat_id, "line"))])
    body = "\n".join(listed) if listed else texts.raw(lang, "settings.lines_none")
    return texts.t(lang, "settings.lines_hint", lines=Safe(body)), rows


_PAGES = {
    "main": _main,
    "join": _join,
    "language": _language,
    "where": _where,
    "reminders": _reminders,
    "timezone": _timezone,
    "country": _country,
    "lines": _lines,
}


def picker(data: BotData, lang: str, groups: list[tuple[int, str]]) -> Screen:
    """For someone who administers several groups: which one to set up."""
    ordered = sorted(groups, key=lambda named: named[1].casefold())
    rows = [[(title, _data(OPEN, chat_id))] for chat_id, title in ordered]
    return Screen(data.texts.t(lang, "settings.pick_group"), rows)


# -- changing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One setting changed: what (``setting``), its new value as stored, for the audit log."""

    setting: str
    value: str


def still_to_do(data: BotData, lang: str, change: Change) -> str:
    """What the admins still turn on in Telegram for a change to hold (the join modes that
    answer join requests), else nothing."""
    if change.setting == "join" and change.value != "open":
        return "\n\n" + data.texts.raw(lang, f"joinmodes.hint_{change.value}")
    return ""


async def flip(app: App, chat_id: int, actor_id: int | None, option: str) -> Change:
    """Turn one on/off option over."""
    data = app.bot_data
    group = await known_group(data, chat_id)
    rules = await data.store.rules.settings(chat_id)
    current = {
        "gate": group.rules_gate,
        "reaccept": rules.reacceptance,
        "pin": group.pin_rules,
        "flagging": group.flagging,
        "emergency": group.show_emergency,
        "reminders": rules.schedule.enabled,
    }
    if option not in current:
        raise RefusedError("settings.not_understood")
    return await set_value(app, chat_id, actor_id, option, "off" if current[option] else "on")


async def set_value(
    app: App, chat_id: int, actor_id: int | None, setting: str, raw: str
) -> Change:
    """Set one setting to one value (a button's or a typed one); audited. Not understood:
    ``RefusedError`` and nothing changes."""
    change = await _apply(app, chat_id, setting, raw)
    if change is None:
        raise RefusedError("settings.not_understood")
    await app.bot_data.store.audit.record(
        "rules_settings",
        chat_id=chat_id,
        actor_id=actor_id,
        detail=f"{change.setting}={change.value}",
    )
    return change


async def typed(app: App, chat_id: int, actor_id: int | None, words: list[str]) -> Change:
    """``/settings <what> <value...>`` as typed, in English or Kiswahili."""
    await known_group(app.bot_data, chat_id)
    setting = setting_named(words[0]) if words else None
    if setting is None or len(words) < 2:
        raise RefusedError("settings.not_understood")
    values = words[1:]
    if setting == "reminders":
        return await _typed_schedule(app, chat_id, actor_id, values)
    raw = " ".join(values)
    if setting == "timezone":
        found = find_zone(raw)
        if found is None:
            raise RefusedError("settings.bad_zone")
        return await set_value(app, chat_id, actor_id, "zone", found)
    if setting in TOGGLES and switch(raw) is None:
        raise RefusedError("settings.not_understood")
    if setting in TOGGLES:
        return await set_value(app, chat_id, actor_id, setting, "on" if switch(raw) else "off")
    return await set_value(app, chat_id, actor_id, setting, VALUE_WORDS.get(raw.lower(), raw))


async def _typed_schedule(
    app: App, chat_id: int, actor_id: int | None, values: list[str]
) -> Change:
    data = app.bot_data
    rules = await data.store.rules.settings(chat_id)
    schedule = parse_schedule(values, rules.schedule)
    if schedule is None:
        raise RefusedError("settings.not_understood")
    await data.store.rules.save_settings(replace(rules, schedule=schedule))
    await reminders.reschedule(app, chat_id)
    value = f"{schedule.weekday}@{schedule.hhmm}" if schedule.enabled else "off"
    await data.store.audit.record(
        "rules_settings", chat_id=chat_id, actor_id=actor_id, detail=f"reminders={value}"
    )
    return Change("reminders", value)


async def _save_schedule(app: App, chat_id: int, rules: RulesSettings, schedule: Schedule) -> None:
    await app.bot_data.store.rules.save_settings(replace(rules, schedule=schedule))
    await reminders.reschedule(app, chat_id)


async def _apply(app: App, chat_id: int, setting: str, raw: str) -> Change | None:
    """Apply one change; what changed, or None if the value is not one the setting takes."""
    data = app.bot_data
    store = data.store
    await known_group(data, chat_id)
    rules = await store.rules.settings(chat_id)
    value = raw.strip()
    flag = switch(value)
    columns = {
        "gate": "rules_gate",
        "pin": "pin_rules",
        "flagging": "flagging",
        "emergency": "show_emergency",
    }
    if setting in columns and flag is not None:
        await store.groups.update_setting(chat_id, columns[setting], int(flag))
        if setting == "pin":
            await (pinning.pin(app, chat_id) if flag else pinning.unpin(app, chat_id))
        return Change(setting, "on" if flag else "off")
    if setting == "reaccept" and flag is not None:
        await store.rules.save_settings(replace(rules, reacceptance=flag))
        return Change(setting, "on" if flag else "off")
    if setting == "reminders" and flag is not None:
        await _save_schedule(app, chat_id, rules, replace(rules.schedule, enabled=flag))
        return Change(setting, "on" if flag else "off")
    if setting == "day" and value.isdigit() and 0 <= int(value) <= 6:
        await _save_schedule(
            app, chat_id, rules, replace(rules.schedule, enabled=True, weekday=int(value))
        )
        return Change(setting, value)
    moment = parse_time(value)
    if setting == "time" and moment is not None:
        await _save_schedule(app, chat_id, rules, replace(rules.schedule, enabled=True, at=moment))
        return Change(setting, f"{moment.hour:02d}:{moment.minute:02d}")
    if setting == "where" and value.lower() in WHERE:
        await store.rules.save_settings(replace(rules, rules_where=value.lower()))
        return Change(setting, value.lower())
    if setting == "language" and value.lower() in SUPPORTED_LANGUAGES:
        await store.groups.update_setting(chat_id, "language", value.lower())
        return Change(setting, value.lower())
    if setting == "join" and value.lower() in JOIN_MODES:
        # Stored here; each mode is enforced by the join features (bot/rules/approval.py,
        # bot/rules/invites.py). Answering join requests and personal links need this right.
        group = await known_group(data, chat_id)
        if value.lower() != "open" and not group.rights.can_invite:
            raise RefusedError("joinmodes.mode_needs_invite_right")
        await store.groups.update_setting(chat_id, "join_mode", value.lower())
        return Change(setting, value.lower())
    if setting == "timezone" and value.isdigit() and int(value) < len(ZONES):
        return await _apply(app, chat_id, "zone", ZONES[int(value)])
    if setting == "zone" and zone(value) is not None:
        await store.groups.update_setting(chat_id, "timezone", value)
        await reminders.reschedule(app, chat_id)
        return Change("timezone", value)
    code = value.upper()
    if setting == "country" and (data.crisis.has(code) or code == OTHER_COUNTRY):
        await store.groups.update_setting(chat_id, "crisis_country", code)
        return Change(setting, code)
    return None


async def remove_line(app: App, chat_id: int, actor_id: int | None, line_id: int) -> Change:
    data = app.bot_data
    removed = await data.store.groups.remove_line(chat_id, line_id)
    if removed is None:
        raise RefusedError("settings.line_gone")
    await data.store.audit.record(
        "rules_settings", chat_id=chat_id, actor_id=actor_id, detail=f"line_removed={removed.name}"
    )
    return Change("line_removed", removed.name)


# -- typed values the menu asked for ------------------------------------------------------------


async def ask(app: App, chat_id: int, user_id: int, what: str) -> str:
    """Wait for this administrator's typed time zone or line; the catalogue key to ask with."""
    await admin_of(app, chat_id, user_id)
    kind = {"timezone": TYPED_ZONE, "line": TYPED_LINE}.get(what)
    if kind is None:
        raise RefusedError("settings.not_understood")
    await app.bot_data.store.awaiting.expect(user_id, kind, TYPED_TIMEOUT, {"chat_id": chat_id})
    return "settings.ask_zone" if kind == TYPED_ZONE else "settings.ask_line"


async def receive(app: App, waiting: Awaiting, text: str) -> tuple[int, Change]:
    """The typed value arrived: saved (the wait ends); a value that does not fit is refused
    kindly and the wait goes on."""
    data = app.bot_data
    chat_id = waiting.payload.get("chat_id")
    if not isinstance(chat_id, int):
        await data.store.awaiting.clear(waiting.user_id)
        raise RefusedError("settings.cancelled")
    try:
        await admin_of(app, chat_id, waiting.user_id)
    except AdminsOnlyError:
        await data.store.awaiting.clear(waiting.user_id)
        raise
    if waiting.kind == TYPED_ZONE:
        found = find_zone(text)
        if found is None:
            raise RefusedError("settings.bad_zone")
        change = await set_value(app, chat_id, waiting.user_id, "zone", found)
    else:
        parsed = parse_line(text)
        if parsed is None:
            raise RefusedError("settings.bad_line")
        if not await data.store.groups.add_line(chat_id, *parsed):
            await data.store.awaiting.clear(waiting.user_id)
            raise RefusedError("settings.too_many_lines")
        await data.store.audit.record(
            "rules_settings",
            chat_id=chat_id,
            actor_id=waiting.user_id,
            detail=f"line_added={parsed[0]}",
        )
        change = Change("line_added", parsed[0])
    await data.store.awaiting.clear(waiting.user_id)
    return chat_id, change


async def cancel_typing(data: BotData, user_id: int) -> int | None:
    """Stop waiting for a typed setting; the group it was for (None if nothing was awaited)."""
    waiting = await data.store.awaiting.current(user_id)
    if waiting is None or waiting.kind not in (TYPED_ZONE, TYPED_LINE):
        return None
    await data.store.awaiting.clear(user_id)
    chat_id = waiting.payload.get("chat_id")
    return chat_id if isinstance(chat_id, int) else None


def confirmation(data: BotData, lang: str, change: Change) -> Safe:
    """The line above the menu that says what was saved, in plain words."""
    return data.texts.t(lang, "settings.saved", what=describe(data, lang, change))


def describe(data: BotData, lang: str, change: Change) -> Safe:
    """A change in plain words ("Time zone: Kampala"), for the menu and for /log."""
    texts = data.texts
    value: str = change.value
    setting = change.setting
    if setting in TOGGLES and value in ("on", "off"):
        value = texts.raw(lang, f"settings.{value}")
    elif setting == "reminders":
        day, _, hhmm = value.partition("@")
        value = (
            texts.raw(lang, "settings.off")
            if value == "off"
            else texts.t(
                lang,
                "settings.reminders_weekly",
                day=texts.raw(lang, f"rules.day_{day}"),
                time=hhmm,
            )
        )
    elif setting == "day" and value.isdigit():
        value = texts.raw(lang, f"rules.day_{value}")
    elif setting == "where" and value in WHERE:
        value = texts.raw(lang, f"settings.where_{value}")
    elif setting == "join" and value in JOIN_MODES:
        value = texts.raw(lang, f"settings.join_{value}")
    elif setting == "language" and value in SUPPORTED_LANGUAGES:
        value = texts.raw(value, "language.name")
    elif setting == "country":
        value = country_text(data, lang, value)
    key = f"settings.what_{setting}"
    if not texts.has(key):
        return texts.t(lang, "settings.what_other", value=change.setting)
    return texts.t(lang, key, value=value)
