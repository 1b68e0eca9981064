"""Check-ins people ask for, the Telegram side: /checkin, plain words ("check in on me in 3
days"), the one-tap answers to a check-in, and noticing (for them only) that they wrote."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.adapters.callbacks import ButtonHandler, Callback, callback_handler
from bot.adapters.menus import MenuEntry
from bot.adapters.replies import edit_quietly, reply
from bot.context import Context
from bot.errors import StaleButtonError
from bot.handlers.buddies import buddy_command, how_pressed, no_pressed, yes_pressed
from bot.handlers.circle.escalation import support_now_command
from bot.handlers.feature import Feature
from bot.handlers.talk.requests import talk_command
from bot.peers import FEATURE, boundaries, buddies, cadence, callbacks, checkins
from bot.people import language_of, zone_of
from bot.records.peers import ACTIVE, ADMIN, AFTER, BOT, BUDDY, QUIET, CheckIn
from bot.talk.members import groups_of, title

PRIVATE = filters.ChatType.PRIVATE


async def _describe(context: Context, lang: str, check_in: CheckIn) -> str:
    data = context.bot_data
    local = datetime.fromtimestamp(check_in.next_at, await zone_of(data, check_in.chat_id))
    if check_in.who == ADMIN and check_in.chat_id is not None:
        who = data.texts.t(lang, "peers.by_admin", group=await title(data, check_in.chat_id))
    elif check_in.who == BUDDY:
        who = data.texts.t(lang, "peers.by_buddy")
    else:
        who = data.texts.t(lang, "peers.by_bot")
    return data.texts.t(
        lang,
        f"peers.line_{check_in.kind}",
        days=check_in.days,
        date=local.strftime("%d.%m.%Y"),
        who=who,
    )


async def checkin_command(update: Update, context: Context) -> None:
    """``/checkin``: what the person has asked for, and the choices (all optional)."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    current = await data.store.peers.check_ins_of(user.id)
    lines = [f"{i}. {await _describe(context, lang, c)}" for i, c in enumerate(current, 1)]
    key = "peers.menu_with" if lines else "peers.menu"
    await reply(
        update,
        context,
        key,
        current="\n".join(lines),
        reply_markup=callbacks.when_choices(data, lang, current),
    )


async def _ask_who(update: Update, context: Context, kind: str, days: int) -> None:
    user = update.effective_user
    if user is None:
        return
    app = context.app
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    groups = [(g, await title(data, g, fallback=str(g))) for g in await groups_of(app, user.id)]
    pair = await data.store.peers.current_pair(user.id)
    has_buddy = pair is not None and pair.status == ACTIVE
    markup = callbacks.who_choices(data, lang, kind, days, groups[:5], buddy=has_buddy)
    await reply(update, context, "peers.ask_who", reply_markup=markup)


async def words_catcher(update: Update, context: Context) -> bool:
    """Plain words in private: "check in on me in 3 days", "if I'm quiet for 2 weeks"."""
    message = update.effective_message
    if message is None or message.text is None:
        return False
    asked = cadence.from_words(message.text)
    if asked is None:
        return False
    await _ask_who(update, context, *asked)
    return True


async def when_chosen(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    kind, days = pressed.count(2).text(0), pressed.number(1)
    allowed = cadence.AFTER_DAYS if kind == AFTER else cadence.QUIET_DAYS if kind == QUIET else ()
    if days not in allowed:
        raise StaleButtonError
    await query.answer()
    await _ask_who(update, context, kind, days)


async def who_chosen(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(3)
    kind, days, target = pressed.text(0), pressed.number(1), pressed.text(2)
    if kind not in (AFTER, QUIET) or not 1 <= days <= cadence.MAX_DAYS:
        raise StaleButtonError
    app = context.app
    user = query.from_user
    if target == callbacks.BOT:
        who, chat_id = BOT, None
    elif target == callbacks.BUDDY:
        pair = await app.bot_data.store.peers.current_pair(user.id)
        if pair is None or pair.status != ACTIVE:
            raise StaleButtonError
        who, chat_id = BUDDY, None
    else:
        chat_id = pressed.number(2)
        if chat_id not in await groups_of(app, user.id):
            raise StaleButtonError
        who = ADMIN
    check_in = await checkins.ask_for(app, user.id, kind, days, who, chat_id)
    await query.answer()
    data = app.bot_data
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "peers.saved", what=await _describe(context, lang, check_in))
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def cancel_pressed(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    check_in_id = pressed.count(1).number(0)
    user = query.from_user
    data = context.bot_data
    if not await checkins.stop(data, user.id, check_in_id):
        raise StaleButtonError
    await query.answer()
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, "peers.cancelled")
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


async def answered(update: Update, context: Context, pressed: Callback) -> None:
    """The person's one-tap answer to a check-in."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(2)
    pressed.number(0)  # the check-in it answered: any of the person's own is fine
    answer = pressed.text(1)
    if answer not in checkins.ANSWERS:
        raise StaleButtonError
    user = query.from_user
    data = context.bot_data
    await query.answer()
    lang = await language_of(data, user.id, user.language_code)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if answer == checkins.STOP:
        await checkins.stop(data, user.id)
        await edit_quietly(context.app, chat_id, message_id, data.texts.t(lang, "peers.stopped"))
        return
    await edit_quietly(
        context.app, chat_id, message_id, data.texts.t(lang, f"peers.after_{answer}")
    )
    if answer == checkins.TALK:
        await talk_command(update, context)
    elif answer == checkins.HELP:
        await support_now_command(update, context)


async def listener_answered(update: Update, context: Context, pressed: Callback) -> None:
    """A listener's answer to their own monthly check: fine, a pause, or stopping."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    answer = pressed.count(1).text(0)
    if answer not in (boundaries.FINE, boundaries.PAUSE, boundaries.STOP):
        raise StaleButtonError
    user = query.from_user
    data = context.bot_data
    if answer == boundaries.PAUSE:
        await data.store.talk.set_paused(user.id, True)
    elif answer == boundaries.STOP:
        await data.store.talk.stop_listening(user.id)
    await query.answer()
    lang = await language_of(data, user.id, user.language_code)
    text = data.texts.t(lang, f"peers.listener_after_{answer}")
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)


BUTTONS: dict[str, ButtonHandler] = {
    callbacks.WHEN: when_chosen,
    callbacks.WHO: who_chosen,
    callbacks.CANCEL: cancel_pressed,
    checkins.ANSWER: answered,
    boundaries.ANSWER: listener_answered,
    buddies.YES: yes_pressed,
    buddies.NO: no_pressed,
    buddies.HOW: how_pressed,
}


def feature() -> Feature:
    return Feature(
        name="peers",
        menu=(MenuEntry("checkin"),),  # in /help (the private menu stays short)
        commands=[
            CommandHandler("checkin", checkin_command, filters=PRIVATE),
            CommandHandler("buddy", buddy_command, filters=PRIVATE),
            callback_handler(FEATURE, BUTTONS),
        ],
        jobs={checkins.DUE: checkins.due_job, boundaries.LISTENER_CHECK: boundaries.check_job},
        private_catchers=[words_catcher],
    )
