"""Continued support while a member is excluded: the private support message, check-ins (which
the member can stop), the reminder to their named admin, and the way back — the ban lifted, a
fresh single-use invite and a welcome back.

The end of an exclusion, the check-ins and the reminder are scheduled actions (rows in
``scheduled_actions``): they survive restarts, and one that fell due while the bot was down is
done at start-up. Their job callbacks are in ``bot/moderation/jobs.py``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.adapters.guards import Actor
from bot.context import App
from bot.delivery import outbox
from bot.errors import NotForYouError, StaleButtonError
from bot.groups import lines
from bot.i18n import Safe
from bot.moderation import audit, callbacks, policy
from bot.moderation.notices import tell_admins, text_only
from bot.moderation.texts import length_text, member_name, mention, reason_text, when_text
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Sanction
from bot.records.outbox import Outgoing
from bot.scheduler import RetryLaterError

log = logging.getLogger(__name__)

KIND_END = f"{callbacks.FEATURE}.exclusion_end"
KIND_CHECKIN = f"{callbacks.FEATURE}.checkin"
KIND_REMINDER = f"{callbacks.FEATURE}.admin_reminder"
KINDS = (KIND_END, KIND_CHECKIN, KIND_REMINDER)
# Outbox message kinds (plain words): the support message and the link back.
SUPPORT = "exclusion_support"
WELCOME_BACK = "welcome_back"


# -- the plan: the end, the check-ins, the reminder ---------------------------------------------


async def cancel(app: App, chat_id: int, user_id: int, kinds: tuple[str, ...] = KINDS) -> None:
    """Cancel the pending support actions of this member's exclusion from this group."""
    for kind in kinds:
        await app.bot_data.scheduler.cancel(app, kind, chat_id=chat_id, user_id=user_id)


async def plan(app: App, sanction: Sanction, now: int) -> None:
    """Schedule the exclusion's end, the admin's reminder a day before, and the check-ins."""
    scheduler = app.bot_data.scheduler
    chat_id, user_id = sanction.chat_id, sanction.user_id
    payload = {"sanction": sanction.id}
    await cancel(app, chat_id, user_id)
    await scheduler.schedule(
        app,
        KIND_END,
        sanction.ends_at,
        chat_id=chat_id,
        user_id=user_id,
        payload=payload,
        dedupe_key=f"{KIND_END}:{sanction.id}",
    )
    reminder = policy.admin_reminder_time(now, sanction.ends_at)
    if reminder is not None:
        await scheduler.schedule(
            app,
            KIND_REMINDER,
            reminder,
            chat_id=chat_id,
            user_id=user_id,
            payload=payload,
            dedupe_key=f"{KIND_REMINDER}:{sanction.id}",
        )
    for index, at in enumerate(policy.checkin_times(now, sanction.ends_at)):
        await scheduler.schedule(
            app,
            KIND_CHECKIN,
            at,
            chat_id=chat_id,
            user_id=user_id,
            payload=payload,
            dedupe_key=f"{KIND_CHECKIN}:{sanction.id}:{index}",
        )


# -- the private support message ----------------------------------------------------------------


async def contact_name(app: App, group: Group, member_id: int, contact: int | None) -> str | None:
    """The contact admin's name as the member will read it (asked of Telegram: do it before the
    exclusion's transaction, never inside it)."""
    if contact is None:
        return None
    data = app.bot_data
    lang = await language_of(data, member_id)
    return await member_name(
        app.bot, group.chat_id, contact, data.texts.t(lang, "moderation.an_admin")
    )


async def send_support_message(
    app: App,
    group: Group,
    sanction: Sanction,
    seconds: int,
    contact: int | None,
    name: str,
    contact_name: str | None,
) -> int:
    """Tell the member, privately, why, for how long, who to talk to, and how they come back.

    Written to the outbox (in the exclusion's transaction: no Telegram call here); returns its
    outbox id. If it can never arrive, the member's contact admin is told to reach out another
    way.
    """
    data = app.bot_data
    lang = await language_of(data, sanction.user_id)
    if contact is not None:
        contact_text = data.texts.t(
            lang,
            "moderation.contact_named",
            contact=mention(contact, contact_name or str(contact)),
        )
    else:
        contact_text = data.texts.t(lang, "moderation.contact_admins")
    text = data.texts.t(
        lang,
        "moderation.exclude_member",
        group=group.title,
        length=length_text(data, lang, seconds),
        until=when_text(data, group, sanction.ends_at, lang),
        reason=reason_text(data, lang, sanction.reason),
        contact=Safe(contact_text),
        lines=await lines.for_group(data, lang, group.chat_id),
    )
    told = contact if contact is not None else sanction.actor_id
    fail_text = None
    if told is not None:
        told_lang = await language_of(data, told)
        fail_text = data.texts.t(
            told_lang,
            "moderation.exclude_admins_unreached",
            member=mention(sanction.user_id, name),
            group=group.title,
            length=length_text(data, told_lang, seconds),
        )
    return await outbox.enqueue(
        app,
        sanction.user_id,
        text,
        kind=SUPPORT,
        reply_markup=callbacks.stop_checkins_keyboard(data, lang, sanction.id),
        member_id=sanction.user_id,
        fail_chat=told,
        fail_text=fail_text,
        ref=sanction.id,
    )


async def support_delivered(app: App, message: Outgoing, telegram_id: int) -> None:
    """The support message arrived: the exclusion records that the member was reached."""
    del telegram_id
    if message.ref is not None:
        await app.bot_data.store.moderation.mark_reached(message.ref)


async def deliver_waiting(app: App, user_id: int | None = None) -> int:
    """Support messages that could not be sent (the member had never opened a private chat
    with the bot) go out now; the member's admins are told it arrived. ``user_id``: the person
    who just arrived; None: everyone reachable now (at start-up). How many were sent."""
    data = app.bot_data
    sent = 0
    for sanction in await data.store.moderation.unreached_exclusions(user_id):
        person = await data.store.users.get(sanction.user_id)
        if person is None or not person.reachable:
            continue
        group = await data.store.groups.get(sanction.chat_id)
        if group is None:
            continue
        remaining = max(0, sanction.ends_at - data.clock.epoch())
        name = await member_name(app.bot, group.chat_id, sanction.user_id, str(sanction.user_id))
        contact = sanction.contact_id
        contact_name = (
            await member_name(app.bot, group.chat_id, contact, str(contact)) if contact else None
        )
        row = await send_support_message(
            app, group, sanction, remaining, contact, name, contact_name
        )
        if await outbox.deliver_now(app, row) != outbox.SENT:
            continue  # still on its way (the outbox goes on), or it cannot arrive after all
        sent += 1
        await tell_admins(
            app,
            group,
            text_only(
                app,
                "moderation.support_now_received",
                member=mention(sanction.user_id, name),
                group=group.title,
            ),
        )
    return sent


async def arrived(app: App, user_id: int) -> None:
    """Someone can be written to privately now: a support message that waited goes out."""
    await deliver_waiting(app, user_id)


async def catch_up(app: App) -> None:
    """At start-up: waiting support messages to members who can be reached now."""
    try:
        await deliver_waiting(app)
    except TelegramError as error:
        log.info("waiting support messages not sent at start-up (%s)", type(error).__name__)


# -- while they are out -------------------------------------------------------------------------


async def active_sanction(app: App, sanction_id: object) -> Sanction | None:
    """The exclusion a scheduled action or a button is about, if it is still in force."""
    if not isinstance(sanction_id, int):
        return None
    found = await app.bot_data.store.moderation.sanction(sanction_id)
    return found if found is not None and found.status == "active" else None


async def check_in(app: App, sanction: Sanction) -> None:
    """A private, gentle check-in while the member is out (they can stop these)."""
    if not sanction.checkins:
        return
    data = app.bot_data
    group = await data.store.groups.get(sanction.chat_id)
    if group is None:
        return
    lang = await language_of(data, sanction.user_id)
    text = data.texts.t(
        lang,
        "moderation.checkin",
        group=group.title,
        until=when_text(data, group, sanction.ends_at, lang),
    )
    await outbox.send_critical(
        app,
        sanction.user_id,
        text,
        kind="checkin",
        reply_markup=callbacks.stop_checkins_keyboard(data, lang, sanction.id),
        member_id=sanction.user_id,
    )


async def remind_admin(app: App, sanction: Sanction) -> None:
    """A day before the end: remind the member's named admin that a check-in can help."""
    data = app.bot_data
    group = await data.store.groups.get(sanction.chat_id)
    if group is None:
        return
    fallback = data.texts.raw(group.language, "moderation.someone")
    name = await member_name(app.bot, group.chat_id, sanction.user_id, fallback)
    compose = text_only(
        app,
        "moderation.admin_reminder",
        member=mention(sanction.user_id, name),
        group=group.title,
        until=when_text(data, group, sanction.ends_at, group.language),
    )
    contact = sanction.contact_id
    if contact is not None:
        text, _ = compose(group.language)
        if await outbox.send_critical(app, contact, text, kind="reminder") != outbox.FAILED:
            return
    # Kept while nobody can be reached, but not delivered once the break is over.
    await tell_admins(app, group, compose, about=("sanction", sanction.id))


async def stop_checkins(app: App, sanction_id: int, user_id: int) -> Sanction:
    """The excluded member asked for no more check-ins (only they may)."""
    sanction = await active_sanction(app, sanction_id)
    if sanction is None:
        raise StaleButtonError
    if sanction.user_id != user_id:
        raise NotForYouError
    await app.bot_data.store.moderation.stop_checkins(sanction.id)
    await cancel(app, sanction.chat_id, sanction.user_id, (KIND_CHECKIN,))
    return sanction


# -- the way back -------------------------------------------------------------------------------


async def readmit(app: App, sanction: Sanction, actor: Actor | None) -> bool | None:
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
    lang = await language_of(data, sanction.user_id)
    row: int | None = None
    async with outbox.together(app):
        await store.moderation.finish_sanction(sanction.id, "ended" if actor is None else "lifted")
        # When the time ran out, the end is the action running now: only the check-ins remain.
        await cancel(app, sanction.chat_id, sanction.user_id, KINDS if actor else (KIND_CHECKIN,))
        await audit.record(
            app,
            "mod.readmit",
            group=group,
            actor=actor,
            target_id=sanction.user_id,
            detail=None if actor else "time_up",
        )
        if link is not None:
            text = data.texts.t(lang, "moderation.welcome_back", group=group.title, link=link)
            row = await outbox.enqueue(
                app,
                sanction.user_id,
                text,
                kind=WELCOME_BACK,
                member_id=sanction.user_id,
                ref=sanction.id,
            )
    # On its way counts as reached: if it can never arrive, the admins are told then.
    result = await outbox.status(app, row) if row is not None else outbox.FAILED
    if result == outbox.FAILED:
        await tell_admins(
            app,
            group,
            text_only(app, "moderation.readmit_unreached", member=str(sanction.user_id)),
        )
    return result != outbox.FAILED


async def welcome_back_undeliverable(app: App, message: Outgoing, reason: str) -> None:
    """The link back could never be delivered (later, after retries): the admins are told."""
    del reason
    store = app.bot_data.store
    sanction = await store.moderation.sanction(message.ref) if message.ref is not None else None
    group = await store.groups.get(sanction.chat_id) if sanction is not None else None
    if sanction is None or group is None:
        return
    await tell_admins(
        app, group, text_only(app, "moderation.readmit_unreached", member=str(sanction.user_id))
    )
