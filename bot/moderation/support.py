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
from bot.adapters.replies import send_private
from bot.context import App
from bot.errors import NotForYouError, StaleButtonError
from bot.groups import lines
from bot.i18n import Safe
from bot.moderation import audit, callbacks, policy
from bot.moderation.notices import tell_admins, text_only
from bot.moderation.texts import length_text, member_name, mention, reason_text, when_text
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Sanction
from bot.scheduler import RetryLaterError

log = logging.getLogger(__name__)

KIND_END = f"{callbacks.FEATURE}.exclusion_end"
KIND_CHECKIN = f"{callbacks.FEATURE}.checkin"
KIND_REMINDER = f"{callbacks.FEATURE}.admin_reminder"
KINDS = (KIND_END, KIND_CHECKIN, KIND_REMINDER)


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


async def send_support_message(
    app: App, group: Group, sanction: Sanction, seconds: int, contact: int | None
) -> bool:
    """Tell the member, privately, why, for how long, who to talk to, and how they come back."""
    data = app.bot_data
    lang = await language_of(data, sanction.user_id)
    if contact is not None:
        contact_name = await member_name(
            app.bot, group.chat_id, contact, data.texts.t(lang, "moderation.an_admin")
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
        until=when_text(data, group, sanction.ends_at, lang),
        reason=reason_text(data, lang, sanction.reason),
        contact=Safe(contact_text),
        lines=await lines.for_group(data, lang, group.chat_id),
    )
    sent = await send_private(
        app.bot,
        data,
        sanction.user_id,
        text,
        reply_markup=callbacks.stop_checkins_keyboard(data, lang, sanction.id),
    )
    if sent is None:
        return False
    await data.store.moderation.mark_reached(sanction.id)
    return True


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
        if not await send_support_message(app, group, sanction, remaining, sanction.contact_id):
            continue
        sent += 1
        name = await member_name(app.bot, group.chat_id, sanction.user_id, str(sanction.user_id))
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
    await send_private(
        app.bot,
        data,
        sanction.user_id,
        text,
        reply_markup=callbacks.stop_checkins_keyboard(data, lang, sanction.id),
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
        if await send_private(app.bot, data, contact, text) is not None:
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
    lang = await language_of(data, sanction.user_id)
    reached = False
    if link is not None:
        text = data.texts.t(lang, "moderation.welcome_back", group=group.title, link=link)
        reached = await send_private(bot, data, sanction.user_id, text) is not None
    if not reached:
        await tell_admins(
            app,
            group,
            text_only(app, "moderation.readmit_unreached", member=str(sanction.user_id)),
        )
    return reached
