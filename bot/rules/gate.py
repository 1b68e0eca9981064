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

from babel.lists import format_list
from telegram import ChatPermissions
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import holds
from bot.adapters.keyboards import button, keyboard, link_button
from bot.adapters.presence import is_present
from bot.adapters.ratelimit import room_now, send_priority
from bot.adapters.replies import delete_quietly, edit_quietly
from bot.delivery import outbox
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.i18n import Safe
from bot.records.outbox import Outgoing
from bot.records.rules import GateEntry
from bot.rules import reminders
from bot.rules.callbacks import AGREE, ANYONE_WAITING, FEATURE, REACCEPT
from bot.rules.policy import GATE_REMINDER_AFTER, WELCOME_WINDOW, JoinAction, Joiner, on_join
from bot.rules.versions import in_brief, rendered

if TYPE_CHECKING:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    from bot.context import App, BotData
    from bot.records.groups import Group

log = logging.getLogger(__name__)

GATE_REMINDER = f"{FEATURE}.gate_reminder"
# The outbox kind of a welcome that carries the agree button (a plain word, not a key).
WELCOME = "rules_welcome"
REJOIN_WELCOME = "rules_rejoin"  # back after the rules changed: asked to agree again, no hold
WELCOME_BATCH = f"{FEATURE}.welcome_batch"  # one combined welcome at a window's end
GREET_BATCH = f"{FEATURE}.greet_batch"  # the same with the gate off (a greeting, no button)


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


def read_button(app: App, lang: str, chat_id: int) -> InlineKeyboardButton:
    """ "Read all the rules": the full text in the private chat (one tap, and it opens it)."""
    link = start_link(app.bot.username, f"rules_{chat_id}")
    return link_button(app.bot_data.texts.raw(lang, "rules.button_read_all"), link)


async def _welcome(app: App, group: Group, person: Newcomer) -> tuple[str, InlineKeyboardMarkup]:
    """A welcome that fits one phone screen: a greeting, the rules in brief, two buttons."""
    data = app.bot_data
    texts, lang = data.texts, group.language
    full = "rules.welcome_full_pinned" if group.rules_pinned_id else "rules.welcome_full_button"
    text = texts.t(
        lang,
        "rules.welcome",
        name=mention(person.user_id, person.first_name),
        brief=await in_brief(data, group.chat_id, lang),
        full=texts.t(lang, full),
    )
    agree = agree_button(app, lang, group.chat_id, person.user_id)
    return text, keyboard([read_button(app, lang, group.chat_id)], [agree])


async def joined(app: App, chat_id: int, person: Newcomer) -> None:
    """Someone joined: welcome them, and hold them back until they agree when the gate is on.

    A burst of joins shares one welcome per window: whoever joins within ``WELCOME_WINDOW`` of
    a welcome waits (held back as usual) for one combined welcome at the window's end.
    """
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
            agreed_earlier=await data.store.rules.accepted_before(
                chat_id, person.user_id, version
            ),
        ),
        gate_on=group.rules_gate,
        can_restrict=group.rights.can_restrict,
    )
    log.info("join in %s by %s: %s", chat_id, person.user_id, action.value)
    if action is JoinAction.NOTHING:
        return
    if action is JoinAction.GREET:
        await _greet(app, group, person)
        return
    if action is JoinAction.REASK:
        await _welcome_back(app, group, person, version)
        return
    restricted = False
    if action is JoinAction.GATE:
        restricted = await _restrict(app, chat_id, person.user_id)
    before = await data.store.rules.gate_get(chat_id, person.user_id)
    if before is not None and before.message_id is not None:
        await _drop_welcome(app, chat_id, before.message_id)
    now = data.clock.epoch()
    recent = await data.store.rules.gate_recent_welcome(chat_id, now - WELCOME_WINDOW)
    if recent is not None and recent.user_id != person.user_id:
        # Within the window of a welcome: wait for the window's one combined welcome.
        await data.store.rules.gate_open(chat_id, person.user_id, version, None, restricted)
        due = recent.joined_at + WELCOME_WINDOW
        await data.scheduler.schedule(
            app, WELCOME_BATCH, due, chat_id=chat_id, dedupe_key=f"{WELCOME_BATCH}:{chat_id}:{due}"
        )
        await _schedule_reminder(app, chat_id, person.user_id)
        return
    text, markup = await _welcome(app, group, person)
    # The gate and its welcome are saved together; the welcome leaves through the outbox
    # (retried while Telegram is slow) and the gate learns its message once it arrived. If it
    # can never arrive, the gate is lifted (``welcome_given_up``): nobody is held back
    # without a way to agree.
    async with outbox.together(app):
        await data.store.rules.gate_open(chat_id, person.user_id, version, None, restricted)
        await _schedule_reminder(app, chat_id, person.user_id)
        await outbox.enqueue(
            app, chat_id, text, kind=WELCOME, reply_markup=markup, ref=person.user_id
        )


async def welcome_delivered(app: App, message: Outgoing, telegram_id: int) -> None:
    """The welcome with its agree button arrived: the gate knows which message it is."""
    if message.ref is not None:
        await app.bot_data.store.rules.gate_message(message.chat_id, message.ref, telegram_id)


async def welcome_given_up(app: App, message: Outgoing, reason: str) -> None:
    """The welcome can never arrive: never leave someone held back without a way to agree."""
    user_id = message.ref
    if user_id is None:
        return
    log.warning("welcome in %s failed (%s)", message.chat_id, reason)
    data = app.bot_data
    group = await data.store.groups.get(message.chat_id)
    if group is None or await data.store.rules.gate_get(message.chat_id, user_id) is None:
        return
    # Privately, with their own "I agree" (if they started the bot); else the gate is lifted.
    if not await _no_welcome(app, group, Newcomer(user_id, "", False, False)):
        # Not even the gate could be lifted now: the gate's reminder comes back to them.
        log.warning("welcome in %s: the gate could not be lifted either", message.chat_id)


async def _greet(app: App, group: Group, person: Newcomer) -> None:
    """The gate is off: a short greeting, one per window however many join in it. With the
    group's send budget spent, the greeting waits for the window's combined one (the join's
    handling never waits for the budget)."""
    data = app.bot_data
    now = data.clock.epoch()
    recent = group.greeted_at is not None and now - group.greeted_at < WELCOME_WINDOW
    if recent or not room_now(app.bot.rate_limiter, group.chat_id, "bulk"):
        await data.store.rules.greet_wait(group.chat_id, person.user_id)
        due = (group.greeted_at if recent and group.greeted_at else now) + WELCOME_WINDOW
        await data.scheduler.schedule(
            app,
            GREET_BATCH,
            due,
            chat_id=group.chat_id,
            dedupe_key=f"{GREET_BATCH}:{group.chat_id}:{due}",
        )
        return
    greeting = data.texts.t(group.language, "rules.welcome_open", name=person.first_name)
    with send_priority("bulk"):  # a greeting waits behind what matters more
        await app.bot.send_message(group.chat_id, greeting)
    await data.store.groups.mark_greeted(group.chat_id)


async def greet_batch(app: App, chat_id: int) -> None:
    """A window of joins (gate off) ended: one greeting naming everyone still here."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    waiting = await data.store.rules.greet_take(chat_id)
    if group is None or not group.active or not waiting:
        return
    names = []
    for user_id in waiting:
        try:
            member = await app.bot.get_chat_member(chat_id, user_id)
        except (BadRequest, Forbidden):
            continue
        if is_present(member):
            names.append(member.user.first_name)
    if not names:
        return
    lang = group.language
    text = data.texts.t(lang, "rules.welcome_open_many", names=format_list(names, locale=lang))
    try:
        with send_priority("bulk"):
            await app.bot.send_message(chat_id, text)
    except TelegramError as error:
        log.info("combined greeting in %s failed (%s)", chat_id, type(error).__name__)
        return
    await data.store.groups.mark_greeted(chat_id)


async def _schedule_reminder(app: App, chat_id: int, user_id: int) -> None:
    data = app.bot_data
    await data.scheduler.schedule(
        app,
        GATE_REMINDER,
        data.clock.epoch() + GATE_REMINDER_AFTER,
        chat_id=chat_id,
        user_id=user_id,
        dedupe_key=_gate_key(chat_id, user_id),
    )


async def _rules_privately(app: App, group: Group, user_id: int, key: str, kind: str) -> bool:
    """The group's rules in the newcomer's private chat, with their own "I agree"; False if
    the bot cannot write to them there."""
    data = app.bot_data
    person = await data.store.users.get(user_id)
    if person is None or not person.reachable:
        return False
    lang = person.language or group.language
    rules = await rendered(data, group.chat_id, lang)
    text = data.texts.t(lang, key, group=group.title, rules=rules)
    markup = agree_keyboard(app, lang, group.chat_id, user_id)
    sent = await outbox.send_critical(app, user_id, text, kind=kind, reply_markup=markup)
    return sent != outbox.FAILED


async def _no_welcome(app: App, group: Group, person: Newcomer) -> bool:
    """The welcome cannot be posted in the group: privately, with their own "I agree", if
    they started the bot; else the gate is lifted and forgotten (nobody is held back without a
    button, nor reminded to agree while already free to post). False if even lifting it
    failed: the caller tries again later."""
    data = app.bot_data
    chat_id, user_id = group.chat_id, person.user_id
    if await _rules_privately(app, group, user_id, "rules.welcome_private", "welcome_private"):
        return True
    entry = await data.store.rules.gate_get(chat_id, user_id)
    if entry is not None and entry.restricted:
        muted_until = await holds.muted_until(data, chat_id, user_id)
        if not await _release(app, chat_id, user_id, muted_until):
            return False
    await data.store.rules.gate_close(chat_id, user_id)
    await data.scheduler.cancel(app, GATE_REMINDER, chat_id=chat_id, user_id=user_id)
    return True


async def waiting(data: BotData, chat_id: int, user_id: int) -> bool:
    """Is the person a newcomer still to agree to this group's rules?"""
    return await data.store.rules.gate_get(chat_id, user_id) is not None


async def _drop_welcome(app: App, chat_id: int, message_id: int) -> None:
    """A welcome nobody waits on any more goes (a shared one stays while others wait)."""
    if await app.bot_data.store.rules.gate_sharing(chat_id, message_id) <= 1:
        await delete_quietly(app, chat_id, message_id)


async def welcome_batch(app: App, chat_id: int) -> None:
    """The window's end: one welcome for everyone who joined in it and is still waiting."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    waiting = await data.store.rules.gate_unwelcomed(chat_id)
    if group is None or not group.active or not waiting:
        return
    names: list[str] = []
    present: list[GateEntry] = []
    for entry in waiting:
        try:
            member = await app.bot.get_chat_member(chat_id, entry.user_id)
        except (BadRequest, Forbidden):
            member = None
        if member is None or not is_present(member):
            await data.store.rules.gate_close(chat_id, entry.user_id)
            continue
        present.append(entry)
        names.append(mention(entry.user_id, member.user.first_name))
    if not present:
        return
    lang = group.language
    texts = data.texts
    full = "rules.welcome_full_pinned" if group.rules_pinned_id else "rules.welcome_full_button"
    text = texts.t(
        lang,
        "rules.welcome_many",
        names=Safe(format_list(names, locale=lang)),
        brief=await in_brief(data, chat_id, lang),
        full=texts.t(lang, full),
    )
    agree = button(texts.raw(lang, "rules.button_agree"), FEATURE, AGREE, chat_id, ANYONE_WAITING)
    markup = keyboard([read_button(app, lang, chat_id)], [agree])
    try:
        with send_priority("bulk"):
            sent = await app.bot.send_message(chat_id, text, reply_markup=markup)
    except TelegramError as error:
        log.warning("combined welcome in %s failed (%s)", chat_id, type(error).__name__)
        for entry in present:  # never leave anyone held back without a way to agree
            await data.store.rules.gate_close(chat_id, entry.user_id)
            if entry.restricted:
                await _release(app, chat_id, entry.user_id)
        return
    await data.store.rules.gate_welcomed(
        chat_id, [entry.user_id for entry in present], sent.message_id
    )


async def _welcome_back(app: App, group: Group, person: Newcomer, version: int) -> None:
    """Back after the rules changed: no hold, a gentle ask to agree to the new version."""
    data = app.bot_data
    lang = group.language
    text = data.texts.t(
        lang,
        "rules.welcome_back_changed",
        name=mention(person.user_id, person.first_name),
        version=version,
    )
    agree = button(
        data.texts.raw(lang, "rules.button_agree"), FEATURE, REACCEPT, group.chat_id, version
    )
    markup = keyboard([read_button(app, lang, group.chat_id)], [agree])
    # Through the outbox (bulk lane): retried if Telegram fails, and with the group's send
    # budget spent it waits for the worker instead of holding the join's handling.
    await outbox.send_critical(app, group.chat_id, text, kind=REJOIN_WELCOME, reply_markup=markup)


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
        await _drop_welcome(app, chat_id, entry.message_id)
    await outbox.withdraw(app, chat_id, WELCOME, user_id)  # one still on its way, unsent
    await data.store.rules.gate_close(chat_id, user_id)
    await data.scheduler.cancel(app, GATE_REMINDER, chat_id=chat_id, user_id=user_id)


async def agree(app: App, chat_id: int, newcomer: int, presser: int) -> GateEntry:
    """The newcomer's own "I agree": recorded, the gate lifted (a mute given meanwhile stays).

    Someone else's tap is refused (``NotForYouError``); a second tap is stale.
    """
    data = app.bot_data
    shared = newcomer == ANYONE_WAITING  # the combined welcome: each waiting newcomer's own tap
    if shared:
        newcomer = presser
    if presser != newcomer:
        raise NotForYouError("rules.not_your_button")
    entry = await data.store.rules.gate_get(chat_id, newcomer)
    if entry is None:
        raise NotForYouError("rules.not_your_button") if shared else StaleButtonError
    # A newcomer an administrator muted meanwhile stays muted: agreeing lifts only the gate,
    # and the mute's own end date takes over. The gate is lifted before the entry closes: if
    # Telegram does not take it, their button still works for another tap.
    if entry.restricted and not await _release(
        app, chat_id, newcomer, await holds.muted_until(data, chat_id, newcomer)
    ):
        raise RefusedError("rules.agree_again")
    # One commit: the entry closed and the agreement saved. Killed before it, the tap sent
    # again finds the entry and is carried out (lifting the gate again changes nothing);
    # killed after it, the tap is recorded with it and not carried out twice.
    async with data.store.db.transaction():
        if not await data.store.rules.gate_close(chat_id, newcomer):
            raise StaleButtonError
        # Agreed (perhaps privately, through /start rules_…): a welcome still on its way to
        # the group is not needed any more.
        await outbox.withdraw(app, chat_id, WELCOME, newcomer)
        await data.store.rules.accept(chat_id, newcomer, entry.version)
        await data.store.audit.record(
            "rules_agreed", chat_id=chat_id, actor_id=newcomer, detail=f"v{entry.version}"
        )
        await data.scheduler.cancel(app, GATE_REMINDER, chat_id=chat_id, user_id=newcomer)
    return entry


async def tidy_welcome(app: App, entry: GateEntry, first_name: str, lang: str) -> None:
    """After agreeing: the welcome becomes one line of thanks with a button into the private
    chat, saying in one line what is there (or, if it cannot be edited, it goes)."""
    if entry.message_id is None:
        return
    data = app.bot_data
    waiting = await data.store.rules.gate_sharing(entry.chat_id, entry.message_id)
    if waiting:
        return  # a combined welcome: it stays while others still wait on it
    group = await data.store.groups.get(entry.chat_id)
    glang = group.language if group else lang
    label = data.texts.raw(glang, "rules.button_private")
    markup = keyboard([link_button(label, start_link(app.bot.username, "hello"))])
    text = data.texts.t(glang, "rules.welcome_done", name=first_name)
    try:
        await edit_quietly(app, entry.chat_id, entry.message_id, text, reply_markup=markup)
    except TelegramError:
        await delete_quietly(app, entry.chat_id, entry.message_id)


async def remind_newcomer(app: App, chat_id: int, user_id: int) -> None:
    """Remind a newcomer once, kindly; never remove anyone for not agreeing."""
    data = app.bot_data
    entry = await data.store.rules.gate_get(chat_id, user_id)
    group = await data.store.groups.get(chat_id)
    if entry is None or entry.reminded_at is not None or group is None or not group.active:
        return
    if await _rules_privately(app, group, user_id, "rules.gate_reminder_private", "reminder"):
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
    _, sent_id = await outbox.send_tracked(
        app,
        chat_id,
        text,
        kind="reminder",
        reply_markup=agree_keyboard(app, lang, chat_id, user_id),
    )
    if entry.message_id is not None and sent_id is not None:
        await _drop_welcome(app, chat_id, entry.message_id)
    await data.store.rules.gate_reminded(chat_id, user_id, sent_id)
