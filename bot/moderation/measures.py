"""The moderation measures: warn, mute, unmute, exclude, readmit, solicitor, unblock — and the
blocklist they keep.

Shared by the commands and the admins' one-tap answers to reports. Each measure re-checks who is
acting and on whom, asks Telegram, records the measure and its audit entry, and tells the member
concerned; ``tell_admins_of`` then gives the admins the details. A measure that cannot be taken
raises a ``RefusedError`` (the one error handler answers it) and changes nothing.

Distress is never a rule violation: nothing here looks at what members say about how they feel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import ChatPermissions
from telegram.error import BadRequest, TelegramError

from bot import holds, once
from bot.adapters.admins import Compose
from bot.adapters.guards import Actor
from bot.adapters.presence import is_present
from bot.adapters.replies import delete_quietly
from bot.context import App
from bot.delivery import outbox
from bot.errors import AdminsOnlyError, RefusedError, StaleButtonError
from bot.moderation import audit, callbacks, policy, support
from bot.moderation.notices import tell_admins, text_only
from bot.moderation.texts import length_text, mention, reason_text, when_text
from bot.people import language_of
from bot.records.groups import Group
from bot.records.moderation import Sanction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a measure did, for the acting admin's confirmation and the admins' notice."""

    measure: str
    target_id: int
    target_name: str
    reached: bool | None = None
    count: int | None = None
    seconds: int = 0
    sanction: Sanction | None = None


# -- checks before acting -----------------------------------------------------------------------


async def _target_status(app: App, chat_id: int, user_id: int) -> tuple[str | None, bool, str]:
    """The target's membership status in the group, whether it is a bot, and a name."""
    try:
        member = await app.bot.get_chat_member(chat_id, user_id)
    except BadRequest:
        return None, False, str(user_id)
    return str(member.status), bool(member.user.is_bot), str(member.user.first_name or user_id)


async def check_target(
    app: App, group: Group, actor: Actor, target_id: int, *, must_be_member: bool
) -> str:
    """Refuse admins, the creator, the bot, service accounts; return the target's name."""
    status, is_bot, name = await _target_status(app, group.chat_id, target_id)
    refusal = policy.refusal_for_target(
        actor_id=actor.user_id,
        target_id=target_id,
        target_status=status,
        target_is_bot=is_bot,
        bot_id=app.bot.id,
    )
    if refusal is not None:
        raise RefusedError(f"moderation.refuse_{refusal}")
    # Telegram's live answer: someone it does not know in this chat (a mistyped id) is never
    # the target of anything; someone who left may still be kept out for good (/solicitor).
    if status is None or (must_be_member and status in ("left", "kicked")):
        raise RefusedError("moderation.refuse_not_member")
    return name


async def confirm_admin(app: App, chat_id: int, actor: Actor) -> None:
    """Right before a ban or restriction: ask Telegram again (anonymous admins are the group's)."""
    if actor.anonymous_admin:
        return
    if actor.user_id is None or not await app.bot_data.admins.is_admin(
        app.bot, chat_id, actor.user_id, fresh=True
    ):
        raise AdminsOnlyError


def _telegram_refused(error: TelegramError) -> RefusedError:
    log.info("telegram refused a moderation call (%s)", type(error).__name__)
    return RefusedError("moderation.telegram_refused")


async def _tell_member(
    app: App, group: Group, target_id: int, name: str, text: str, *, kind: str, fail_to: int | None
) -> int:
    """The member's private message about a measure, into the outbox (inside the measure's
    transaction); if it can never arrive, ``fail_to`` (the acting admin) is told."""
    data = app.bot_data
    fail_text = None
    if fail_to is not None:
        fail_lang = await language_of(data, fail_to)
        fail_text = data.texts.t(
            fail_lang,
            "outbox.member_undeliverable",
            member=mention(target_id, name),
            group=group.title,
        )
    return await outbox.enqueue(
        app,
        target_id,
        text,
        kind=kind,
        member_id=target_id,
        fail_chat=fail_to,
        fail_text=fail_text,
    )


async def _reached(app: App, row: int) -> bool | None:
    """Whether the member's message arrived: True, False (never will), None (on its way)."""
    result = await outbox.status(app, row)
    return True if result == outbox.SENT else False if result == outbox.FAILED else None


def _until(now: int, seconds: int) -> int:
    try:
        return policy.safe_until(now, seconds)
    except policy.CommandError as error:
        raise RefusedError(f"moderation.err_{error.code}") from None


# -- the measures -------------------------------------------------------------------------------


async def warn(
    app: App, group: Group, actor: Actor, target_id: int, reason: str | None
) -> Outcome:
    """A recorded warning, told to the member privately. Warnings never escalate by themselves.
    Only for someone in the group now (a stranger's id records nothing)."""
    data = app.bot_data
    name = await check_target(app, group, actor, target_id, must_be_member=True)
    lang = await language_of(data, target_id)
    text = data.texts.t(
        lang,
        "moderation.warn_member",
        group=group.title,
        reason=reason_text(data, lang, reason),
    )
    # Once, even if the command is carried out again after a kill (then the admins are told
    # and the command is answered, as they would have been).
    async with once.change(app, f"warn:{group.chat_id}:{target_id}") as fresh:
        if fresh:
            await data.store.moderation.add_warning(
                group.chat_id, target_id, actor.user_id, reason
            )
            await audit.record(
                app, "mod.warn", group=group, actor=actor, target_id=target_id, detail=reason
            )
        row = await _tell_member(
            app, group, target_id, name, text, kind="warning", fail_to=actor.user_id
        )
    count = await data.store.moderation.warning_count(group.chat_id, target_id)
    reached = await _reached(app, row)
    return Outcome("warn", target_id, name, reached=reached, count=count)


async def mute(
    app: App, group: Group, actor: Actor, target_id: int, seconds: int, reason: str | None
) -> Outcome:
    """Read-only for a while; Telegram lifts it by itself at the end."""
    data = app.bot_data
    await confirm_admin(app, group.chat_id, actor)
    name = await check_target(app, group, actor, target_id, must_be_member=True)
    until = _until(data.clock.epoch(), seconds)
    # A newcomer still waiting at the rules gate stays held with no end date: a timed
    # restriction would let them post, unasked, once the mute ran out.
    gated = await holds.waiting_at_gate(data, group.chat_id, target_id)
    try:
        await app.bot.restrict_chat_member(
            group.chat_id,
            target_id,
            ChatPermissions.no_permissions(),
            until_date=None if gated else datetime.fromtimestamp(until, UTC),
        )
    except BadRequest as error:
        raise _telegram_refused(error) from None
    lang = await language_of(data, target_id)
    text = data.texts.t(
        lang,
        "moderation.mute_member",
        group=group.title,
        length=length_text(data, lang, seconds),
        until=when_text(data, group, until, lang),
        reason=reason_text(data, lang, reason),
    )
    async with once.change(app, f"mute:{group.chat_id}:{target_id}") as fresh:
        if fresh:
            sanction: Sanction | None = await data.store.moderation.start_sanction(
                group.chat_id,
                target_id,
                "mute",
                actor_id=actor.user_id,
                contact_id=actor.user_id,
                reason=reason,
                ends_at=until,
            )
            await audit.record(
                app, "mod.mute", group=group, actor=actor, target_id=target_id, detail=reason
            )
        else:  # carried out again after a kill: made then
            sanction = await data.store.moderation.active_sanction(
                group.chat_id, target_id, "mute"
            )
        row = await _tell_member(
            app, group, target_id, name, text, kind="mute_notice", fail_to=actor.user_id
        )
    reached = await _reached(app, row)
    return Outcome("mute", target_id, name, reached=reached, seconds=seconds, sanction=sanction)


async def unmute(app: App, group: Group, actor: Actor, target_id: int) -> Outcome:
    """Writing restored (unless the rules gate still holds the newcomer)."""
    data = app.bot_data
    await confirm_admin(app, group.chat_id, actor)
    name = await check_target(app, group, actor, target_id, must_be_member=True)
    if not await holds.waiting_at_gate(data, group.chat_id, target_id):  # the gate still holds
        try:
            # Telegram: "pass True for all permissions to lift restrictions from a user".
            await app.bot.restrict_chat_member(
                group.chat_id, target_id, ChatPermissions.all_permissions()
            )
        except BadRequest as error:
            raise _telegram_refused(error) from None
    lang = await language_of(data, target_id)
    text = data.texts.t(lang, "moderation.unmute_member", group=group.title)
    async with once.change(app, f"unmute:{group.chat_id}:{target_id}") as fresh:
        active = await data.store.moderation.active_sanction(group.chat_id, target_id, "mute")
        if fresh and active is not None:
            await data.store.moderation.finish_sanction(active.id, "lifted")
        if fresh:
            await audit.record(app, "mod.unmute", group=group, actor=actor, target_id=target_id)
        row = await _tell_member(
            app, group, target_id, name, text, kind="unmute_notice", fail_to=None
        )
    reached = await _reached(app, row)
    return Outcome("unmute", target_id, name, reached=reached)


async def exclude(
    app: App,
    group: Group,
    actor: Actor,
    target_id: int,
    seconds: int,
    reason: str | None,
    contact_id: int | None,
) -> Outcome:
    """Temporary exclusion with continued support: removed until the time is up, then
    readmitted by itself (``support.readmit``, run by ``jobs.exclusion_end_job``)."""
    data = app.bot_data
    await confirm_admin(app, group.chat_id, actor)
    # Carried out again after a kill between the ban and its record: the member banned then
    # is no longer in the group, and the exclusion is recorded now, with its support.
    ban = f"exclude:{group.chat_id}:{target_id}"
    banned_before = await once.effect_begun(app, ban)
    name = await check_target(app, group, actor, target_id, must_be_member=not banned_before)
    if contact_id is not None and not await data.admins.is_admin(
        app.bot, group.chat_id, contact_id
    ):
        raise RefusedError("moderation.contact_not_admin")
    contact = contact_id if contact_id is not None else actor.user_id
    now = data.clock.epoch()
    until = _until(now, seconds)
    await once.begin_effect(app, ban)
    try:
        await app.bot.ban_chat_member(
            group.chat_id, target_id, until_date=datetime.fromtimestamp(until, UTC)
        )
    except BadRequest as error:
        raise _telegram_refused(error) from None
    contact_name = await support.contact_name(app, group, target_id, contact)
    # The exclusion, its plan, its audit entry and the member's support message are saved
    # together (once, even if the command is carried out again after a kill); the message is
    # delivered after that (and retried until it arrives).
    async with once.change(app, f"exclusion:{group.chat_id}:{target_id}") as fresh:
        if fresh:
            sanction: Sanction | None = await data.store.moderation.start_sanction(
                group.chat_id,
                target_id,
                "exclude",
                actor_id=actor.user_id,
                contact_id=contact,
                reason=reason,
                ends_at=until,
            )
            assert sanction is not None  # noqa: S101 - just started
            await support.plan(app, sanction, now)
            await audit.record(
                app, "mod.exclude", group=group, actor=actor, target_id=target_id, detail=reason
            )
        else:
            sanction = await data.store.moderation.active_sanction(
                group.chat_id, target_id, "exclude"
            )
        row = None
        if sanction is not None:
            row = await support.send_support_message(
                app, group, sanction, seconds, contact, name, contact_name
            )
    reached = None if row is None else await _reached(app, row)
    return Outcome("exclude", target_id, name, reached=reached, seconds=seconds, sanction=sanction)


async def readmit(app: App, group: Group, actor: Actor, target_id: int) -> bool:
    """End an exclusion early; returns whether the member got their link back."""
    sanction = await app.bot_data.store.moderation.active_sanction(
        group.chat_id, target_id, "exclude"
    )
    if sanction is None:
        raise RefusedError("moderation.not_excluded")
    await confirm_admin(app, group.chat_id, actor)
    reached = await support.readmit(app, sanction, actor)
    if reached is None:
        raise RefusedError("moderation.not_excluded")
    return reached


async def solicitor(
    app: App, group: Group, actor: Actor, target_id: int, reason: str | None
) -> Outcome:
    """Permanent exclusion: removed with messages revoked, kept out of every group."""
    data = app.bot_data
    await confirm_admin(app, group.chat_id, actor)
    name = await check_target(app, group, actor, target_id, must_be_member=False)
    try:
        await app.bot.ban_chat_member(group.chat_id, target_id, revoke_messages=True)
    except BadRequest as error:
        raise _telegram_refused(error) from None
    store = data.store
    await store.moderation.block(
        target_id, origin_chat_id=group.chat_id, actor_id=actor.user_id, reason=reason
    )
    data.moderation.blocked(target_id)
    data.moderation.tracker.forget_sender(target_id)
    await support.cancel(app, group.chat_id, target_id)
    await audit.record(
        app, "mod.solicitor", group=group, actor=actor, target_id=target_id, detail=reason
    )
    for other in await store.groups.active():
        if other.chat_id != group.chat_id:
            await _remove_elsewhere(app, other, group, target_id, name)
    return Outcome("solicitor", target_id, name)


async def _remove_elsewhere(
    app: App, other: Group, origin: Group, target_id: int, name: str
) -> None:
    """A solicitor present in another group of the deployment is removed there at once (asked
    of Telegram, not of the bot's memory: they may have been there before the bot), and that
    group's admins are told."""
    await support.cancel(app, other.chat_id, target_id)  # no welcome back for them anywhere
    try:
        member = await app.bot.get_chat_member(other.chat_id, target_id)
    except TelegramError as error:
        log.info(
            "cannot check group %s for a blocked person (%s)", other.chat_id, type(error).__name__
        )
        return
    if not is_present(member) or str(member.status) in ("administrator", "creator"):
        return
    try:
        await app.bot.ban_chat_member(other.chat_id, target_id, revoke_messages=True)
    except TelegramError as error:
        log.info(
            "could not remove a blocked person from %s (%s)", other.chat_id, type(error).__name__
        )
        return
    await audit.record(
        app, "mod.solicitor", group=other, actor=None, target_id=target_id, detail=origin.title
    )
    compose = text_only(
        app,
        "joinmodes.solicitor_elsewhere_admins",
        member=mention(target_id, name),
        id=str(target_id),
        origin=origin.title,
        group=other.title,
    )
    await tell_admins(app, other, compose)


async def unblock(app: App, group: Group, actor: Actor, target_id: int) -> bool:
    """Off the blocklist, and every group's ban lifted; False if they were not on it."""
    data = app.bot_data
    await confirm_admin(app, group.chat_id, actor)
    removed = await data.store.moderation.unblock(target_id)
    data.moderation.unblocked(target_id)
    if not removed:
        return False
    for each in await data.store.groups.active():
        try:
            await app.bot.unban_chat_member(each.chat_id, target_id, only_if_banned=True)
        except TelegramError:
            log.info("could not lift a ban in group %s", each.chat_id)
    await audit.record(app, "mod.unblock", group=group, actor=actor, target_id=target_id)
    return True


# -- the admins' copy of a measure --------------------------------------------------------------


def _notice(app: App, group: Group, outcome: Outcome) -> Compose:
    texts = app.bot_data.texts

    def about(lang: str, key: str, **values: object) -> str:
        member = mention(outcome.target_id, outcome.target_name)
        text: str = (
            texts.n(lang, key, int(str(values.pop("count"))), member=member, group=group.title)
            if "count" in values
            else texts.t(lang, key, member=member, group=group.title, **values)
        )
        if outcome.measure in ("warn", "mute"):
            if outcome.reached is False:
                text += "\n" + texts.t(lang, "moderation.member_unreached")
            elif outcome.reached is None:
                text += "\n" + texts.t(lang, "outbox.member_on_its_way")
        if outcome.measure in ("mute", "exclude"):
            # The way back asks for the member's id: it is shown, not looked for.
            text += "\n" + texts.t(lang, f"joinmodes.{outcome.measure}_undo", id=outcome.target_id)
        return text

    notices: dict[str, Compose] = {
        "warn": lambda lang: (
            about(lang, "moderation.warn_admins", count=outcome.count or 1),
            None,
        ),
        "mute": lambda lang: (
            about(
                lang,
                "moderation.mute_admins",
                length=length_text(app.bot_data, lang, outcome.seconds),
            ),
            None,
        ),
        "exclude": lambda lang: (
            about(
                lang,
                "moderation.exclude_admins"
                if outcome.reached
                else "outbox.exclude_admins_on_its_way"
                if outcome.reached is None
                else "moderation.exclude_admins_waiting",
                length=length_text(app.bot_data, lang, outcome.seconds),
            ),
            None,
        ),
        "solicitor": lambda lang: (
            about(lang, "joinmodes.solicitor_admins", id=str(outcome.target_id)),
            callbacks.tell_solicitor_keyboard(
                app.bot_data, lang, group.chat_id, outcome.target_id
            ),
        ),
    }
    return notices[outcome.measure]


async def tell_actor(app: App, actor: Actor, key: str) -> bool:
    """The acting admin's own private note of an outcome; False if they cannot be reached."""
    if actor.user_id is None or actor.anonymous_admin:
        return False
    data = app.bot_data
    lang = await language_of(data, actor.user_id)
    text = data.texts.t(lang, key)
    return await outbox.send_critical(app, actor.user_id, text, kind="notice") != outbox.FAILED


async def tell_admins_of(app: App, group: Group, outcome: Outcome) -> bool:
    """The details (count, length, whether the member was reached) to the admins; False if no
    admin could be reached."""
    return bool(await tell_admins(app, group, _notice(app, group, outcome)))


# -- the blocklist: people excluded for good are kept out -----------------------------------------


async def is_blocked(app: App, user_id: int) -> bool:
    """On the blocklist (read from memory: cheap on every message)."""
    data = app.bot_data
    return await data.moderation.is_blocked(data.store.moderation, user_id)


async def decline_join_request(app: App, chat_id: int, user_id: int) -> None:
    try:
        await app.bot.decline_chat_join_request(chat_id, user_id)
    except TelegramError:
        log.info("could not decline a join request in %s", chat_id)
    group = await app.bot_data.store.groups.get(chat_id)
    if group is not None:
        await audit.record(app, "mod.join_declined", group=group, actor=None, target_id=user_id)


async def undo_rejoin(app: App, chat_id: int, user_id: int) -> None:
    try:
        await app.bot.ban_chat_member(chat_id, user_id)
    except TelegramError:
        log.info("could not undo a blocked person's rejoin in %s", chat_id)
    group = await app.bot_data.store.groups.get(chat_id)
    if group is not None:
        await audit.record(app, "mod.rejoin_undone", group=group, actor=None, target_id=user_id)


async def remove_blocked_sender(app: App, chat_id: int, user_id: int, message_id: int) -> None:
    await delete_quietly(app, chat_id, message_id)
    try:
        await app.bot.ban_chat_member(chat_id, user_id)
    except TelegramError:
        log.info("could not remove a blocked person from %s", chat_id)


# -- the solicitor's optional note --------------------------------------------------------------


async def solicitor_case(app: App, chat_id: int, user_id: int) -> Group:
    """The group a solicitor was excluded from, while they are still on the blocklist."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not await data.store.moderation.is_blocked(user_id):
        raise StaleButtonError
    return group


async def tell_solicitor(app: App, group: Group, user_id: int) -> bool:
    """Tell the excluded solicitor, briefly and without detail; False if they cannot be reached."""
    data = app.bot_data
    lang = await language_of(data, user_id)
    text = data.texts.t(lang, "moderation.solicitor_member", group=group.title)
    result = await outbox.send_critical(app, user_id, text, kind="notice", member_id=user_id)
    return result != outbox.FAILED
