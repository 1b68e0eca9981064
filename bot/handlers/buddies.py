"""/buddy on | off | find [word] | end | check yes|no | review, and the buttons on the way.

What each side sees when lives in ``bot.peers.buddies``.
"""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.replies import answer_button, edit_quietly, reply
from bot.context import Context
from bot.errors import AdminsOnlyError
from bot.handlers.talk.peers import wanted_word
from bot.peers import buddies
from bot.people import language_of
from bot.rules.editing import admin_groups

YES_NO = ("yes", "no", "ndiyo", "hapana")


async def buddy_command(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    app = context.app
    data = app.bot_data
    args = list(context.args or [])
    word = args[0].lower() if args else ""
    if word in ("on", "washa"):
        await data.store.peers.set_buddy(user.id, True)
        await reply(update, context, "peers.buddy_on")
    elif word in ("off", "zima"):
        await data.store.peers.set_buddy(user.id, False)
        await reply(update, context, "peers.buddy_off")
    elif word in ("find", "tafuta"):
        lang = await language_of(data, user.id, user.language_code)
        wants = wanted_word(context, lang, args[1:])
        if await buddies.find(app, user.id, wants) is None:
            await reply(update, context, "peers.buddy_nobody")
    elif word in ("check", "hali") and len(args) > 1 and args[1].lower() in YES_NO:
        allowed = args[1].lower() in ("yes", "ndiyo")
        await buddies.allow_check(app, user.id, allowed)
        await reply(
            update, context, "peers.buddy_check_yes" if allowed else "peers.buddy_check_no"
        )
    elif word in ("review", "kagua"):
        groups = await admin_groups(app, user.id)
        if not groups:
            raise AdminsOnlyError
        asked, skipped = await buddies.review(app, user.id, groups)
        await reply(update, context, "peers.buddy_reviewed", asked=asked, skipped=skipped)
    elif word in ("end", "maliza"):
        await buddies.end(app, user.id)
        await reply(update, context, "peers.buddy_ended_you")
    else:
        await reply(update, context, "peers.buddy_help")


async def yes_pressed(update: Update, context: Context, pressed: Callback) -> None:
    await _answered(update, context, pressed, yes=True)


async def no_pressed(update: Update, context: Context, pressed: Callback) -> None:
    await _answered(update, context, pressed, yes=False)


async def _answered(update: Update, context: Context, pressed: Callback, *, yes: bool) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    pair_id = pressed.count(1).number(0)
    user = query.from_user
    app = context.app
    if yes:
        both = await buddies.say_yes(app, pair_id, user.id)
        key = "peers.buddy_yes_done" if both else "peers.buddy_yes_waiting"
    else:
        await buddies.say_no(app, pair_id, user.id)
        key = "peers.buddy_no_done"
    await answer_button(query)
    lang = await language_of(app.bot_data, user.id, user.language_code)
    text = app.bot_data.texts.t(lang, key)
    await edit_quietly(app, query.message.chat.id, query.message.message_id, text)


async def how_pressed(update: Update, context: Context, pressed: Callback) -> None:
    """A buddy's answer to an administrator's check (both agreed to it)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(3)
    pair_id, admin_id, answer = pressed.number(0), pressed.number(1), pressed.text(2)
    user = query.from_user
    app = context.app
    await buddies.how_answered(app, pair_id, admin_id, user.id, answer)
    await answer_button(query)
    lang = await language_of(app.bot_data, user.id, user.language_code)
    text = app.bot_data.texts.t(lang, "peers.buddy_how_thanks")
    await edit_quietly(app, query.message.chat.id, query.message.message_id, text)
