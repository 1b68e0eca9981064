"""The join gate: newcomers read the rules and agree with one tap.

A newcomer is greeted briefly by first name and, when the gate is on and the bot may restrict
members, can read but not post until they tap "I agree" — only their own tap counts. Agreeing
is recorded with the rules version; the welcome is then removed. Someone who has not agreed
after a while is reminded once (privately if they started the bot, else in the group) and is
never removed for it. A newcomer who leaves before agreeing leaves no trace.

A welcome that does not get through never leaves a newcomer ungated, nor held back without a
way to agree: the gate entry is written before the welcome is sent, so "I agree" works wherever
it is shown (the welcome, a reminder, the rules read privately by ``/start rules_<id>``). A
failure that may pass (a timeout, a 5xx, a flood wait) is tried again (``WELCOME``, with the
scheduler's back-off); one that cannot (the bot may not post there) or that outlasts the tries
sends the welcome privately if the person started the bot — and only if that is impossible too
is the gate lifted, because nobody is held back without a button.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from telegram import ChatPermissions
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import holds
from bot.adapters.keyboards import button, keyboard, link_button
from bot.adapters.presence import is_present
from bot.adapters.replies import delete_quietly, edit_quietly, send_private
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.i18n import Safe
from bot.records.rules import GateEntry
from bot.rules import reminders
from bot.rules.callbacks import AGREE, FEATURE
from bot.rules.policy import GATE_REMINDER_AFTER, JoinAction, Joiner, on_join
from bot.rules.versions import read_in_private, rendered
from bot.scheduler import MAX_ATTEMPTS, RetryLaterError

WELCOME_TRIES = MAX_ATTEMPTS - 1  # the last try is the private welcome's turn

if TYPE_CHECKING:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    from bot.context import App, BotData
    from bot.records.groups import Group

log = logging.getLogger(__name__)

GATE_REMINDER = f"{FEATURE}.gate_reminder"
WELCOME = f"{FEATURE}.welcome_again"
WELCOME_RETRY_AFTER = 30


@dataclass(frozen=True)
class Newcomer:
    """Who just joined, as the gate needs to know them."""

    user_id: int
    first_name: str
    is_bot: bool
    is_admin: bool


def mention(user_id: int, first_name: str) -> Safe:
    """A person greeted by first name (a link to their account, nothing more)."""
    return Safe(f'<a href="tg://user?id={user_id}">{html.escape(first_name, quote=False)}</a>')


def start_link(bot_username: str | None, payload: str) -> str:
    """A link that opens the private chat with ``/start payload``."""
    return f"https://t.me/{bot_username}?start={payload}"


def agree_button(app: App, lang: str, chat_id: int, user_id: int) -> InlineKeyboardButton:
    """The newcomer's own "I agree" (only their tap counts)."""
    label = app.bot_data.texts.raw(lang, "rules.button_agree")
    return button(label, FEATURE, AGREE, chat_id, user_id)


def agree_keyboard(app: App, lang: str, chat_id: int, user_id: int) -> InlineKeyboardMarkup:
    return keyboard([agree_button(app, lang, chat_id, user_id)])


def _gate_key(chat_id: int, user_id: int) -> str:
    return f"{GATE_REMINDER}:{chat_id}:{user_id}"


async def _welcome(app: App, group: Group, person: Newcomer) -> tuple[str, InlineKeyboardMarkup]:
    data = app.bot_data
    texts, lang = data.texts, group.language
    name = mention(person.user_id, person.first_name)
    agree = agree_button(app, lang, group.chat_id, person.user_id)
    if await read_in_private(data, group.chat_id):
        link = start_link(app.bot.username, f"rules_{group.chat_id}")
        read = link_button(texts.raw(lang, "rules.button_read"), link)
        return texts.t(lang, "rules.welcome_short", name=name), keyboard([read], [agree])
    rules = await rendered(data, group.chat_id, lang)
    return texts.t(lang, "rules.welcome", name=name, rules=rules), keyboard([agree])


async def joined(app: App, chat_id: int, person: Newcomer) -> None:
    """Someone joined: welcome them, and hold them back until they agree when the gate is on."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    await reminders.ensure(app, chat_id)
    version = await data.store.rules.current_version(chat_id)
    action = on_join(
        Joiner(
            is_bot=person.is_bot,
            is_admin=person.is_admin,
            agreed_current=await data.store.rules.has_accepted(chat_id, person.user_id, version),
            returning=await data.store.moderation.was_readmitted(chat_id, person.user_id),
        ),
        gate_on=group.rules_gate,
        can_restrict=group.rights.can_restrict,
    )
    log.info("join in %s by %s: %s", chat_id, person.user_id, action.value)
    if action is JoinAction.NOTHING:
        return
    if action is JoinAction.GREET:
        greeting = data.texts.t(group.language, "rules.welcome_open", name=person.first_name)
        await app.bot.send_message(chat_id, greeting)
        return
    restricted = False
    if action is JoinAction.GATE:
        restricted = await _restrict(app, chat_id, person.user_id)
    before = await data.store.rules.gate_get(chat_id, person.user_id)
    if before is not None and before.message_id is not None:
        await delete_quietly(app.bot, chat_id, before.message_id)
    await open_and_welcome(app, group, person, version, restricted)


async def open_and_welcome(
    app: App, group: Group, person: Newcomer, version: int, restricted: bool
) -> None:
    """Open the newcomer's gate entry, then welcome them; a welcome that does not get
    through is tried again, or sent privately, never left without a way to agree."""
    data = app.bot_data
    chat_id = group.chat_id
    # The entry first: their "I agree" works wherever it is shown, whatever happens next.
    await data.store.rules.gate_open(chat_id, person.user_id, version, None, restricted)
    await data.scheduler.schedule(
        app,
        GATE_REMINDER,
        data.clock.epoch() + GATE_REMINDER_AFTER,
        chat_id=chat_id,
        user_id=person.user_id,
        dedupe_key=_gate_key(chat_id, person.user_id),
    )
    try:
        await _post_welcome(app, group, person)
    except (BadRequest, Forbidden) as error:
        log.warning("welcome in %s failed (%s)", chat_id, type(error).__name__)
        if not await _no_welcome(app, group, person):
            await _welcome_later(app, chat_id, person.user_id)
    except TelegramError as error:  # a timeout, a 5xx, a flood wait: it may pass
        log.warning("welcome in %s failed (%s): trying again", chat_id, type(error).__name__)
        await _welcome_later(app, chat_id, person.user_id)


async def _welcome_later(app: App, chat_id: int, user_id: int) -> None:
    data = app.bot_data
    await data.scheduler.schedule(
        app,
        WELCOME,
        data.clock.epoch() + WELCOME_RETRY_AFTER,
        chat_id=chat_id,
        user_id=user_id,
        dedupe_key=f"{WELCOME}:{chat_id}:{user_id}",
    )


async def _post_welcome(app: App, group: Group, person: Newcomer) -> None:
    """The welcome in the group; its message is noted on the newcomer's gate entry."""
    text, markup = await _welcome(app, group, person)
    sent = await app.bot.send_message(group.chat_id, text, reply_markup=markup)
    await app.bot_data.store.rules.gate_welcomed(group.chat_id, person.user_id, sent.message_id)


async def _no_welcome(app: App, group: Group, person: Newcomer) -> bool:
    """The welcome cannot be posted in the group: privately, with their own "I agree", if
    they started the bot; else the gate is lifted and forgotten (nobody is held back without a
    button, nor reminded to agree while already free to post). False if even lifting it
    failed: the caller tries again later."""
    data = app.bot_data
    chat_id, user_id = group.chat_id, person.user_id
    known = await data.store.users.get(user_id)
    if known is not None and known.reachable:
        lang = known.language or group.language
        text = data.texts.t(
            lang,
            "rules.welcome_private",
            group=group.title,
            rules=await rendered(data, chat_id, lang),
        )
        markup = agree_keyboard(app, lang, chat_id, user_id)
        if await send_private(app.bot, data, user_id, text, reply_markup=markup) is not None:
            return True
    entry = await data.store.rules.gate_get(chat_id, user_id)
    if entry is not None and entry.restricted:
        muted_until = await holds.muted_until(data, chat_id, user_id)
        if not await _release(app, chat_id, user_id, muted_until):
            return False
    await data.store.rules.gate_close(chat_id, user_id)
    await data.scheduler.cancel(app, GATE_REMINDER, chat_id=chat_id, user_id=user_id)
    return True


async def welcome_again(app: App, chat_id: int, user_id: int, attempts: int) -> None:
    """The timed retry of a welcome that did not get through (``attempts`` made before).

    A failure that may pass is raised again, so the scheduler tries later with its back-off;
    on the last try, or one that cannot succeed, the welcome goes privately (``_no_welcome``).
    """
    data = app.bot_data
    entry = await data.store.rules.gate_get(chat_id, user_id)
    group = await data.store.groups.get(chat_id)
    if entry is None or entry.message_id is not None or group is None or not group.active:
        return  # they agreed or left, or a welcome got through meanwhile
    try:
        member = await app.bot.get_chat_member(chat_id, user_id)
        if not is_present(member):
            await left(app, chat_id, user_id)
            return
        person = Newcomer(user_id, member.user.first_name, member.user.is_bot, False)
        await _post_welcome(app, group, person)
    except (BadRequest, Forbidden) as error:
        log.warning("welcome in %s failed again (%s)", chat_id, type(error).__name__)
    except TelegramError:
        if attempts + 1 < WELCOME_TRIES:
            raise
        log.warning("welcome in %s: giving up on the group after %s tries", chat_id, attempts + 1)
    else:
        return
    if not await _no_welcome(app, group, Newcomer(user_id, "", False, False)):
        raise RetryLaterError  # not even the gate could be lifted: the scheduler tries again


async def waiting(data: BotData, chat_id: int, user_id: int) -> bool:
    """Is the person a newcomer still to agree to this group's rules?"""
    return await data.store.rules.gate_get(chat_id, user_id) is not None


async def _restrict(app: App, chat_id: int, user_id: int) -> bool:
    """Read-only until they agree; False (greet without gating) if Telegram says no."""
    try:
        await app.bot.restrict_chat_member(chat_id, user_id, ChatPermissions.no_permissions())
    except (BadRequest, Forbidden) as error:
        log.info("could not gate %s in %s (%s)", user_id, chat_id, type(error).__name__)
        return False
    return True


async def _release(app: App, chat_id: int, user_id: int, muted_until: int | None = None) -> bool:
    """Lift the gate; a mute in force stays, ending when it was meant to. False if Telegram
    did not take it (the person is still held back)."""
    try:
        if muted_until is not None:
            await app.bot.restrict_chat_member(
                chat_id,
                user_id,
                ChatPermissions.no_permissions(),
                until_date=datetime.fromtimestamp(muted_until, UTC),
            )
            return True
        # Telegram: "Pass True for all permissions to lift restrictions from a user."
        await app.bot.restrict_chat_member(chat_id, user_id, ChatPermissions.all_permissions())
    except TelegramError as error:
        log.warning(
            "could not lift the gate of %s in %s (%s)", user_id, chat_id, type(error).__name__
        )
        return False
    return True


async def left(app: App, chat_id: int, user_id: int) -> None:
    """A newcomer left before agreeing: remove the welcome and forget the wait."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    entry = await data.store.rules.gate_get(chat_id, user_id)
    if entry is None:
        return
    if entry.message_id is not None:
        await delete_quietly(app.bot, chat_id, entry.message_id)
    await data.store.rules.gate_close(chat_id, user_id)
    await data.scheduler.cancel(app, GATE_REMINDER, chat_id=chat_id, user_id=user_id)


async def agree(app: App, chat_id: int, newcomer: int, presser: int) -> GateEntry:
    """The newcomer's own "I agree": recorded, the gate lifted (a mute given meanwhile stays).

    Someone else's tap is refused (``NotForYouError``); a second tap is stale.
    """
    data = app.bot_data
    if presser != newcomer:
        raise NotForYouError("rules.not_your_button")
    entry = await data.store.rules.gate_get(chat_id, newcomer)
    if entry is None:
        raise StaleButtonError
    # A newcomer an administrator muted meanwhile stays muted: agreeing lifts only the gate,
    # and the mute's own end date takes over. The gate is lifted before the entry closes: if
    # Telegram does not take it, their button still works for another tap.
    if entry.restricted and not await _release(
        app, chat_id, newcomer, await holds.muted_until(data, chat_id, newcomer)
    ):
        raise RefusedError("rules.agree_again")
    if not await data.store.rules.gate_close(chat_id, newcomer):
        raise StaleButtonError
    await data.store.rules.accept(chat_id, newcomer, entry.version)
    await data.store.audit.record(
        "rules_agreed", chat_id=chat_id, actor_id=newcomer, detail=f"v{entry.version}"
    )
    await data.scheduler.cancel(app, GATE_REMINDER, chat_id=chat_id, user_id=newcomer)
    return entry


async def tidy_welcome(app: App, entry: GateEntry, first_name: str, lang: str) -> None:
    """After agreeing: the welcome goes (or, if it cannot be deleted, says thank you)."""
    if entry.message_id is None or await delete_quietly(app.bot, entry.chat_id, entry.message_id):
        return
    data = app.bot_data
    group = await data.store.groups.get(entry.chat_id)
    glang = group.language if group else lang
    await edit_quietly(
        app.bot,
        entry.chat_id,
        entry.message_id,
        data.texts.t(glang, "rules.welcome_done", name=first_name),
    )


async def remind_newcomer(app: App, chat_id: int, user_id: int) -> None:
    """Remind a newcomer once, kindly; never remove anyone for not agreeing."""
    data = app.bot_data
    entry = await data.store.rules.gate_get(chat_id, user_id)
    group = await data.store.groups.get(chat_id)
    if entry is None or entry.reminded_at is not None or group is None or not group.active:
        return
    person = await data.store.users.get(user_id)
    if person is not None and person.reachable:
        lang = person.language or group.language
        text = data.texts.t(
            lang,
            "rules.gate_reminder_private",
            group=group.title,
            rules=await rendered(data, chat_id, lang),
        )
        markup = agree_keyboard(app, lang, chat_id, user_id)
        if await send_private(app.bot, data, user_id, text, reply_markup=markup) is not None:
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
        chat_id, text, reply_markup=agree_keyboard(app, lang, chat_id, user_id)
    )
    if entry.message_id is not None:
        await delete_quietly(app.bot, chat_id, entry.message_id)
    await data.store.rules.gate_reminded(chat_id, user_id, sent.message_id)
