"""Kind words by consent, the Telegram side: ``/kindwords`` (an administrator's reply in the
group, or the member asking privately), the member's buttons, and a sender's private message.

The administrator's command is removed at once: the group sees nothing until the member's yes.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.adapters.callbacks import ButtonHandler, Callback, callback_handler, encode
from bot.adapters.guards import group_admin, is_group
from bot.adapters.keyboards import plain_keyboard
from bot.adapters.menus import MenuEntry
from bot.adapters.replies import delete_quietly, edit_quietly, reply
from bot.context import Context
from bot.delivery.outbox import send_critical
from bot.errors import StaleButtonError
from bot.handlers.feature import Feature
from bot.ids import parse_id
from bot.kindwords import FEATURE, service
from bot.kindwords import invitation as rules
from bot.people import language_of
from bot.records.awaiting import Awaiting
from bot.records.kindwords import Invitation
from bot.talk.members import groups_of, title

WORDS = f"{FEATURE}.words"  # the member writes the words the group would see
MESSAGE = f"{FEATURE}.message"  # a sender writes a kind message
WAIT = 3600


async def _tell(context: Context, user_id: int, key: str, **values: object) -> None:
    data = context.bot_data
    lang = await language_of(data, user_id)
    await send_critical(
        context.app, user_id, data.texts.t(lang, key, **values), kind=f"{FEATURE}.notice"
    )


async def kindwords_command(update: Update, context: Context) -> None:
    if is_group(update.effective_chat):
        await _in_group(update, context)
    else:
        await _in_private(update, context)


async def _in_group(update: Update, context: Context) -> None:
    """An administrator replies to the member's message: the member is asked privately."""
    message = update.effective_message
    if message is None:
        return
    actor = await group_admin(update, context)
    if actor is None:
        return
    await delete_quietly(context.app, message.chat_id, message.message_id)
    target = message.reply_to_message.from_user if message.reply_to_message else None
    if target is None or target.is_bot:
        if actor.user_id is not None:
            await _tell(context, actor.user_id, "kindwords.how")
        return
    asked = await service.ask(
        context.app, message.chat_id, target.id, actor.audit_id, target.first_name
    )
    if actor.user_id is not None:
        key = "kindwords.asked_member" if asked is not None else "kindwords.already"
        await _tell(context, actor.user_id, key)


async def _in_private(update: Update, context: Context) -> None:
    """The member asks for kind words themselves: in which group?"""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    chats = await groups_of(context.app, user.id)
    if not chats:
        await reply(update, context, "kindwords.no_groups")
        return
    rows = [
        [
            (
                await title(data, chat_id, fallback=str(chat_id)),
                encode(FEATURE, service.SELF, chat_id),
            )
        ]
        for chat_id in chats[:5]
    ]
    await reply(update, context, "kindwords.pick_group", reply_markup=plain_keyboard(rows))


async def _own(update: Update, context: Context, pressed: Callback, state: str) -> Invitation:
    """The member's own invitation, in the state the button belongs to; else a stale button."""
    query = update.callback_query
    invitation = await context.bot_data.store.kindwords.get(pressed.count(1).number(0))
    if (
        query is None
        or invitation is None
        or invitation.member_id != query.from_user.id
        or invitation.state != state
    ):
        raise StaleButtonError
    return invitation


async def _done(update: Update, context: Context, key: str) -> None:
    """Answer the press and replace the pressed message (its buttons go)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    await query.answer()
    data = context.bot_data
    lang = await language_of(data, query.from_user.id, query.from_user.language_code)
    await edit_quietly(
        context.app, query.message.chat.id, query.message.message_id, data.texts.t(lang, key)
    )


async def yes_pressed(update: Update, context: Context, pressed: Callback) -> None:
    invitation = await _own(update, context, pressed, rules.ASKED)
    if not await service.open_invitation(context.app, invitation):
        raise StaleButtonError
    await _done(update, context, "kindwords.posted")


async def edit_pressed(update: Update, context: Context, pressed: Callback) -> None:
    invitation = await _own(update, context, pressed, rules.ASKED)
    await context.bot_data.store.awaiting.expect(
        invitation.member_id, WORDS, WAIT, {"invitation": invitation.id}
    )
    await _done(update, context, "kindwords.ask_words")


async def no_pressed(update: Update, context: Context, pressed: Callback) -> None:
    invitation = await _own(update, context, pressed, rules.ASKED)
    if not await service.decline(context.app, invitation):
        raise StaleButtonError
    await _done(update, context, "kindwords.nothing_posted")


async def stop_pressed(update: Update, context: Context, pressed: Callback) -> None:
    invitation = await _own(update, context, pressed, rules.OPEN)
    if not await service.end(context.app, invitation, rules.STOP):
        raise StaleButtonError
    query = update.callback_query
    if query is not None:
        await query.answer()


async def self_pressed(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    chat_id = pressed.count(1).number(0)
    user = query.from_user
    if chat_id not in await groups_of(context.app, user.id):
        raise StaleButtonError
    asked = await service.ask(context.app, chat_id, user.id, None, user.first_name)
    await _done(update, context, "kindwords.see_words" if asked else "kindwords.already_yours")


async def sign_pressed(update: Update, context: Context, pressed: Callback) -> None:
    """A sender chose whether the member sees their name: now they write."""
    query = update.callback_query
    if query is None:
        return
    pressed.count(2)
    invitation_id, sign = pressed.number(0), pressed.text(1)
    if sign not in (service.NAMED, service.ANONYMOUS):
        raise StaleButtonError
    payload = {"invitation": invitation_id, "named": sign == service.NAMED}
    await context.bot_data.store.awaiting.expect(query.from_user.id, MESSAGE, WAIT, payload)
    await _done(update, context, f"kindwords.write_{sign}")


async def sender_link(update: Update, context: Context, payload: str) -> None:
    """``/start kw-<id>``: a group member wants to send kind words."""
    user = update.effective_user
    if user is None:
        return
    invitation_id = parse_id(payload.removeprefix(service.PAYLOAD))
    data = context.bot_data
    invitation = await data.store.kindwords.get(invitation_id) if invitation_id else None
    if invitation is None or not rules.shows_in_group(invitation.state):
        await reply(update, context, "kindwords.closed")
        return
    if invitation.member_id == user.id:
        await reply(update, context, "kindwords.own")
        return
    if not await service.still_there(context.app, invitation):
        await reply(update, context, "kindwords.closed")
        return
    excluded = await data.store.moderation.excluded_from(user.id)
    if invitation.chat_id in excluded or invitation.chat_id not in await groups_of(
        context.app, user.id
    ):
        await reply(update, context, "kindwords.not_in_group")
        return
    lang = await language_of(data, user.id, user.language_code)
    t = data.texts.plain
    rows = [
        [(t(lang, f"kindwords.sign_{sign}"), encode(FEATURE, service.SIGN, invitation.id, sign))]
        for sign in (service.NAMED, service.ANONYMOUS)
    ]
    await reply(update, context, "kindwords.write_intro", reply_markup=plain_keyboard(rows))


async def words_received(update: Update, context: Context, waiting: Awaiting) -> bool:
    """The member's own words for the group post: shown back to them before anything is
    posted."""
    message = update.effective_message
    if message is None or not message.text:
        await reply(update, context, "kindwords.text_only")
        return True
    store = context.bot_data.store
    invitation = await store.kindwords.get(int(waiting.payload.get("invitation", 0)))
    if invitation is None or invitation.member_id != waiting.user_id:
        await store.awaiting.clear(waiting.user_id, WORDS)
        await reply(update, context, "kindwords.closed")
        return True
    if not await service.change_words(context.app, invitation, message.text):
        await reply(update, context, "kindwords.words_refused", most=rules.MAX_WORDS)
        return True
    await store.awaiting.clear(waiting.user_id, WORDS)
    return True


async def message_received(update: Update, context: Context, waiting: Awaiting) -> bool:
    """A sender's kind message: relayed to the member privately, never posted."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or not message.text:
        await reply(update, context, "kindwords.text_only")
        return True
    store = context.bot_data.store
    await store.awaiting.clear(waiting.user_id, MESSAGE)
    name = user.first_name if waiting.payload.get("named") else None
    outcome = await service.relay(
        context.app, int(waiting.payload.get("invitation", 0)), user.id, name, message.text
    )
    await reply(update, context, f"kindwords.{outcome}", most=rules.SENDS_PER_DAY)
    return True


async def mute_pressed(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    sent_id = pressed.count(1).number(0)
    if not await service.mute(context.app, query.from_user.id, sent_id):
        raise StaleButtonError
    await _done(update, context, "kindwords.muted")


async def report_pressed(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    sent_id = pressed.count(1).number(0)
    shown = getattr(query.message, "text", None) or ""
    if not await service.report(context.app, query.from_user.id, sent_id, shown):
        raise StaleButtonError
    await _done(update, context, "kindwords.reported")


BUTTONS: dict[str, ButtonHandler] = {
    service.MUTE: mute_pressed,
    service.REPORT: report_pressed,
    service.YES: yes_pressed,
    service.EDIT: edit_pressed,
    service.NO: no_pressed,
    service.STOP: stop_pressed,
    service.SELF: self_pressed,
    service.SIGN: sign_pressed,
}


def feature() -> Feature:
    return Feature(
        name=FEATURE,
        menu=(MenuEntry("kindwords"),),  # in /help (the menus stay short)
        commands=[
            CommandHandler("kindwords", kindwords_command),
            callback_handler(FEATURE, BUTTONS),
        ],
        jobs={service.END: service.end_job},
        delivered={service.POST: service.posted},
        start_payloads={service.PAYLOAD: sender_link},
        awaiting={WORDS: words_received, MESSAGE: message_received},
        departures=(service.departed,),
    )
