"""A group's rules as people read them, and new versions of them.

The current rules are the group's latest version, or the suggested defaults (version 0) in the
reader's language. A new version is checked, kept (the old ones stay in history), recorded in
the audit log and announced in the group — with an "I agree" button when the group asks its
members to agree again. Agreeing again is recorded and changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from bot.adapters.keyboards import button, keyboard
from bot.delivery import outbox
from bot.errors import RefusedError, StaleButtonError
from bot.i18n import Catalogues, Safe, format_moment
from bot.rules.callbacks import FEATURE, REACCEPT
from bot.rules.schedule import zone
from bot.rules.text import (
    MAX_CHARS,
    Rule,
    RulesTextError,
    brief,
    default_rules,
    find,
    html_line,
    html_rules,
    normalise,
    parse_rule_number,
    parse_rules,
)

if TYPE_CHECKING:
    from bot.context import App, BotData


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


async def rendered(
    data: BotData, chat_id: int | None, lang: str, title_if_unknown: str | None = None
) -> Safe:
    """The group's current rules, rendered with its title (the defaults without a group)."""
    group = await data.store.groups.get(chat_id) if chat_id is not None else None
    current = await current_rules(data, chat_id, lang)
    return render(data.texts, lang, current, group.title if group else title_if_unknown)


async def in_brief(data: BotData, chat_id: int, lang: str) -> Safe:
    """The group's current rules in brief (numbers and titles), for the welcome."""
    return Safe(brief((await current_rules(data, chat_id, lang)).rules))


async def read_in_private(data: BotData, chat_id: int) -> bool:
    """The group keeps its (long) rules for the private chat, with a pointer in the group."""
    return (await data.store.rules.settings(chat_id)).rules_where == "private"


def numbers_of(rules: list[Rule]) -> str:
    return ", ".join(str(rule.number) for rule in rules)


def local_date(epoch: int, tz_name: str, lang: str) -> str:
    """When a rules version was made, in the group's zone and the reader's language."""
    return format_moment(epoch, lang, zone(tz_name) or UTC)


async def history(data: BotData, chat_id: int, lang: str) -> Safe:
    """Every version of the group's rules, newest first, down to the defaults (version 0)."""
    group = await data.store.groups.get(chat_id)
    tz = group.timezone if group else data.settings.timezone
    lines = [
        data.texts.n(
            lang,
            "rules.history_line",
            len(parse_rules(item.body)),
            version=item.version,
            date=local_date(item.created_at, tz, lang),
        )
        for item in await data.store.rules.history(chat_id)
    ]
    lines.append(data.texts.t(lang, "rules.history_default"))
    return Safe("\n".join(lines))


async def new_version(app: App, chat_id: int, text: str, author_id: int | None) -> int:
    """Keep a new version of the rules; the new version number (``pinning.publish`` tells the
    group).

    Raises ``RefusedError`` (nothing kept) when the text cannot be used as rules.
    """
    data = app.bot_data
    try:
        body = normalise(text)
    except RulesTextError as error:
        raise RefusedError(f"rules.set_{error.reason}", limit=MAX_CHARS) from None
    saved = await data.store.rules.add_version(chat_id, body, author_id)
    await data.store.audit.record(
        "rules_changed", chat_id=chat_id, actor_id=author_id, detail=f"v{saved.version}"
    )
    return saved.version


async def announce(app: App, chat_id: int, version: int, *, pinned: bool) -> None:
    """Tell the group its rules changed: briefly when the full text is pinned, else in full;
    with an "I agree" button when the group asks its members to agree again."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    lang = group.language if group else data.settings.default_language
    settings = await data.store.rules.settings(chat_id)
    rules = (
        data.texts.t(lang, "rules.changed_pinned")
        if pinned
        else await rendered(data, chat_id, lang)
    )
    if settings.reacceptance:
        label = data.texts.raw(lang, "rules.button_agree")
        markup = keyboard([button(label, FEATURE, REACCEPT, chat_id, version)])
        key = "rules.changed_reaccept"
    else:
        markup = None
        key = "rules.changed"
    await outbox.send_critical(
        app,
        chat_id,
        data.texts.t(lang, key, version=version, rules=rules),
        kind="notice",
        reply_markup=markup,
    )


async def reaccept(data: BotData, chat_id: int, user_id: int, version: int) -> None:
    """A member agrees to changed rules; only the current version can be agreed to."""
    if version != await data.store.rules.current_version(chat_id):
        raise StaleButtonError
    await data.store.rules.accept(chat_id, user_id, version)
    await data.store.audit.record(
        "rules_agreed", chat_id=chat_id, actor_id=user_id, detail=f"v{version}"
    )


async def rule_to_remind(data: BotData, chat_id: int, lang: str, raw_number: str | None) -> Rule:
    """The rule ``/remind N`` names; ``RefusedError`` (with the numbers there are) if none."""
    current = await current_rules(data, chat_id, lang)
    number = parse_rule_number(raw_number)
    rule = find(current.rules, number) if number is not None else None
    if rule is None:
        raise RefusedError("rules.remind_which", numbers=numbers_of(current.rules))
    return rule


async def post_reminder(
    app: App, chat_id: int, lang: str, rule: Rule, actor_id: int | None
) -> None:
    """The reminder itself, to everyone in the group, and its line in the audit log."""
    data = app.bot_data
    await outbox.send_critical(
        app, chat_id, data.texts.t(lang, "rules.remind", rule=Safe(html_line(rule))), kind="notice"
    )
    await data.store.audit.record(
        "rules_reminded", chat_id=chat_id, actor_id=actor_id, detail=f"rule {rule.number}"
    )
