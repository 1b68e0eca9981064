"""/talk: which group's people, who to talk with, the optional topic line; Accept and Not now.

``/talk @name`` and ``/talk peer [word]`` go to ``bot.handlers.talk.peers``.

The request lifecycle itself lives in ``bot.talk.requests``.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import button, keyboard, point_to_private
from bot.adapters.replies import answer_button, edit_quietly, reply, strip_buttons
from bot.context import Context
from bot.delivery import outbox
from bot.errors import RefusedError, StaleButtonError
from bot.handlers.talk.peers import talk_to_peer
from bot.people import language_of
from bot.records.awaiting import Awaiting
from bot.talk import FEATURE, awaiting, requests
from bot.talk.callbacks import GROUP, KIND, KINDS, SKIP_TOPIC, STOP_ASKING
from bot.talk.members import groups_of, title
from bot.talk.routing import ADMIN, LISTENER
from bot.talk.wording import helper_role


async def talk_command(update: Update, context: Context) -> None:
    """/talk in a private chat; ``/talk @name`` and ``/talk peer [word]`` ask a peer."""
    user = update.effective_user
    if context.args and update.callback_query is None and user is not None:
        await awaiting.forget(context.bot_data, user.id)
        await talk_to_peer(update, context, list(context.args))
        return
    await choose_who(update, context)


async def choose_who(update: Update, context: Context) -> None:
    """Which group's people (if several), then who to talk to."""
    user = update.effective_user
    if user is None:
        return
    app = context.app
    data = app.bot_data
    await awaiting.forget(data, user.id)
    lang = await language_of(data, user.id, user.language_code)
    await requests.refuse_if_active(data, user.id)
    groups = await groups_of(app, user.id)
    if not groups:
        raise RefusedError("talk.no_groups")
    if len(groups) == 1:
        await _ask_kind(update, context, lang, groups[0], edit=False)
        return
    rows = [
        [button(await title(data, chat_id, fallback=str(chat_id)), FEATURE, GROUP, chat_id)]
        for chat_id in groups
    ]
    await reply(update, context, "talk.choose_group", reply_markup=keyboard(*rows))


async def talk_in_group(update: Update, context: Context) -> None:
    """/talk in a group: the conversation belongs in the private chat, never in the group."""
    await point_to_private(update, context, "talk.in_group", "talk")


async def talk_link(update: Update, context: Context, _payload: str) -> None:
    """``/start talk`` from the group's button: straight to /talk."""
    await choose_who(update, context)


async def _ask_kind(
    update: Update, context: Context, lang: str, chat_id: int, *, edit: bool
) -> None:
    data = context.bot_data
    t = data.texts.t
    text = t(lang, "talk.choose_kind", group=await title(data, chat_id))
    user = update.effective_user
    # A peer listener is offered only when one is listening in the group now.
    listener = user is not None and await requests.listener_available(data, chat_id, user.id)
    markup = keyboard(
        [button(t(lang, "talk.kind_admin"), FEATURE, KIND, chat_id, ADMIN)],
        [button(t(lang, "talk.kind_listener"), FEATURE, KIND, chat_id, LISTENER)]
        if listener
        else [],
    )
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        message = query.message
        await edit_quietly(
            context.app, message.chat.id, message.message_id, text, reply_markup=markup
        )
    elif update.effective_chat is not None:
        await outbox.send_critical(
            context.app, update.effective_chat.id, text, kind="talk", reply_markup=markup
        )


async def choose_group(update: Update, context: Context, pressed: Callback) -> None:
    query = update.callback_query
    if query is None:
        return
    chat_id = pressed.count(1).number(0)
    user = query.from_user
    await requests.may_ask(context.app, user.id, chat_id)
    await answer_button(query)
    lang = await language_of(context.bot_data, user.id, user.language_code)
    await _ask_kind(update, context, lang, chat_id, edit=True)


def _group_and_kind(pressed: Callback) -> tuple[int, str]:
    chat_id = pressed.count(2).number(0)
    kind = pressed.text(1)
    if kind not in KINDS:
        raise StaleButtonError
    return chat_id, kind


async def choose_kind(update: Update, context: Context, pressed: Callback) -> None:
    await _choose_kind(update, context, pressed, skip=False, fresh=False)


async def ask_again(update: Update, context: Context, pressed: Callback) -> None:
    """From the message with the support lines: keep them in view, ask below."""
    await _choose_kind(update, context, pressed, skip=False, fresh=True)


async def skip_topic(update: Update, context: Context, pressed: Callback) -> None:
    await _choose_kind(update, context, pressed, skip=True, fresh=False)


async def _choose_kind(
    update: Update, context: Context, pressed: Callback, *, skip: bool, fresh: bool
) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    chat_id, kind = _group_and_kind(pressed)
    app = context.app
    data = app.bot_data
    user = query.from_user
    await requests.may_ask(app, user.id, chat_id)
    await answer_button(query)
    lang = await language_of(data, user.id, user.language_code)
    here = query.message.chat.id, query.message.message_id
    if skip:
        await awaiting.forget(data, user.id)
        await edit_quietly(context.app, *here, data.texts.t(lang, "talk.topic_skipped"))
        await requests.submit(app, user.id, lang, chat_id, kind, None)
        return
    text = data.texts.t(lang, "talk.ask_topic", role=helper_role(data, lang, kind))
    markup = keyboard(
        [button(data.texts.t(lang, "talk.skip_topic"), FEATURE, SKIP_TOPIC, chat_id, kind)],
        [button(data.texts.t(lang, "talk.stop_asking"), FEATURE, STOP_ASKING, chat_id)],
    )
    prompt_id = query.message.message_id
    if fresh:
        await strip_buttons(query)
        _, sent_id = await outbox.send_tracked(
            context.app, user.id, text, kind="talk", reply_markup=markup
        )
        prompt_id = sent_id or prompt_id
    else:
        await edit_quietly(context.app, *here, text, reply_markup=markup)
    await requests.await_topic(data, user.id, chat_id, kind, prompt_id)


async def stop_asking(update: Update, context: Context, pressed: Callback) -> None:
    """Cancel under the topic prompt: nothing is asked of anyone, nothing is waited for."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    pressed.count(1).number(0)
    data = context.bot_data
    await awaiting.forget(data, query.from_user.id)
    await query.answer()
    lang = await language_of(data, query.from_user.id, query.from_user.language_code)
    await edit_quietly(
        context.app,
        query.message.chat.id,
        query.message.message_id,
        data.texts.t(lang, "talk.asking_stopped"),
    )


async def topic_received(update: Update, context: Context, waiting: Awaiting) -> None:
    """The member wrote the optional line about the topic (``talk.topic`` was awaited)."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    app = context.app
    topic = await requests.topic_given(app.bot_data, waiting, message.text)
    await requests.strip_skip(app, user.id, topic.prompt)
    lang = await language_of(app.bot_data, user.id, user.language_code)
    await requests.submit(app, user.id, lang, topic.chat_id, topic.kind, topic.line)


def _pressed(update: Update) -> requests.Pressed | None:
    query = update.callback_query
    if query is None or query.message is None:
        return None
    chat = query.message.chat
    return requests.Pressed(chat.id, query.message.message_id, chat.type == ChatType.PRIVATE)


async def accept(update: Update, context: Context, pressed: Callback) -> None:
    query, where = update.callback_query, _pressed(update)
    if query is None or where is None:
        return
    conversation_id = pressed.count(1).number(0)
    presser = query.from_user
    lang = await language_of(context.bot_data, presser.id, presser.language_code)
    await requests.accept(context.app, conversation_id, presser.id, lang, where)
    await answer_button(query)


async def decline(update: Update, context: Context, pressed: Callback) -> None:
    await _decline(update, context, pressed, block=False)


async def decline_block(update: Update, context: Context, pressed: Callback) -> None:
    """A peer: not now, and no more requests from this person (who is never told)."""
    await _decline(update, context, pressed, block=True)


async def _decline(update: Update, context: Context, pressed: Callback, *, block: bool) -> None:
    query, where = update.callback_query, _pressed(update)
    if query is None or where is None:
        return
    conversation_id = pressed.count(1).number(0)
    helper = query.from_user
    lang = await language_of(context.bot_data, helper.id, helper.language_code)
    await requests.decline(context.app, conversation_id, helper.id, lang, where, block=block)
    await answer_button(query)
