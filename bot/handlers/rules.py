"""Ground rules: /rules, /setrules, /remind, the join gate, approval mode, /settings, reminders.

This module registers the feature; the gate and approval mode live in ``rules_gate``, the
settings and scheduled reminders in ``rules_settings``.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.adapters.menus import MenuEntry
from bot.adapters.presence import is_present
from bot.adapters.replies import delete_quietly
from bot.context import Context
from bot.handlers import rules_gate, rules_settings
from bot.handlers.common import (
    group_admin,
    is_group,
    language_for,
    reply,
    user_language,
)
from bot.handlers.feature import Feature
from bot.handlers.rules_common import (
    AGREE,
    APPLY,
    DECIDE,
    GATE_REMINDER,
    REACCEPT,
    REMINDER,
    REQUEST_EXPIRY,
    REQUEST_REMINDER,
    SHOW,
    app_of,
    current_rules,
    deep_link,
    ensure_reminder,
    local_date,
    numbers_of,
    pressed,
    render,
)
from bot.i18n import Safe
from bot.rules.text import (
    MAX_CHARS,
    Rule,
    RulesTextError,
    find,
    html_line,
    normalise,
    parse_rule_number,
    parse_rules,
)
from bot.scheduler import ActionHandler

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
WRITING = 1
EDIT_TIMEOUT = 30 * 60
_DRAFT_CHAT = "rules_edit_chat"  # user_data: the group whose rules are being written (transient)
_DRAFT_SINCE = "rules_edit_since"

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("rules", private=True, group=True),
    MenuEntry("setrules", admin=True),
    MenuEntry("remind", admin=True),
    MenuEntry("settings", admin=True),
)


# --- /rules ---------------------------------------------------------------------------------


async def rules_group(update: Update, context: Context) -> None:
    """/rules in a group (or /rules history for admins)."""
    chat = update.effective_chat
    if chat is None:
        return
    if context.args and context.args[0].lower() in ("history", "historia"):
        await history(update, context)
        return
    data = context.bot_data
    group = await data.store.groups.get(chat.id)
    lang = await language_for(update, context)
    await ensure_reminder(app_of(context), chat.id)
    settings = await data.store.rules.settings(chat.id)
    if settings.rules_where == "private":
        link = deep_link(context.bot.username, f"rules_{chat.id}")
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(data.texts.raw(lang, "rules.button_read"), url=link)]]
        )
        await reply(update, context, "rules.in_private", reply_markup=keyboard)
        return
    current = await current_rules(data, chat.id, lang)
    title = group.title if group else chat.title
    await reply(update, context, "rules.wrap", body=render(data.texts, lang, current, title))


async def history(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is None or await group_admin(update, context) is None:
        return
    data = context.bot_data
    group = await data.store.groups.get(chat.id)
    lang = await language_for(update, context)
    tz = group.timezone if group else data.settings.timezone
    lines = [
        data.texts.t(
            lang,
            "rules.history_line",
            version=item.version,
            date=local_date(item.created_at, tz, lang),
            count=len(parse_rules(item.body)),
        )
        for item in await data.store.rules.history(chat.id)
    ]
    lines.append(data.texts.t(lang, "rules.history_default"))
    await reply(update, context, "rules.history", lines=Safe("\n".join(lines)))


async def rules_private(update: Update, context: Context) -> None:
    """/rules in the private chat: the person's group, or a choice when they are in several."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    await data.store.users.seen_private(user.id, user.language_code)
    lang = await user_language(context, user)
    chat_ids = await data.store.users.groups_of(user.id) or await _groups_present(context, user.id)
    if len(chat_ids) == 1:
        await _send_rules_privately(update, context, chat_ids[0])
        return
    if not chat_ids:
        current = await current_rules(data, None, lang)
        await reply(
            update, context, "rules.private_default", body=render(data.texts, lang, current, None)
        )
        return
    buttons = []
    for chat_id in chat_ids:
        group = await data.store.groups.get(chat_id)
        title = group.title if group and group.title else str(chat_id)
        buttons.append([InlineKeyboardButton(title, callback_data=f"{SHOW}:{chat_id}")])
    await reply(update, context, "rules.pick_group", reply_markup=InlineKeyboardMarkup(buttons))


MAX_GROUPS_ASKED = 30


async def _groups_present(context: Context, user_id: int) -> list[int]:
    """Groups the bot never saw the person join (e.g. the owner): ask Telegram, a few at most."""
    found = []
    for group in (await context.bot_data.store.groups.active())[:MAX_GROUPS_ASKED]:
        try:
            member = await context.bot.get_chat_member(group.chat_id, user_id)
        except (BadRequest, Forbidden):
            continue
        if is_present(member):
            found.append(group.chat_id)
            await context.bot_data.store.users.set_membership(
                group.chat_id, user_id, str(member.status)
            )
    return found


async def _send_rules_privately(update: Update, context: Context, chat_id: int) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    data = context.bot_data
    lang = await user_language(context, user)
    group = await data.store.groups.get(chat_id)
    current = await current_rules(data, chat_id, lang)
    text = data.texts.t(
        lang, "rules.wrap", body=render(data.texts, lang, current, group.title if group else None)
    )
    await context.bot.send_message(chat.id, text)


async def show_picked(update: Update, context: Context) -> None:
    """A group picked from the private /rules list."""
    press = await pressed(update, context, SHOW, 1)
    if press is None:
        return
    query, user, ids, data = press.query, press.user, press.ids, context.bot_data
    if ids[0] not in await data.store.users.groups_of(user.id):
        await press.stale()
        return
    await query.answer()
    await _send_rules_privately(update, context, ids[0])


async def rules_deep_link(update: Update, context: Context) -> None:
    """``/start rules_<chat_id>`` from a group's "Read the rules" button."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.text is None:
        return
    await context.bot_data.store.users.seen_private(user.id, user.language_code)
    chat_id = int(message.text.split("_", 1)[1])
    if await context.bot_data.store.groups.get(chat_id) is None:
        await rules_private(update, context)
    else:
        await _send_rules_privately(update, context, chat_id)
    raise ApplicationHandlerStop


# --- /setrules ------------------------------------------------------------------------------

_COMMAND = re.compile(r"^/\w+(@\w+)?\s?", re.ASCII)


def _text_after_command(message: Message) -> str:
    text = message.text or ""
    return _COMMAND.sub("", text, count=1).strip()


async def save_rules(
    context: Context, chat_id: int, text: str, author_id: int | None
) -> tuple[int | None, str | None]:
    """Keep a new version and tell the group; (version, None) or (None, error key)."""
    data = context.bot_data
    try:
        body = normalise(text)
    except RulesTextError as error:
        return None, f"rules.set_{error.reason}"
    saved = await data.store.rules.add_version(chat_id, body, author_id)
    await data.store.audit.record(
        "rules_changed", chat_id=chat_id, actor_id=author_id, detail=f"v{saved.version}"
    )
    group = await data.store.groups.get(chat_id)
    lang = group.language if group else data.settings.default_language
    settings = await data.store.rules.settings(chat_id)
    current = await current_rules(data, chat_id, lang)
    rules = render(data.texts, lang, current, group.title if group else None)
    if settings.reacceptance:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        data.texts.raw(lang, "rules.button_agree"),
                        callback_data=f"{REACCEPT}:{chat_id}:{saved.version}",
                    )
                ]
            ]
        )
        text_key = "rules.changed_reaccept"
    else:
        keyboard = None
        text_key = "rules.changed"
    await context.bot.send_message(
        chat_id,
        data.texts.t(lang, text_key, version=saved.version, rules=rules),
        reply_markup=keyboard,
    )
    return saved.version, None


async def setrules_group(update: Update, context: Context) -> None:
    """/setrules in a group: the text after the command, the replied-to text, or a guided edit."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    data = context.bot_data
    if await data.store.groups.get(chat.id) is None:
        await reply(update, context, "rules.settings_unknown_group")
        return
    text = _text_after_command(message)
    replied = message.reply_to_message
    if not text and replied is not None:
        text = (replied.text or replied.caption or "").strip()
    if not text:
        lang = await language_for(update, context)
        link = deep_link(context.bot.username, f"setrules_{chat.id}")
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(data.texts.raw(lang, "rules.button_write"), url=link)]]
        )
        await reply(update, context, "rules.set_guided_group", reply_markup=keyboard)
        return
    _, error = await save_rules(context, chat.id, text, actor.user_id)
    if error is not None:
        await reply(update, context, error, limit=MAX_CHARS)


async def _admin_groups(context: Context, user_id: int) -> list[int]:
    data = context.bot_data
    found = []
    for group in await data.store.groups.active():
        try:
            if await data.admins.is_admin(context.bot, group.chat_id, user_id):
                found.append(group.chat_id)
        except (BadRequest, Forbidden):
            log.info("admin list of %s unavailable", group.chat_id)
    return found


async def _begin_edit(update: Update, context: Context, chat_id: int) -> int:
    user = update.effective_user
    assert user is not None  # noqa: S101 - checked by the callers
    data = context.bot_data
    if not await data.admins.is_admin(context.bot, chat_id, user.id, fresh=True):
        await reply(update, context, "common.admins_only")
        raise ApplicationHandlerStop(ConversationHandler.END)
    group = await data.store.groups.get(chat_id)
    if context.user_data is not None:
        context.user_data[_DRAFT_CHAT] = chat_id
        context.user_data[_DRAFT_SINCE] = data.clock.epoch()
    await reply(update, context, "rules.set_guided_start", group=group.title if group else "")
    raise ApplicationHandlerStop(WRITING)


async def edit_deep_link(update: Update, context: Context) -> int:
    """``/start setrules_<chat_id>``: the guided edit for one group."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.text is None:
        raise ApplicationHandlerStop(ConversationHandler.END)
    await context.bot_data.store.users.seen_private(user.id, user.language_code)
    return await _begin_edit(update, context, int(message.text.split("_", 1)[1]))


async def edit_private(update: Update, context: Context) -> int:
    """/setrules in the private chat: pick the group (admins only), then write."""
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop(ConversationHandler.END)
    await context.bot_data.store.users.seen_private(user.id, user.language_code)
    chat_ids = await _admin_groups(context, user.id)
    if len(chat_ids) == 1:
        return await _begin_edit(update, context, chat_ids[0])
    if not chat_ids:
        await reply(update, context, "rules.set_guided_none")
        raise ApplicationHandlerStop(ConversationHandler.END)
    buttons = []
    for chat_id in chat_ids:
        group = await context.bot_data.store.groups.get(chat_id)
        link = deep_link(context.bot.username, f"setrules_{chat_id}")
        buttons.append([InlineKeyboardButton(group.title if group else str(chat_id), url=link)])
    await reply(
        update, context, "rules.set_guided_pick", reply_markup=InlineKeyboardMarkup(buttons)
    )
    raise ApplicationHandlerStop(ConversationHandler.END)


async def edit_receive(update: Update, context: Context) -> int:
    """The new rules, written in the private chat."""
    user = update.effective_user
    message = update.effective_message
    draft = context.user_data if context.user_data is not None else {}
    chat_id = draft.get(_DRAFT_CHAT)
    since = draft.get(_DRAFT_SINCE, 0)
    if user is None or message is None or not isinstance(chat_id, int):
        raise ApplicationHandlerStop(ConversationHandler.END)
    if context.bot_data.clock.epoch() - int(since) > EDIT_TIMEOUT:
        # An abandoned edit: forget it and let the message reach the rest of the bot.
        draft.pop(_DRAFT_CHAT, None)
        return ConversationHandler.END
    if not await context.bot_data.admins.is_admin(context.bot, chat_id, user.id, fresh=True):
        await reply(update, context, "common.admins_only")
        raise ApplicationHandlerStop(ConversationHandler.END)
    version, error = await save_rules(context, chat_id, message.text or "", user.id)
    if error is not None:
        await reply(update, context, error, limit=MAX_CHARS)
        raise ApplicationHandlerStop(WRITING)
    if context.user_data is not None:
        context.user_data.pop(_DRAFT_CHAT, None)
    await reply(update, context, "rules.set_done", version=version)
    raise ApplicationHandlerStop(ConversationHandler.END)


async def edit_cancel(update: Update, context: Context) -> int:
    if context.user_data is not None:
        context.user_data.pop(_DRAFT_CHAT, None)
    await reply(update, context, "rules.set_cancelled")
    raise ApplicationHandlerStop(ConversationHandler.END)


async def reaccept(update: Update, context: Context) -> None:
    """A member agrees to changed rules (re-acceptance): recorded, nothing else changes."""
    press = await pressed(update, context, REACCEPT, 2)
    if press is None:
        return
    query, user, lang, ids, data = press.query, press.user, press.lang, press.ids, context.bot_data
    if ids[1] != await data.store.rules.current_version(ids[0]):
        await press.stale()
        return
    chat_id, version = ids
    await data.store.rules.accept(chat_id, user.id, version)
    await data.store.audit.record(
        "rules_agreed", chat_id=chat_id, actor_id=user.id, detail=f"v{version}"
    )
    await query.answer(data.texts.t(lang, "rules.reaccepted", version=version))


# --- /remind N ------------------------------------------------------------------------------


async def remind(update: Update, context: Context) -> None:
    """An admin's /remind N: a kind reminder of rule N to everyone; the command is removed."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    if await group_admin(update, context) is None:
        return
    data = context.bot_data
    lang = await language_for(update, context)
    current = await current_rules(data, chat.id, lang)
    number = parse_rule_number(context.args[0] if context.args else None)
    rule = find(current.rules, number) if number is not None else None
    if rule is None:
        await reply(update, context, "rules.remind_which", numbers=numbers_of(current.rules))
        return
    await delete_quietly(context.bot, chat.id, message.message_id)
    await context.bot.send_message(
        chat.id, data.texts.t(lang, "rules.remind", rule=rule_html(rule))
    )
    await data.store.audit.record(
        "rules_reminded",
        chat_id=chat.id,
        actor_id=message.from_user.id if message.from_user else None,
        detail=f"rule {rule.number}",
    )


def rule_html(rule: Rule) -> Safe:
    return Safe(html_line(rule))


async def private_only_hint(update: Update, context: Context) -> None:
    await reply(update, context, "rules.in_group_only")


async def on_bot_member(update: Update, context: Context) -> None:
    """The bot was added or promoted: make sure the group's reminder is in the calendar."""
    change = update.my_chat_member
    if change is not None and is_group(change.chat):
        await ensure_reminder(app_of(context), change.chat.id)


async def after_setup(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is not None:
        await ensure_reminder(app_of(context), chat.id)


# --- registration ---------------------------------------------------------------------------


def gates() -> list[BaseHandler[Update, Context, None]]:
    """Before the commands: joins, deep links and the guided edit (which must beat /start)."""
    guided: ConversationHandler[Context] = ConversationHandler(
        entry_points=[
            CommandHandler(
                "start",
                edit_deep_link,
                filters=PRIVATE & filters.Regex(r"^/start setrules_-?\d+$"),
            ),
            CommandHandler("setrules", edit_private, filters=PRIVATE),
        ],
        states={
            WRITING: [MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, edit_receive)]
        },
        fallbacks=[CommandHandler("cancel", edit_cancel, filters=PRIVATE)],
        allow_reentry=True,
        name="rules_guided_edit",
    )
    return [
        ChatMemberHandler(rules_gate.on_member, ChatMemberHandler.CHAT_MEMBER),
        ChatMemberHandler(on_bot_member, ChatMemberHandler.MY_CHAT_MEMBER),
        CommandHandler(
            "start", rules_deep_link, filters=PRIVATE & filters.Regex(r"^/start rules_-?\d+$")
        ),
        guided,  # type: ignore[list-item]
    ]


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("rules", rules_group, filters=GROUPS),
        CommandHandler("rules", rules_private, filters=PRIVATE),
        CommandHandler("setrules", setrules_group, filters=GROUPS),
        CommandHandler("remind", remind, filters=GROUPS),
        CommandHandler("remind", private_only_hint, filters=PRIVATE),
        CommandHandler("settings", rules_settings.settings_command),
        CallbackQueryHandler(rules_gate.agree, pattern=rf"^{AGREE}:"),
        CallbackQueryHandler(reaccept, pattern=rf"^{REACCEPT}:"),
        CallbackQueryHandler(show_picked, pattern=rf"^{SHOW}:"),
        CallbackQueryHandler(rules_gate.applicant_agrees, pattern=rf"^{APPLY}:"),
        CallbackQueryHandler(rules_gate.admin_decides, pattern=rf"^{DECIDE}:"),
        ChatJoinRequestHandler(rules_gate.on_join_request),
    ]


def observers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler("setup", after_setup, filters=GROUPS)]


def jobs() -> dict[str, ActionHandler]:
    return {
        REMINDER: rules_settings.reminder_job,
        GATE_REMINDER: rules_gate.gate_reminder_job,
        REQUEST_REMINDER: rules_gate.request_reminder_job,
        REQUEST_EXPIRY: rules_gate.request_expiry_job,
    }


def feature() -> Feature:
    return Feature(
        name="rules",
        menu=MENU,
        gates=gates(),
        commands=handlers(),
        observers=observers(),
        jobs=jobs(),
    )
