"""The join gate and approval mode: newcomers read the rules and agree with one tap.

Joins are seen through ``chat_member`` updates. A newcomer is greeted briefly by first name and,
when the gate is on and the bot may restrict members, can read but not post until they tap
"I agree" — only their own tap counts. Agreeing is recorded with the rules version; the welcome
is then removed. Someone who has not agreed after a while is reminded once (privately if they
started the bot, else in the group) and is never removed for it. In approval mode the applicant
gets the rules privately and agreeing approves the request; admins can also decide with one tap.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import (
    ChatJoinRequest,
    ChatMemberUpdated,
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot import holds
from bot.adapters.presence import is_present
from bot.adapters.replies import delete_quietly, edit_quietly, send_private
from bot.context import App, BotData, Context
from bot.handlers.common import is_group, user_language
from bot.handlers.rules_common import (
    AGREE,
    APPLY,
    DECIDE,
    GATE_REMINDER,
    REQUEST_EXPIRY,
    REQUEST_REMINDER,
    agree_keyboard,
    app_of,
    button,
    current_rules,
    deep_link,
    ensure_reminder,
    mention,
    pressed,
    render,
)
from bot.people import language_of
from bot.records.groups import Group
from bot.records.scheduled import ScheduledAction
from bot.rules.policy import (
    GATE_REMINDER_AFTER,
    JOIN_REQUEST_EXPIRES_AFTER,
    JOIN_REQUEST_REMINDER_AFTER,
    JoinAction,
    Joiner,
    on_join,
)

log = logging.getLogger(__name__)

ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def _gate_key(chat_id: int, user_id: int) -> str:
    return f"{GATE_REMINDER}:{chat_id}:{user_id}"


async def _welcome_text(
    data: BotData, bot_username: str | None, group: Group, user_id: int, first_name: str
) -> tuple[str, InlineKeyboardMarkup]:
    texts, lang = data.texts, group.language
    settings = await data.store.rules.settings(group.chat_id)
    name = mention(user_id, first_name)
    keyboard = agree_keyboard(texts, lang, group.chat_id, user_id)
    if settings.rules_where == "private":
        read = InlineKeyboardButton(
            texts.raw(lang, "rules.button_read"),
            url=deep_link(bot_username, f"rules_{group.chat_id}"),
        )
        keyboard = InlineKeyboardMarkup([[read], *keyboard.inline_keyboard])
        return texts.t(lang, "rules.welcome_short", name=name), keyboard
    current = await current_rules(data, group.chat_id, lang)
    rules = render(texts, lang, current, group.title)
    return texts.t(lang, "rules.welcome", name=name, rules=rules), keyboard


async def on_member(update: Update, context: Context) -> None:
    """Someone's membership changed: welcome (and maybe gate) newcomers, tidy up leavers."""
    change: ChatMemberUpdated | None = update.chat_member
    if change is None or not is_group(change.chat):
        return
    data = context.bot_data
    chat_id = change.chat.id
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    person = change.new_chat_member.user
    was, now = is_present(change.old_chat_member), is_present(change.new_chat_member)
    if was and not now:
        await _left(context, chat_id, person.id)
        return
    if was or not now:
        return
    await ensure_reminder(app_of(context), chat_id)
    version = await data.store.rules.current_version(chat_id)
    action = on_join(
        Joiner(
            is_bot=person.is_bot,
            is_admin=change.new_chat_member.status in ADMIN_STATUSES,
            agreed_current=await data.store.rules.has_accepted(chat_id, person.id, version),
            returning=await data.store.moderation.was_readmitted(chat_id, person.id),
        ),
        gate_on=group.rules_gate,
        can_restrict=group.rights.can_restrict,
    )
    log.info("join in %s by %s: %s", chat_id, person.id, action.value)
    if action is JoinAction.NOTHING:
        return
    if action is JoinAction.GREET:
        greeting = data.texts.t(group.language, "rules.welcome_open", name=person.first_name)
        await context.bot.send_message(chat_id, greeting)
        return
    restricted = False
    if action is JoinAction.GATE:
        restricted = await _restrict(context, chat_id, person.id)
    before = await data.store.rules.gate_get(chat_id, person.id)
    if before is not None and before.message_id is not None:
        await delete_quietly(context.bot, chat_id, before.message_id)
    text, keyboard = await _welcome_text(
        data, context.bot.username, group, person.id, person.first_name
    )
    try:
        sent = await context.bot.send_message(chat_id, text, reply_markup=keyboard)
    except TelegramError as error:
        # Never leave someone held back without a way to agree.
        log.warning("welcome in %s failed (%s)", chat_id, type(error).__name__)
        if restricted:
            await _release(context.bot, chat_id, person.id)
        return
    await data.store.rules.gate_open(chat_id, person.id, version, sent.message_id, restricted)
    await data.scheduler.schedule(
        app_of(context),
        GATE_REMINDER,
        data.clock.epoch() + GATE_REMINDER_AFTER,
        chat_id=chat_id,
        user_id=person.id,
        dedupe_key=_gate_key(chat_id, person.id),
    )


async def _restrict(context: Context, chat_id: int, user_id: int) -> bool:
    """Read-only until they agree; False (greet without gating) if Telegram says no."""
    try:
        await context.bot.restrict_chat_member(chat_id, user_id, ChatPermissions.no_permissions())
    except (BadRequest, Forbidden) as error:
        log.info("could not gate %s in %s (%s)", user_id, chat_id, type(error).__name__)
        return False
    return True


async def _release(
    bot: ExtBot[None], chat_id: int, user_id: int, muted_until: int | None = None
) -> None:
    """Lift the gate; a mute in force stays, ending when it was meant to."""
    try:
        if muted_until is not None:
            await bot.restrict_chat_member(
                chat_id,
                user_id,
                ChatPermissions.no_permissions(),
                until_date=datetime.fromtimestamp(muted_until, UTC),
            )
            return
        # Telegram: "Pass True for all permissions to lift restrictions from a user."
        await bot.restrict_chat_member(chat_id, user_id, ChatPermissions.all_permissions())
    except (BadRequest, Forbidden) as error:
        log.warning(
            "could not lift the gate of %s in %s (%s)", user_id, chat_id, type(error).__name__
        )


async def _left(context: Context, chat_id: int, user_id: int) -> None:
    """A newcomer left before agreeing: remove the welcome and forget the wait."""
    data = context.bot_data
    entry = await data.store.rules.gate_get(chat_id, user_id)
    if entry is None:
        return
    if entry.message_id is not None:
        await delete_quietly(context.bot, chat_id, entry.message_id)
    await data.store.rules.gate_close(chat_id, user_id)
    await data.scheduler.cancel(app_of(context), GATE_REMINDER, chat_id=chat_id, user_id=user_id)


async def agree(update: Update, context: Context) -> None:
    """The newcomer's "I agree" tap (in the group, or in the private reminder)."""
    press = await pressed(update, context, AGREE, 2)
    if press is None:
        return
    query, user, lang, ids, data = press.query, press.user, press.lang, press.ids, context.bot_data
    chat_id, newcomer = ids
    if user.id != newcomer:
        await query.answer(data.texts.t(lang, "rules.not_your_button"), show_alert=True)
        return
    entry = await data.store.rules.gate_get(chat_id, newcomer)
    if entry is None or not await data.store.rules.gate_close(chat_id, newcomer):
        await query.answer(data.texts.t(lang, "common.stale"), show_alert=True)
        return
    await data.store.rules.accept(chat_id, newcomer, entry.version)
    await data.store.audit.record(
        "rules_agreed", chat_id=chat_id, actor_id=newcomer, detail=f"v{entry.version}"
    )
    # A newcomer an administrator muted meanwhile stays muted: agreeing lifts only the gate,
    # and the mute's own end date takes over.
    if entry.restricted:
        await _release(
            context.bot, chat_id, newcomer, await holds.muted_until(data, chat_id, newcomer)
        )
    await data.scheduler.cancel(app_of(context), GATE_REMINDER, chat_id=chat_id, user_id=newcomer)
    await query.answer(data.texts.t(lang, "rules.agreed"))
    if entry.message_id is not None and not await delete_quietly(
        context.bot, chat_id, entry.message_id
    ):
        group = await data.store.groups.get(chat_id)
        glang = group.language if group else lang
        await edit_quietly(
            context.bot,
            chat_id,
            entry.message_id,
            data.texts.t(glang, "rules.welcome_done", name=user.first_name),
        )
    message = query.message
    if message is not None and message.chat.id != chat_id:
        # The private reminder: say thank you there.
        await edit_quietly(
            context.bot, message.chat.id, message.message_id, data.texts.t(lang, "rules.agreed")
        )


async def gate_reminder_job(app: App, action: ScheduledAction) -> None:
    """Remind a newcomer once, kindly; never remove anyone for not agreeing."""
    data = app.bot_data
    chat_id, user_id = action.chat_id, action.user_id
    if chat_id is None or user_id is None:
        return
    entry = await data.store.rules.gate_get(chat_id, user_id)
    group = await data.store.groups.get(chat_id)
    if entry is None or entry.reminded_at is not None or group is None or not group.active:
        return
    person = await data.store.users.get(user_id)
    if person is not None and person.reachable:
        lang = person.language or group.language
        current = await current_rules(data, chat_id, lang)
        text = data.texts.t(
            lang,
            "rules.gate_reminder_private",
            group=group.title,
            rules=render(data.texts, lang, current, group.title),
        )
        keyboard = agree_keyboard(data.texts, lang, chat_id, user_id)
        if await send_private(app.bot, data, user_id, text, reply_markup=keyboard) is not None:
            await data.store.rules.gate_reminded(chat_id, user_id, None)
            return
    try:
        member = await app.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        await data.store.rules.gate_reminded(chat_id, user_id, None)
        return
    if not is_present(member):
        await data.store.rules.gate_close(chat_id, user_id)
        return
    lang = group.language
    text = data.texts.t(
        lang, "rules.gate_reminder_group", name=mention(user_id, member.user.first_name)
    )
    sent = await app.bot.send_message(
        chat_id, text, reply_markup=agree_keyboard(data.texts, lang, chat_id, user_id)
    )
    if entry.message_id is not None:
        await delete_quietly(app.bot, chat_id, entry.message_id)
    await data.store.rules.gate_reminded(chat_id, user_id, sent.message_id)


# --- approval mode --------------------------------------------------------------------------


async def on_join_request(update: Update, context: Context) -> None:
    """Someone asked to join: send them the rules privately and tell the admins."""
    request: ChatJoinRequest | None = update.chat_join_request
    if request is None:
        return
    data = context.bot_data
    chat_id, person = request.chat.id, request.from_user
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    request_id = await data.store.rules.request_open(chat_id, person.id, request.user_chat_id)
    await data.store.audit.record("rules_join_requested", chat_id=chat_id, actor_id=person.id)
    lang = await user_language(context, person)
    current = await current_rules(data, chat_id, lang)
    text = data.texts.t(
        lang,
        "rules.request_applicant",
        name=person.first_name,
        group=group.title,
        rules=render(data.texts, lang, current, group.title),
    )
    keyboard = InlineKeyboardMarkup(
        [[button(data.texts, lang, "rules.button_agree", f"{APPLY}:{request_id}")]]
    )
    await send_private(context.bot, data, request.user_chat_id, text, reply_markup=keyboard)
    await _tell_admins(
        app_of(context), group, request_id, "rules.request_admin", name=person.first_name
    )
    now = data.clock.epoch()
    await data.scheduler.schedule(
        app_of(context),
        REQUEST_REMINDER,
        now + JOIN_REQUEST_REMINDER_AFTER,
        chat_id=chat_id,
        user_id=person.id,
        payload={"request": request_id},
        dedupe_key=f"{REQUEST_REMINDER}:{request_id}",
    )
    await data.scheduler.schedule(
        app_of(context),
        REQUEST_EXPIRY,
        now + JOIN_REQUEST_EXPIRES_AFTER,
        chat_id=chat_id,
        user_id=person.id,
        payload={"request": request_id},
        dedupe_key=f"{REQUEST_EXPIRY}:{request_id}",
    )


def _decide_keyboard(data: BotData, lang: str, request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(data.texts, lang, "rules.button_approve", f"{DECIDE}:{request_id}:1"),
                button(data.texts, lang, "rules.button_decline", f"{DECIDE}:{request_id}:0"),
            ]
        ]
    )


async def _tell_admins(app: App, group: Group, request_id: int, key: str, **values: str) -> int:
    """Write to each human admin who started the bot; returns how many were reached."""
    data = app.bot_data
    try:
        admins = await data.admins.admins(app.bot, group.chat_id)
    except (BadRequest, Forbidden):
        return 0
    reached = 0
    for admin_id in sorted(admins.user_ids):
        person = await data.store.users.get(admin_id)
        if person is None or not person.reachable:
            continue
        lang = person.language or group.language
        text = data.texts.t(lang, key, group=group.title, **values)
        keyboard = _decide_keyboard(data, lang, request_id)
        if await send_private(app.bot, data, admin_id, text, reply_markup=keyboard):
            reached += 1
    if group.admin_chat_id is not None:
        # The admin team chat too: any of the group's admins can answer from there.
        text = data.texts.t(group.language, key, group=group.title, **values)
        keyboard = _decide_keyboard(data, group.language, request_id)
        try:
            await app.bot.send_message(group.admin_chat_id, text, reply_markup=keyboard)
            reached += 1
        except (BadRequest, Forbidden) as error:
            log.info("admin chat of %s unreachable (%s)", group.chat_id, type(error).__name__)
    return reached


async def _approve(bot: ExtBot[None], chat_id: int, user_id: int, *, approve: bool) -> bool:
    """Answer the request on Telegram; False if it is no longer there."""
    try:
        if approve:
            await bot.approve_chat_join_request(chat_id, user_id)
        else:
            await bot.decline_chat_join_request(chat_id, user_id)
    except BadRequest as error:
        log.info("join request of %s in %s already gone (%s)", user_id, chat_id, error.message)
        return False
    return True


async def applicant_agrees(update: Update, context: Context) -> None:
    """The applicant tapped "I agree" in the private chat: that approves their request."""
    press = await pressed(update, context, APPLY, 1)
    if press is None:
        return
    query, user, lang, data = press.query, press.user, press.lang, context.bot_data
    request = await data.store.rules.request_get(press.ids[0])
    if request is None:
        await press.stale()
        return
    if request.user_id != user.id:
        await query.answer(data.texts.t(lang, "rules.not_your_button"), show_alert=True)
        return
    group = await data.store.groups.get(request.chat_id)
    if request.status != "pending" or group is None:
        await query.answer(data.texts.t(lang, "common.stale"), show_alert=True)
        return
    version = await data.store.rules.current_version(request.chat_id)
    await data.store.rules.accept(request.chat_id, user.id, version)
    await data.store.audit.record(
        "rules_agreed", chat_id=request.chat_id, actor_id=user.id, detail=f"v{version}"
    )
    approved = await _approve(context.bot, request.chat_id, user.id, approve=True)
    await data.store.rules.request_decide(
        request.id, "approved" if approved else "expired", user.id, "agreed"
    )
    await _cancel_request_jobs(app_of(context), request.chat_id, user.id)
    await query.answer()
    key = "rules.request_welcome" if approved else "rules.request_gone"
    if query.message is not None:
        await edit_quietly(
            context.bot,
            query.message.chat.id,
            query.message.message_id,
            data.texts.t(lang, key, group=group.title),
        )


async def admin_decides(update: Update, context: Context) -> None:
    """An admin approves or declines a join request with one tap, from the private chat."""
    press = await pressed(update, context, DECIDE, 2)
    if press is None:
        return
    query, user, lang, ids, data = press.query, press.user, press.lang, press.ids, context.bot_data
    request = await data.store.rules.request_get(ids[0])
    if request is None or ids[1] not in (0, 1):
        await press.stale()
        return
    if not await data.admins.is_admin(context.bot, request.chat_id, user.id, fresh=True):
        await query.answer(data.texts.t(lang, "common.admins_only"), show_alert=True)
        return
    group = await data.store.groups.get(request.chat_id)
    if request.status != "pending" or group is None:
        await query.answer(data.texts.t(lang, "rules.request_already"), show_alert=True)
        return
    approve = ids[1] == 1
    if not approve and request.user_chat_id is not None:
        # Telegram lets the bot write to an applicant only until the request is answered.
        plang = await language_of(data, request.user_id)
        await send_private(
            context.bot,
            data,
            request.user_chat_id,
            data.texts.t(plang, "rules.request_declined_applicant", group=group.title),
        )
    done = await _approve(context.bot, request.chat_id, request.user_id, approve=approve)
    status = ("approved" if approve else "declined") if done else "expired"
    await data.store.rules.request_decide(request.id, status, user.id, "admin")
    await data.store.audit.record(
        f"rules_join_{status}",
        chat_id=request.chat_id,
        actor_id=user.id,
        target_id=request.user_id,
    )
    await _cancel_request_jobs(app_of(context), request.chat_id, request.user_id)
    await query.answer()
    if query.message is not None:
        await edit_quietly(
            context.bot,
            query.message.chat.id,
            query.message.message_id,
            data.texts.t(lang, f"rules.request_{status}", group=group.title),
        )


async def _cancel_request_jobs(app: App, chat_id: int, user_id: int) -> None:
    for kind in (REQUEST_REMINDER, REQUEST_EXPIRY):
        await app.bot_data.scheduler.cancel(app, kind, chat_id=chat_id, user_id=user_id)


async def request_reminder_job(app: App, action: ScheduledAction) -> None:
    """A join request waited a day: remind the admins, with the one-tap buttons again."""
    data = app.bot_data
    request = await data.store.rules.request_get(int(action.payload.get("request", 0)))
    if request is None or request.status != "pending":
        return
    group = await data.store.groups.get(request.chat_id)
    if group is None or not group.active:
        return
    await _tell_admins(
        app,
        group,
        request.id,
        "rules.request_admin_reminder",
        person=mention(request.user_id, "👤"),
    )


async def request_expiry_job(app: App, action: ScheduledAction) -> None:
    """Nobody answered for days: close the request kindly and record the outcome."""
    data = app.bot_data
    request = await data.store.rules.request_get(int(action.payload.get("request", 0)))
    if request is None or request.status != "pending":
        return
    group = await data.store.groups.get(request.chat_id)
    person = await data.store.users.get(request.user_id)
    if group is not None and person is not None and person.reachable:
        # Only someone who started the bot can still be written to days later.
        lang = person.language or group.language
        await send_private(
            app.bot,
            data,
            request.user_id,
            data.texts.t(lang, "rules.request_expired_applicant", group=group.title),
        )
    await _approve(app.bot, request.chat_id, request.user_id, approve=False)
    await data.store.rules.request_decide(request.id, "expired", None, "unanswered")
    await data.store.audit.record(
        "rules_join_expired", chat_id=request.chat_id, actor_id=None, target_id=request.user_id
    )
