"""The moderation measures themselves, shared by the commands and the one-tap buttons.

Each measure re-checks who is acting and on whom, asks Telegram, records the measure and the
audit entry, and tells the people concerned. A measure that cannot be taken raises
``ActionRefusedError`` with a catalogue key and changes nothing.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import ChatPermissions, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import holds
from bot.adapters.replies import send_private
from bot.context import App, BotData, Context
from bot.handlers.common import Actor
from bot.i18n import Safe, format_moment
from bot.moderation import policy
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Sanction
from bot.scheduler import RetryLaterError

log = logging.getLogger(__name__)

KIND_END = "mod.exclusion_end"
KIND_CHECKIN = "mod.checkin"
KIND_REMINDER = "mod.admin_reminder"


class ActionRefusedError(Exception):
    """The measure cannot be taken; ``key`` is the kind answer. Nothing was changed."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Outcome:
    """What happened, for the acting admin's confirmation."""

    target_id: int
    target_name: str
    reached: bool | None = None
    count: int | None = None
    sanction: Sanction | None = None


# -- small helpers ------------------------------------------------------------------------------


def app_of(context: Context) -> App:
    return cast("App", context.application)


def mention(user_id: int, name: str) -> Safe:
    return Safe(f'<a href="tg://user?id={user_id}">{html.escape(name, quote=False)}</a>')


def when_text(data: BotData, group: Group | None, epoch: int, lang: str) -> str:
    """A moment in the group's time zone, written in ``lang``, with the zone named."""
    zone = ZoneInfo(group.timezone if group else data.settings.timezone)
    return f"{format_moment(epoch, lang, zone)} ({zone.key})"


def length_text(data: BotData, lang: str, seconds: int) -> str:
    return " ".join(
        data.texts.t(lang, f"moderation.unit_{unit}{'_one' if amount == 1 else ''}", n=amount)
        for unit, amount in policy.duration_parts(seconds)
    )


async def member_name(bot: Any, chat_id: int, user_id: int, fallback: str) -> str:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return fallback
    return str(member.user.first_name or fallback)


async def target_status(bot: Any, chat_id: int, user_id: int) -> tuple[str | None, bool, str]:
    """The target's membership status in the group, whether it is a bot, and a name."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except BadRequest:
        return None, False, str(user_id)
    return str(member.status), bool(member.user.is_bot), str(member.user.first_name or user_id)


async def check_target(
    context: Context, group: Group, actor: Actor, target_id: int, *, must_be_member: bool
) -> str:
    """Refuse admins, the creator, the bot, service accounts; return the target's name."""
    status, is_bot, name = await target_status(context.bot, group.chat_id, target_id)
    refusal = policy.refusal_for_target(
        actor_id=actor.user_id,
        target_id=target_id,
        target_status=status,
        target_is_bot=is_bot,
        bot_id=context.bot.id,
    )
    if refusal is not None:
        raise ActionRefusedError(f"moderation.refuse_{refusal}")
    if must_be_member and status in (None, "left", "kicked"):
        raise ActionRefusedError("moderation.refuse_not_member")
    return name


async def confirm_admin(context: Context, chat_id: int, actor: Actor) -> None:
    """Right before a ban or restriction: ask Telegram again (anonymous admins are the group's)."""
    if actor.anonymous_admin:
        return
    if actor.user_id is None or not await context.bot_data.admins.is_admin(
        context.bot, chat_id, actor.user_id, fresh=True
    ):
        raise ActionRefusedError("common.admins_only")


def telegram_refused(error: TelegramError) -> ActionRefusedError:
    log.info("telegram refused a moderation call (%s)", type(error).__name__)
    return ActionRefusedError("moderation.telegram_refused")


# -- where admins are told ----------------------------------------------------------------------


async def admin_destinations(context: Context | App, group: Group) -> list[int]:
    """The linked admin team chat, else every human admin's private chat (reachable ones)."""
    if group.admin_chat_id is not None:
        return [group.admin_chat_id]
    data = context.bot_data
    admins = await data.admins.admins(context.bot, group.chat_id)
    found: list[int] = []
    for user_id in sorted(admins.user_ids):
        person = await data.store.users.get(user_id)
        if person is None or person.reachable:
            found.append(user_id)
    return found


async def tell_admins(
    context: Context | App,
    group: Group,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    item: str | None = None,
    item_id: int | None = None,
) -> int:
    """Send to the admins (team chat or privately); keep copies for later edits."""
    data = context.bot_data
    sent = 0
    for chat_id in await admin_destinations(context, group):
        if chat_id == group.admin_chat_id:
            try:
                message = await context.bot.send_message(chat_id, text, reply_markup=markup)
            except (BadRequest, Forbidden):
                log.info("admin team chat %s unreachable", chat_id)
                continue
        else:
            private = await send_private(context.bot, data, chat_id, text, reply_markup=markup)
            if private is None:
                continue
            message = private
        if message is None:
            continue
        sent += 1
        if item is not None and item_id is not None:
            await data.store.moderation.add_copy(item, item_id, chat_id, message.message_id)
    return sent


async def audit(
    context: Context | App,
    action: str,
    *,
    group: Group,
    actor: Actor | None,
    target_id: int | None,
    detail: str | None = None,
) -> None:
    """Record in the audit log; mirror a line (never the reason) to the admin team chat."""
    data = context.bot_data
    actor_id = actor.user_id if actor else None
    await data.store.audit.record(
        action, chat_id=group.chat_id, actor_id=actor_id, target_id=target_id, detail=detail
    )
    if group.admin_chat_id is None:
        return
    lang = group.language
    who = _actor_text(data, lang, actor)
    line = data.texts.t(
        lang,
        "moderation.audit_mirror",
        action=data.texts.t(lang, _action_key(action)),
        actor=who,
        target=str(target_id) if target_id else "-",
    )
    try:
        await context.bot.send_message(group.admin_chat_id, line)
    except (BadRequest, Forbidden):
        log.info("could not mirror an audit entry to admin chat %s", group.admin_chat_id)


AUDIT_ACTIONS = (
    "warn",
    "mute",
    "unmute",
    "exclude",
    "readmit",
    "solicitor",
    "unblock",
    "join_declined",
    "rejoin_undone",
    "report",
    "flag",
    "report_outcome",
    "appeal",
    "appeal_answer",
    "appeal_lifted",
    "appeal_kept",
    "admin_chat_linked",
    "admin_chat_unlinked",
    "flagging_set",
)


def _action_key(action: str) -> str:
    name = action.split(".", 1)[-1]
    return f"moderation.action_{name}" if name in AUDIT_ACTIONS else "moderation.action_other"


def action_label(data: BotData, lang: str, action: str) -> str:
    key = _action_key(action)
    return data.texts.t(lang, key) if key != "moderation.action_other" else action


def _actor_text(data: BotData, lang: str, actor: Actor | None) -> str:
    if actor is None:
        return data.texts.t(lang, "moderation.actor_bot")
    if actor.user_id is None:
        return data.texts.t(lang, "moderation.actor_anonymous")
    return str(actor.user_id)


# -- the measures -------------------------------------------------------------------------------


async def warn(
    context: Context, group: Group, actor: Actor, target_id: int, reason: str | None
) -> Outcome:
    data = context.bot_data
    name = await check_target(context, group, actor, target_id, must_be_member=False)
    count = await data.store.moderation.add_warning(
        group.chat_id, target_id, actor.user_id, reason
    )
    await audit(context, "mod.warn", group=group, actor=actor, target_id=target_id, detail=reason)
    lang = await language_of(data, target_id)
    text = data.texts.t(
        lang,
        "moderation.warn_member",
        group=group.title,
        reason=reason or data.texts.t(lang, "moderation.no_reason"),
    )
    reached = await send_private(context.bot, data, target_id, text) is not None
    return Outcome(target_id=target_id, target_name=name, reached=reached, count=count)


async def mute(
    context: Context,
    group: Group,
    actor: Actor,
    target_id: int,
    seconds: int,
    reason: str | None,
) -> Outcome:
    data = context.bot_data
    await confirm_admin(context, group.chat_id, actor)
    name = await check_target(context, group, actor, target_id, must_be_member=True)
    now = data.clock.epoch()
    until = policy.safe_until(now, seconds)
    # A newcomer still waiting at the rules gate stays held with no end date: a timed
    # restriction would let them post, unasked, once the mute ran out.
    gated = await holds.waiting_at_gate(data, group.chat_id, target_id)
    try:
        await context.bot.restrict_chat_member(
            group.chat_id,
            target_id,
            ChatPermissions.no_permissions(),
            until_date=None if gated else datetime.fromtimestamp(until, UTC),
        )
    except BadRequest as error:
        raise telegram_refused(error) from None
    sanction = await data.store.moderation.start_sanction(
        group.chat_id,
        target_id,
        "mute",
        actor_id=actor.user_id,
        contact_id=actor.user_id,
        reason=reason,
        ends_at=until,
    )
    await audit(context, "mod.mute", group=group, actor=actor, target_id=target_id, detail=reason)
    lang = await language_of(data, target_id)
    text = data.texts.t(
        lang,
        "moderation.mute_member",
        group=group.title,
        length=length_text(data, lang, seconds),
        until=when_text(data, group, until, lang),
        reason=reason or data.texts.t(lang, "moderation.no_reason"),
    )
    reached = await send_private(context.bot, data, target_id, text) is not None
    return Outcome(target_id=target_id, target_name=name, reached=reached, sanction=sanction)


async def unmute(context: Context, group: Group, actor: Actor, target_id: int) -> Outcome:
    data = context.bot_data
    await confirm_admin(context, group.chat_id, actor)
    name = await check_target(context, group, actor, target_id, must_be_member=True)
    if not await holds.waiting_at_gate(data, group.chat_id, target_id):  # the gate still holds
        try:
            # Telegram: "pass True for all permissions to lift restrictions from a user".
            await context.bot.restrict_chat_member(
                group.chat_id, target_id, ChatPermissions.all_permissions()
            )
        except BadRequest as error:
            raise telegram_refused(error) from None
    active = await data.store.moderation.active_sanction(group.chat_id, target_id, "mute")
    if active is not None:
        await data.store.moderation.finish_sanction(active.id, "lifted")
    await audit(context, "mod.unmute", group=group, actor=actor, target_id=target_id)
    lang = await language_of(data, target_id)
    text = data.texts.t(lang, "moderation.unmute_member", group=group.title)
    reached = await send_private(context.bot, data, target_id, text) is not None
    return Outcome(target_id=target_id, target_name=name, reached=reached)


def stop_checkins_markup(data: BotData, lang: str, sanction_id: int) -> InlineKeyboardMarkup:
    label = data.texts.t(lang, "moderation.checkins_stop_button")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"mod:stop:{sanction_id}")]]
    )


async def exclude(
    context: Context,
    group: Group,
    actor: Actor,
    target_id: int,
    seconds: int,
    reason: str | None,
    contact_id: int | None,
) -> Outcome:
    """Temporary exclusion with continued support: removed until the time is up."""
    data = context.bot_data
    await confirm_admin(context, group.chat_id, actor)
    name = await check_target(context, group, actor, target_id, must_be_member=True)
    if contact_id is not None and not await data.admins.is_admin(
        context.bot, group.chat_id, contact_id
    ):
        raise ActionRefusedError("moderation.contact_not_admin")
    contact = contact_id if contact_id is not None else actor.user_id
    now = data.clock.epoch()
    until = policy.safe_until(now, seconds)
    try:
        await context.bot.ban_chat_member(
            group.chat_id, target_id, until_date=datetime.fromtimestamp(until, UTC)
        )
    except BadRequest as error:
        raise telegram_refused(error) from None
    store = data.store
    sanction = await store.moderation.start_sanction(
        group.chat_id,
        target_id,
        "exclude",
        actor_id=actor.user_id,
        contact_id=contact,
        reason=reason,
        ends_at=until,
    )
    app = app_of(context)
    await data.scheduler.cancel(app, KIND_END, chat_id=group.chat_id, user_id=target_id)
    await data.scheduler.cancel(app, KIND_CHECKIN, chat_id=group.chat_id, user_id=target_id)
    await data.scheduler.cancel(app, KIND_REMINDER, chat_id=group.chat_id, user_id=target_id)
    await data.scheduler.schedule(
        app,
        KIND_END,
        until,
        chat_id=group.chat_id,
        user_id=target_id,
        payload={"sanction": sanction.id},
        dedupe_key=f"mod.end:{sanction.id}",
    )
    reminder = policy.admin_reminder_time(now, until)
    if reminder is not None:
        await data.scheduler.schedule(
            app,
            KIND_REMINDER,
            reminder,
            chat_id=group.chat_id,
            user_id=target_id,
            payload={"sanction": sanction.id},
            dedupe_key=f"mod.reminder:{sanction.id}",
        )
    for index, at in enumerate(policy.checkin_times(now, until)):
        await data.scheduler.schedule(
            app,
            KIND_CHECKIN,
            at,
            chat_id=group.chat_id,
            user_id=target_id,
            payload={"sanction": sanction.id},
            dedupe_key=f"mod.checkin:{sanction.id}:{index}",
        )
    await audit(
        context, "mod.exclude", group=group, actor=actor, target_id=target_id, detail=reason
    )
    lang = await language_of(data, target_id)
    contact_text: str
    if contact is not None:
        contact_name = await member_name(
            context.bot, group.chat_id, contact, data.texts.t(lang, "moderation.an_admin")
        )
        contact_text = data.texts.t(
            lang, "moderation.contact_named", contact=mention(contact, contact_name)
        )
    else:
        contact_text = data.texts.t(lang, "moderation.contact_admins")
    text = data.texts.t(
        lang,
        "moderation.exclude_member",
        group=group.title,
        length=length_text(data, lang, seconds),
        until=when_text(data, group, until, lang),
        reason=reason or data.texts.t(lang, "moderation.no_reason"),
        contact=Safe(contact_text),
    )
    sent = await send_private(
        context.bot,
        data,
        target_id,
        text,
        reply_markup=stop_checkins_markup(data, lang, sanction.id),
    )
    if sent is not None:
        await store.moderation.mark_reached(sanction.id)
    return Outcome(
        target_id=target_id, target_name=name, reached=sent is not None, sanction=sanction
    )


async def readmit(app: App | Context, sanction: Sanction, actor: Actor | None) -> bool | None:
    """End an exclusion: lift the ban, send a fresh single-use link and a welcome back.

    Returns whether the member was reached, or ``None`` if the exclusion had already ended.
    ``actor`` is None when the time ran out. Telegram's flood limits ask us to retry later.
    """
    data = app.bot_data
    store = data.store
    group = await store.groups.get(sanction.chat_id)
    current = await store.moderation.sanction(sanction.id)
    if group is None or current is None or current.status != "active":
        return None
    bot = app.bot
    now = data.clock.epoch()
    link: str | None = None
    try:
        await bot.unban_chat_member(sanction.chat_id, sanction.user_id, only_if_banned=True)
        invite = await bot.create_chat_invite_link(
            sanction.chat_id,
            expire_date=datetime.fromtimestamp(now + policy.INVITE_TTL, UTC),
            member_limit=1,
            name=f"readmit {sanction.id}",
        )
        link = invite.invite_link
    except RetryAfter as error:
        wait = error.retry_after
        seconds = wait if isinstance(wait, int) else int(wait.total_seconds())
        raise RetryLaterError(seconds + 1) from None
    except (BadRequest, Forbidden) as error:
        log.info("readmission of sanction %s refused (%s)", sanction.id, type(error).__name__)
    except NetworkError:
        raise RetryLaterError(60) from None
    await store.moderation.finish_sanction(sanction.id, "ended" if actor is None else "lifted")
    scheduler_app = app_of(app) if isinstance(app, Context) else app
    await data.scheduler.cancel(
        scheduler_app,
        KIND_CHECKIN,
        chat_id=sanction.chat_id,
        user_id=sanction.user_id,
    )
    if actor is not None:
        for kind in (KIND_END, KIND_REMINDER):
            await data.scheduler.cancel(
                scheduler_app, kind, chat_id=sanction.chat_id, user_id=sanction.user_id
            )
    await audit(
        app,
        "mod.readmit",
        group=group,
        actor=actor,
        target_id=sanction.user_id,
        detail=None if actor else "time_up",
    )
    lang = await language_of(data, sanction.user_id)
    reached = False
    if link is not None:
        text = data.texts.t(lang, "moderation.welcome_back", group=group.title, link=link)
        reached = await send_private(bot, data, sanction.user_id, text) is not None
    if not reached:
        notice = data.texts.t(
            group.language, "moderation.readmit_unreached", member=str(sanction.user_id)
        )
        await tell_admins(app, group, notice)
    return reached


async def solicitor(
    context: Context, group: Group, actor: Actor, target_id: int, reason: str | None
) -> Outcome:
    """Permanent exclusion: removed with messages revoked, kept out of every group."""
    data = context.bot_data
    await confirm_admin(context, group.chat_id, actor)
    name = await check_target(context, group, actor, target_id, must_be_member=False)
    try:
        await context.bot.ban_chat_member(group.chat_id, target_id, revoke_messages=True)
    except BadRequest as error:
        raise telegram_refused(error) from None
    store = data.store
    await store.moderation.block(
        target_id, origin_chat_id=group.chat_id, actor_id=actor.user_id, reason=reason
    )
    data.moderation.blocked(target_id)
    data.moderation.tracker.forget_sender(target_id)
    for chat_id in await store.users.groups_of(target_id):
        if chat_id == group.chat_id:
            continue
        try:
            await context.bot.ban_chat_member(chat_id, target_id)
        except TelegramError:
            log.info("could not remove a blocked person from group %s", chat_id)
    for kind in (KIND_END, KIND_CHECKIN, KIND_REMINDER):
        await data.scheduler.cancel(
            app_of(context),
            kind,
            chat_id=group.chat_id,
            user_id=target_id,
        )
    await audit(
        context, "mod.solicitor", group=group, actor=actor, target_id=target_id, detail=reason
    )
    return Outcome(target_id=target_id, target_name=name)


async def unblock(context: Context, group: Group, actor: Actor, target_id: int) -> bool:
    data = context.bot_data
    await confirm_admin(context, group.chat_id, actor)
    removed = await data.store.moderation.unblock(target_id)
    data.moderation.unblocked(target_id)
    if not removed:
        return False
    for each in await data.store.groups.active():
        try:
            await context.bot.unban_chat_member(each.chat_id, target_id, only_if_banned=True)
        except TelegramError:
            log.info("could not lift a ban in group %s", each.chat_id)
    await audit(context, "mod.unblock", group=group, actor=actor, target_id=target_id)
    return True
