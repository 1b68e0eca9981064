"""/talk: a member asks for a one-to-one conversation with an administrator or a peer listener.

The request goes privately to the group's administrators (and the admin team chat, if linked)
or to the group's available listeners, each copy with Accept and Decline. The first to accept
is connected; everyone else's copy says it was taken. If nobody accepts in time, the member is
told honestly that the team are volunteers, the request goes out once more, and the group's
crisis lines are shown. The relay itself lives in ``talk_relay``.
"""

from __future__ import annotations

import contextlib
import logging
from typing import cast

from telegram import ChatMemberAdministrator, ChatMemberOwner, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.menus import MenuEntry
from bot.adapters.replies import edit_quietly, send_private
from bot.context import App, Context
from bot.handlers import talk_feedback, talk_listeners, talk_relay
from bot.handlers.common import private_chat_button, reply, user_language
from bot.handlers.feature import Feature
from bot.handlers.talk_shared import (
    AWAITING,
    EXPIRE_JOB,
    IDLE_JOB,
    button,
    clear_waiting,
    groups_of,
    helper_role,
    keyboard,
    settle_offers,
    t,
)
from bot.people import language_of
from bot.records.scheduled import ScheduledAction
from bot.scheduler import ActionHandler
from bot.storage.talk import CANCELLED, EXPIRED, PENDING, Conversation
from bot.talk.policy import policy
from bot.talk.relay import topic_line
from bot.talk.routing import ADMIN, LISTENER, helpers_for, over_limit

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
KIND_CODES = {"a": ADMIN, "l": LISTENER}

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("talk", private=True, group=True),
    MenuEntry("end", private=True),
    MenuEntry("listener", private=True),
    MenuEntry("feedback", private=True, group=True),
)


# -- asking -------------------------------------------------------------------------------


async def talk_command(update: Update, context: Context) -> None:
    """/talk in a private chat: which group's people (if several), then who to talk to."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    await data.store.users.seen_private(user.id, user.language_code)
    clear_waiting(context)
    lang = await user_language(context, user)
    active = await data.store.talk.active_for(user.id)
    if active is not None:
        key = "talk.already_waiting" if active.status == PENDING else "talk.already_open"
        await reply(update, context, key)
        return
    groups = await groups_of(context, user.id)
    if not groups:
        await reply(update, context, "talk.no_groups")
        return
    if len(groups) == 1:
        await _ask_kind(update, context, lang, groups[0], edit=False)
        return
    rows = []
    for chat_id in groups:
        group = await data.store.groups.get(chat_id)
        title = group.title if group else str(chat_id)
        rows.append([button(title, f"talk:g:{chat_id}")])
    await reply(update, context, "talk.choose_group", reply_markup=keyboard(*rows))


async def talk_in_group(update: Update, context: Context) -> None:
    """/talk in a group: the conversation belongs in the private chat, never in the group."""
    lang = await user_language(context, update.effective_user)
    await reply(
        update, context, "talk.in_group", reply_markup=private_chat_button(context, lang, "talk")
    )


async def start_payload(update: Update, context: Context) -> None:
    """``/start talk`` or ``/start feedback`` from the group's button: go straight there."""
    message = update.effective_message
    if message is None or not message.text:
        return
    payload = message.text.split(maxsplit=1)[1].strip() if " " in message.text else ""
    if payload == "talk":
        await talk_command(update, context)
    else:
        await talk_feedback.feedback_command(update, context)
    raise ApplicationHandlerStop


async def _ask_kind(
    update: Update, context: Context, lang: str, chat_id: int, *, edit: bool
) -> None:
    data = context.bot_data
    group = await data.store.groups.get(chat_id)
    title = group.title if group else ""
    text = t(data, lang, "talk.choose_kind", group=title)
    markup = keyboard(
        [button(t(data, lang, "talk.kind_admin"), f"talk:k:{chat_id}:a")],
        [button(t(data, lang, "talk.kind_listener"), f"talk:k:{chat_id}:l")],
    )
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        await edit_quietly(
            context.bot, query.message.chat.id, query.message.message_id, text, reply_markup=markup
        )
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def on_callback(update: Update, context: Context) -> None:
    """Every ``talk:`` button of the asking flow, accepting and declining."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    parts = query.data.split(":")
    verb = parts[1] if len(parts) > 1 else ""
    try:
        ids = [int(part) for part in parts[2:] if part.lstrip("-").isdigit()]
    except ValueError:
        ids = []
    if verb == "g" and len(ids) == 1:
        await _choose_group(update, context, ids[0])
    elif (
        verb in ("k", "ka", "skip")
        and len(ids) == 1
        and len(parts) == 4
        and parts[3] in KIND_CODES
    ):
        kind = KIND_CODES[parts[3]]
        await _choose_kind(update, context, ids[0], kind, skip=verb == "skip", fresh=verb == "ka")
    elif verb == "acc" and len(ids) == 1:
        await accept(update, context, ids[0])
    elif verb == "dec" and len(ids) == 1:
        await decline(update, context, ids[0])
    else:
        await _stale(update, context)


async def _stale(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    lang = await user_language(context, query.from_user)
    await query.answer(t(context.bot_data, lang, "common.stale"), show_alert=True)


async def _member_of(context: Context, user_id: int, chat_id: int) -> bool:
    return chat_id in await groups_of(context, user_id)


async def _choose_group(update: Update, context: Context, chat_id: int) -> None:
    query = update.callback_query
    if query is None or not await _member_of(context, query.from_user.id, chat_id):
        await _stale(update, context)
        return
    await query.answer()
    lang = await user_language(context, query.from_user)
    await _ask_kind(update, context, lang, chat_id, edit=True)


async def _choose_kind(
    update: Update, context: Context, chat_id: int, kind: str, *, skip: bool, fresh: bool = False
) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    user = query.from_user
    if not await _member_of(context, user.id, chat_id):
        await _stale(update, context)
        return
    await query.answer()
    data = context.bot_data
    lang = await user_language(context, user)
    if skip:
        clear_waiting(context)
        await edit_quietly(
            context.bot,
            query.message.chat.id,
            query.message.message_id,
            t(data, lang, "talk.topic_skipped"),
        )
        await submit_request(context, user, chat_id, kind, None)
        return
    code = "a" if kind == ADMIN else "l"
    text = t(data, lang, "talk.ask_topic", role=helper_role(data, lang, kind))
    markup = keyboard([button(t(data, lang, "talk.skip_topic"), f"talk:skip:{chat_id}:{code}")])
    prompt_id = query.message.message_id
    if fresh:
        # From the message with the support lines: keep them in view, ask below.
        await query.edit_message_reply_markup(reply_markup=None)
        sent = await send_private(context.bot, data, user.id, text, reply_markup=markup)
        prompt_id = sent.message_id if sent else prompt_id
    else:
        await edit_quietly(
            context.bot, query.message.chat.id, prompt_id, text, reply_markup=markup
        )
    if context.user_data is not None:
        context.user_data[AWAITING] = {
            "what": "topic",
            "chat": chat_id,
            "kind": kind,
            "prompt": prompt_id,
        }


async def topic_received(update: Update, context: Context, chat_id: int, kind: str) -> None:
    """The member wrote the optional line about the topic (called by the private dispatcher)."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    topic = topic_line(message.text, policy(context.bot_data).topic_max_chars)
    if topic is None:
        await reply(update, context, "talk.topic_text_only")
        return
    waiting = context.user_data.get(AWAITING) if context.user_data is not None else None
    clear_waiting(context)
    if isinstance(waiting, dict) and isinstance(waiting.get("prompt"), int):
        # The Skip button has done its job.
        with contextlib.suppress(BadRequest):
            await context.bot.edit_message_reply_markup(
                chat_id=user.id, message_id=waiting["prompt"], reply_markup=None
            )
    await submit_request(context, user, chat_id, kind, topic)


async def submit_request(
    context: Context, user: User, chat_id: int, kind: str, topic: str | None
) -> None:
    """Check the limits, record the request, and offer it to the right people."""
    app = cast(App, context.application)
    data = context.bot_data
    store = data.store
    rules = policy(data)
    lang = await user_language(context, user)

    async def say(key: str, **values: object) -> None:
        await send_private(context.bot, data, user.id, t(data, lang, key, **values))

    if not await _member_of(context, user.id, chat_id):
        await say("talk.no_groups")
        return
    active = await store.talk.active_for(user.id)
    if active is not None:
        await say("talk.already_waiting" if active.status == PENDING else "talk.already_open")
        return
    now = data.clock.epoch()
    if over_limit(await store.talk.requests_since(user.id, now - 3600), rules.requests_per_hour):
        group = await store.groups.get(chat_id)
        country = group.crisis_country if group else data.settings.default_country
        await say("talk.rate_limited", lines=data.crisis.render(data.texts, lang, country))
        return
    conversation_id = await store.talk.create(chat_id, user.id, kind, topic)
    log.info("talk request %s made (kind %s)", conversation_id, kind)
    conversation = await store.talk.get(conversation_id)
    if conversation is None:
        return
    sent = await offer(app, conversation, topic)
    if sent == 0:
        await nobody_reachable(app, conversation)
        return
    await say("talk.request_sent", role=helper_role(data, lang, kind))
    await data.scheduler.schedule(
        app,
        EXPIRE_JOB,
        now + rules.accept_seconds,
        chat_id=chat_id,
        user_id=user.id,
        payload={"conversation": conversation_id, "round": 1},
    )


async def _admin_ids(app: App, chat_id: int) -> list[int]:
    """The group's administrators who are people in their own name (no bots, no anonymous)."""
    try:
        members = await app.bot.get_chat_administrators(chat_id)
    except TelegramError as error:
        log.info("cannot list admins of %s (%s)", chat_id, type(error).__name__)
        return []
    ids = []
    for member in members:
        if member.user.is_bot:
            continue
        if isinstance(member, ChatMemberOwner | ChatMemberAdministrator) and member.is_anonymous:
            continue
        ids.append(member.user.id)
    return ids


async def _candidates(app: App, conversation: Conversation) -> list[int]:
    store = app.bot_data.store
    if conversation.kind == ADMIN:
        return await _admin_ids(app, conversation.chat_id)
    found = []
    for user_id in await store.talk.available_listeners(conversation.chat_id):
        if conversation.chat_id in await store.users.groups_of(user_id):
            found.append(user_id)
    return found


async def offer(
    app: App,
    conversation: Conversation,
    topic: str | None,
    *,
    declined: frozenset[int] = frozenset(),
) -> int:
    """Send the request to everyone who may take it; returns how many copies went out."""
    data = app.bot_data
    store = data.store
    group = await store.groups.get(conversation.chat_id)
    title = group.title if group else ""
    candidates = await _candidates(app, conversation)
    reachable = set()
    for user_id in candidates:
        person = await store.users.get(user_id)
        if person is not None and person.reachable:
            reachable.add(user_id)
    helpers = helpers_for(
        candidates,
        member_id=conversation.member_id,
        reachable=reachable,
        busy=await store.talk.busy_helpers(),
        avoided=await store.talk.avoided_by(conversation.member_id)
        if conversation.kind == LISTENER
        else (),
        blocked_by=await store.talk.blocked_by(conversation.member_id),
        declined=declined,
    )
    sent = 0
    for helper_id in helpers:
        lang = await language_of(data, helper_id)
        text = _offer_text(app, lang, conversation, title, topic)
        markup = keyboard(
            [
                button(t(data, lang, "talk.accept"), f"talk:acc:{conversation.id}"),
                button(t(data, lang, "talk.decline"), f"talk:dec:{conversation.id}"),
            ]
        )
        message = await send_private(app.bot, data, helper_id, text, reply_markup=markup)
        if message is not None:
            await store.talk.add_offer(
                conversation.id, helper_id, message.chat.id, message.message_id
            )
            sent += 1
    if conversation.kind == ADMIN and group is not None and group.admin_chat_id is not None:
        lang = group.language
        text = _offer_text(app, lang, conversation, title, topic, team=True)
        markup = keyboard([button(t(data, lang, "talk.accept"), f"talk:acc:{conversation.id}")])
        try:
            message = await app.bot.send_message(group.admin_chat_id, text, reply_markup=markup)
        except (Forbidden, BadRequest) as error:
            log.info("admin chat of %s unreachable (%s)", group.chat_id, type(error).__name__)
        else:
            await store.talk.add_offer(conversation.id, None, message.chat.id, message.message_id)
            sent += 1
    return sent


def _offer_text(
    app: App,
    lang: str,
    conversation: Conversation,
    title: str,
    topic: str | None,
    *,
    team: bool = False,
) -> str:
    data = app.bot_data
    key = "talk.offer_admin" if conversation.kind == ADMIN else "talk.offer_listener"
    if team:
        key = "talk.offer_team"
    about = (
        t(data, lang, "talk.offer_topic", topic=topic)
        if topic
        else t(data, lang, "talk.offer_no_topic")
    )
    text = t(data, lang, key, group=title, topic=about)
    if conversation.round > 1:
        text = t(data, lang, "talk.offer_again", request=text)
    return text


# -- answering ----------------------------------------------------------------------------


async def accept(update: Update, context: Context, conversation_id: int) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    app = cast(App, context.application)
    data = context.bot_data
    store = data.store
    presser = query.from_user
    lang = await user_language(context, presser)

    async def alert(key: str) -> None:
        await query.answer(t(data, lang, key), show_alert=True)

    conversation = await store.talk.get(conversation_id)
    offers = await store.talk.offers(conversation_id)
    pressed_on = next(
        (
            o
            for o in offers
            if o.message_chat_id == query.message.chat.id
            and o.message_id == query.message.message_id
        ),
        None,
    )
    if conversation is None or conversation.status != PENDING or pressed_on is None:
        await alert("talk.already_taken")
        if conversation is not None and conversation.status != PENDING:
            await edit_quietly(
                context.bot,
                query.message.chat.id,
                query.message.message_id,
                t(data, lang, "talk.offer_taken"),
            )
        return
    if pressed_on.helper_id is not None and pressed_on.helper_id != presser.id:
        await alert("common.not_for_you")
        return
    if pressed_on.status != "sent" or presser.id == conversation.member_id:
        await alert("common.stale")
        return
    if query.message.chat.type != ChatType.PRIVATE:
        person = await store.users.get(presser.id)
        if person is None or not person.reachable:
            await alert("talk.start_private_first")
            return
    if await store.talk.active_for(presser.id) is not None:
        await alert("talk.finish_current_first")
        return
    topic = await store.talk.topic(conversation_id)
    if not await store.talk.accept(conversation_id, presser.id):
        await alert("talk.already_taken")
        return
    await query.answer()
    log.info("talk request %s accepted", conversation_id)
    await data.scheduler.cancel(
        app, EXPIRE_JOB, chat_id=conversation.chat_id, user_id=conversation.member_id
    )
    here_lang = lang
    if pressed_on.helper_id is None:
        group = await store.groups.get(conversation.chat_id)
        here_lang = group.language if group else lang
    await edit_quietly(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        t(
            data,
            here_lang,
            "talk.offer_you_took" if pressed_on.helper_id else "talk.offer_team_took",
        ),
    )
    await settle_offers(app, conversation_id, "talk.offer_taken", keep=pressed_on.id)
    await _connect(app, conversation, presser, topic)


async def _connect(app: App, conversation: Conversation, helper: User, topic: str | None) -> None:
    data = app.bot_data
    group = await data.store.groups.get(conversation.chat_id)
    title = group.title if group else ""
    member_lang = await language_of(data, conversation.member_id)
    sent = await send_private(
        app.bot,
        data,
        conversation.member_id,
        t(
            data,
            member_lang,
            "talk.connected_member",
            role=helper_role(data, member_lang, conversation.kind),
            group=title,
        ),
        reply_markup=keyboard(
            [button(t(data, member_lang, "talk.share_button"), f"talk:share:{conversation.id}")]
        ),
    )
    helper_lang = await language_of(data, helper.id)
    if sent is None:
        from bot.handlers.talk_shared import close_conversation

        current = await data.store.talk.get(conversation.id)
        if current is not None:
            await close_conversation(app, current, "undeliverable")
        await send_private(app.bot, data, helper.id, t(data, helper_lang, "talk.member_gone"))
        return
    about = (
        t(data, helper_lang, "talk.offer_topic", topic=topic)
        if topic
        else t(data, helper_lang, "talk.offer_no_topic")
    )
    await send_private(
        app.bot,
        data,
        helper.id,
        t(data, helper_lang, "talk.connected_helper", group=title, topic=about),
        reply_markup=keyboard(
            [button(t(data, helper_lang, "talk.share_button"), f"talk:share:{conversation.id}")],
            [button(t(data, helper_lang, "talk.block_button"), f"talk:blk:{conversation.id}")],
        ),
    )
    await data.scheduler.schedule(
        app,
        IDLE_JOB,
        data.clock.epoch() + policy(data).idle_seconds,
        chat_id=conversation.chat_id,
        user_id=conversation.member_id,
        payload={"conversation": conversation.id},
    )


async def decline(update: Update, context: Context, conversation_id: int) -> None:
    """Busy, or not the right person now: no reason needed, nobody else is told."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    data = context.bot_data
    lang = await user_language(context, query.from_user)
    conversation = await data.store.talk.get(conversation_id)
    if conversation is None or conversation.status != PENDING:
        await query.answer(t(data, lang, "talk.already_taken"), show_alert=True)
        return
    if not await data.store.talk.decline(conversation_id, query.from_user.id):
        await query.answer(t(data, lang, "common.stale"), show_alert=True)
        return
    await query.answer()
    await edit_quietly(
        context.bot,
        query.message.chat.id,
        query.message.message_id,
        t(data, lang, "talk.offer_declined"),
    )
    log.info("talk request %s declined by one helper", conversation_id)
    if not any(o.status == "sent" for o in await data.store.talk.offers(conversation_id)):
        await nobody_accepted(cast(App, context.application), conversation)


# -- nobody accepts ----------------------------------------------------------------------


async def nobody_reachable(app: App, conversation: Conversation) -> None:
    """No one could even be asked: say so honestly at once, with the crisis lines."""
    data = app.bot_data
    await data.store.talk.finish(conversation.id, EXPIRED, "nobody_reachable")
    await _tell_member_final(app, conversation, "talk.nobody_reachable")


async def nobody_accepted(app: App, conversation: Conversation) -> None:
    """Time ran out (or everyone said no): send it once more, or tell the member honestly."""
    data = app.bot_data
    store = data.store
    current = await store.talk.get(conversation.id)
    if current is None or current.status != PENDING:
        return
    declined = frozenset(
        o.helper_id
        for o in await store.talk.offers(current.id)
        if o.status == "declined" and o.helper_id
    )
    if current.round == 1 and await store.talk.next_round(current.id):
        topic = await store.talk.topic(current.id)
        await settle_offers(app, current.id, "talk.offer_resent", skip_declined=True)
        again = await store.talk.get(current.id)
        if again is not None and await offer(app, again, topic, declined=declined) > 0:
            lang = await language_of(data, current.member_id)
            group = await store.groups.get(current.chat_id)
            country = group.crisis_country if group else data.settings.default_country
            await send_private(
                app.bot,
                data,
                current.member_id,
                t(
                    data,
                    lang,
                    "talk.no_one_yet",
                    role=helper_role(data, lang, current.kind),
                    lines=data.crisis.render(data.texts, lang, country),
                ),
            )
            await data.scheduler.schedule(
                app,
                EXPIRE_JOB,
                data.clock.epoch() + policy(data).accept_seconds,
                chat_id=current.chat_id,
                user_id=current.member_id,
                payload={"conversation": current.id, "round": 2},
            )
            return
    await store.talk.finish(current.id, EXPIRED, "no_one_accepted")
    await settle_offers(app, current.id, "talk.offer_expired")
    await _tell_member_final(app, current, "talk.no_one_final")


async def _tell_member_final(app: App, conversation: Conversation, key: str) -> None:
    data = app.bot_data
    lang = await language_of(data, conversation.member_id)
    group = await data.store.groups.get(conversation.chat_id)
    country = group.crisis_country if group else data.settings.default_country
    markup = None
    if conversation.kind == LISTENER:
        markup = keyboard(
            [button(t(data, lang, "talk.try_admin"), f"talk:ka:{conversation.chat_id}:a")]
        )
    await send_private(
        app.bot,
        data,
        conversation.member_id,
        t(
            data,
            lang,
            key,
            role=helper_role(data, lang, conversation.kind),
            lines=data.crisis.render(data.texts, lang, country),
        ),
        reply_markup=markup,
    )


async def withdraw(app: App, conversation: Conversation) -> bool:
    """The member no longer wants to wait (/end while pending)."""
    data = app.bot_data
    if not await data.store.talk.finish(conversation.id, CANCELLED, "withdrawn"):
        return False
    await data.scheduler.cancel(
        app, EXPIRE_JOB, chat_id=conversation.chat_id, user_id=conversation.member_id
    )
    await settle_offers(app, conversation.id, "talk.offer_withdrawn")
    return True


# -- timed work ---------------------------------------------------------------------------


async def expire_job(app: App, action: ScheduledAction) -> None:
    conversation = await app.bot_data.store.talk.get(int(action.payload.get("conversation", 0)))
    if conversation is None or conversation.status != PENDING:
        return
    if int(action.payload.get("round", 1)) != conversation.round:
        return
    await nobody_accepted(app, conversation)


# -- registration --------------------------------------------------------------------------


def deep_links() -> list[BaseHandler[Update, Context, None]]:
    """Registered before /start: deep links from the group's buttons."""
    return [
        CommandHandler(
            "start", start_payload, filters=PRIVATE & filters.Regex(r"^/start (talk|feedback)$")
        )
    ]


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("talk", talk_command, filters=PRIVATE),
        CommandHandler("talk", talk_in_group, filters=GROUPS),
        CallbackQueryHandler(on_callback, pattern=r"^talk:(g|k|ka|skip|acc|dec):"),
        *talk_listeners.handlers(),
        *talk_feedback.handlers(),
        *talk_relay.handlers(),
    ]


def observers() -> list[BaseHandler[Update, Context, None]]:
    return []


def jobs() -> dict[str, ActionHandler]:
    return {
        EXPIRE_JOB: expire_job,
        IDLE_JOB: talk_relay.idle_job,
    }


async def _talk_payload(update: Update, context: Context, _payload: str) -> None:
    await start_payload(update, context)


async def _private_words(update: Update, context: Context) -> bool:
    """Transitional (circle branch): the relay's words come through the router's dispatcher,
    after what another feature awaits; it always takes them (or shows the usual hint)."""
    await talk_relay.on_private_message(update, context)
    return True


def feature() -> Feature:
    return Feature(
        name="talk",
        menu=MENU,
        commands=[h for h in handlers() if not isinstance(h, MessageHandler)],
        private_catchers=[_private_words],
        observers=observers(),
        jobs=jobs(),
        start_payloads={"talk": _talk_payload, "feedback": _talk_payload},
    )
