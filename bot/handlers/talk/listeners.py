"""/listener on|off|pause|resume (without a word: where I listen, and how to change it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import button, keyboard, point_to_private
from bot.adapters.replies import answer_button, edit_quietly, reply
from bot.context import Context
from bot.peers import boundaries
from bot.people import language_for
from bot.talk import FEATURE, listeners
from bot.talk.callbacks import ALL_GROUPS, LISTEN_OFF, LISTEN_ON
from bot.talk.members import title, titles

Word = Callable[[Update, Context, int], Awaitable[None]]


async def listener_command(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    word = (context.args[0].lower() if context.args else "").strip()
    await WORDS.get(word, _status)(update, context, user.id)


async def _on(update: Update, context: Context, user_id: int) -> None:
    groups = await listeners.groups_to_join(context.app, user_id)
    if len(groups) > 1:
        await _choose(update, context, LISTEN_ON, groups)
        return
    done = await listeners.turn_on(context.bot_data, user_id, groups)
    await boundaries.plan_check(context.app, user_id)
    await reply(update, context, "talk.listener_on", groups=done)


async def _off(update: Update, context: Context, user_id: int) -> None:
    data = context.bot_data
    groups = await listeners.groups_listening(data, user_id)
    if len(groups) > 1:
        await _choose(update, context, LISTEN_OFF, groups)
        return
    await listeners.turn_off(data, user_id)
    await reply(update, context, "talk.listener_off", groups=await titles(data, groups))


async def _pause(update: Update, context: Context, user_id: int) -> None:
    await listeners.pause(context.bot_data, user_id, True)
    await reply(update, context, "talk.listener_paused")


async def _resume(update: Update, context: Context, user_id: int) -> None:
    await listeners.pause(context.bot_data, user_id, False)
    await reply(update, context, "talk.listener_resumed")


async def _status(update: Update, context: Context, user_id: int) -> None:
    data = context.bot_data
    listening = await listeners.listening(data, user_id)
    if not listening:
        await reply(update, context, "talk.listener_status_none")
        return
    paused = any(x.paused for x in listening)
    await reply(
        update,
        context,
        "talk.listener_status_paused" if paused else "talk.listener_status",
        groups=await titles(data, [x.chat_id for x in listening]),
    )


async def _hours(update: Update, context: Context, user_id: int) -> None:
    """``/listener hours 18-22`` (the group's time), ``/listener hours any`` to clear."""
    await set_hours(update, context, user_id, "peers.hours_usage")


async def set_hours(update: Update, context: Context, user_id: int, usage: str) -> None:
    """The hours a person is open to requests, as a listener and as a peer (one setting):
    ``hours 18-22`` in the group's time, ``hours any`` to clear; ``usage`` if unreadable."""
    raw = " ".join((context.args or [])[1:]).strip().lower()
    if raw in ("any", "off", "yoyote"):
        await context.bot_data.store.peers.set_hours(user_id, None)
        await reply(update, context, "peers.hours_any")
        return
    hours = boundaries.parse_hours(raw)
    if hours is None:
        await reply(update, context, usage)
        return
    await context.bot_data.store.peers.set_hours(user_id, hours)
    await reply(
        update,
        context,
        "peers.hours_saved",
        start=f"{hours[0]:02d}:00",
        end=f"{hours[1] % 24:02d}:00",
    )


WORDS: dict[str, Word] = {
    "on": _on,
    "off": _off,
    "pause": _pause,
    "resume": _resume,
    "hours": _hours,
    "saa": _hours,
}


async def listener_in_group(update: Update, context: Context) -> None:
    await point_to_private(update, context, "talk.listener_in_group")


async def _choose(update: Update, context: Context, verb: str, groups: list[int]) -> None:
    data = context.bot_data
    lang = await language_for(data, update)
    rows = [
        [button(await title(data, chat_id, fallback=str(chat_id)), FEATURE, verb, chat_id)]
        for chat_id in groups
    ]
    rows.append(
        [button(data.texts.t(lang, "talk.listener_all_groups"), FEATURE, verb, ALL_GROUPS)]
    )
    key = "talk.listener_choose_on" if verb == LISTEN_ON else "talk.listener_choose_off"
    await reply(update, context, key, reply_markup=keyboard(*rows))


async def listen_on(update: Update, context: Context, pressed: Callback) -> None:
    await _chosen(update, context, pressed, turning_on=True)


async def listen_off(update: Update, context: Context, pressed: Callback) -> None:
    await _chosen(update, context, pressed, turning_on=False)


async def _chosen(
    update: Update, context: Context, pressed: Callback, *, turning_on: bool
) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    app = context.app
    data = app.bot_data
    user_id = query.from_user.id
    groups = await listeners.chosen(app, user_id, pressed.count(1).text(0), turning_on=turning_on)
    await answer_button(query)
    lang = await language_for(data, update)
    if turning_on:
        await boundaries.plan_check(app, user_id)
        text = data.texts.t(
            lang, "talk.listener_on", groups=await listeners.turn_on(data, user_id, groups)
        )
    else:
        await listeners.turn_off(data, user_id, groups)
        text = data.texts.t(lang, "talk.listener_off", groups=await titles(data, groups))
    await edit_quietly(context.app, query.message.chat.id, query.message.message_id, text)
