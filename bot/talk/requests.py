"""/talk requests: a member asks for a one-to-one conversation with an administrator or a peer
listener.

The request goes privately to the group's administrators (and the admin team chat, if linked)
or to the group's available listeners, each copy with Accept and Not now. The first to accept
is connected; everyone else's copy says it was taken. If nobody accepts in time, the member is
told honestly that the team are volunteers, the request goes out once more, and the group's
crisis lines are shown. The member may withdraw a waiting request (/end).

A request to a peer (a named member, or any willing peer by a stated preference) is a
``listener`` request with a ``peer_asks`` row: who may be asked, and what each side sees, is
``bot.peers.peertalk``'s. It goes out once, and any outcome but a yes is "not available".
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.adapters.admins import reachable_admins
from bot.adapters.replies import edit_quietly
from bot.delivery import outbox
from bot.errors import NotForYouError, RefusedError, StaleButtonError
from bot.peers import boundaries, peertalk
from bot.people import language_of
from bot.records.awaiting import Awaiting
from bot.records.outbox import Outgoing
from bot.records.peers import PeerAsk
from bot.records.talk import CANCELLED, EXPIRED, OFFER_DECLINED, OFFER_SENT, PENDING, Conversation
from bot.talk import FEATURE, awaiting, relay
from bot.talk.callbacks import connected_buttons, offer_buttons, try_admin_buttons
from bot.talk.members import member_of, title
from bot.talk.policy import policy
from bot.talk.routing import ADMIN, LISTENER, helpers_for, over_limit
from bot.talk.wording import about, crisis_lines, helper_role

if TYPE_CHECKING:
    from bot.context import App, BotData

log = logging.getLogger(__name__)

# Outbox kinds of a request's copies: to one helper privately, to the admin team chat.
OFFER = "talk_offer"
TEAM_OFFER = "talk_team_offer"

# The scheduled end of a request's wait (payload: conversation, round).
EXPIRE = f"{FEATURE}.expire"


def topic_line(text: str | None, max_chars: int) -> str | None:
    """The optional line about the topic: trimmed, one line, not too long; None if empty."""
    if text is None:
        return None
    line = " ".join(text.split())
    if not line:
        return None
    if len(line) > max_chars:
        line = line[: max_chars - 1].rstrip() + "…"
    return line


# -- asking ---------------------------------------------------------------------------------


async def refuse_if_active(data: BotData, user_id: int) -> None:
    """One request or conversation at a time."""
    active = await data.store.talk.active_for(user_id)
    if active is not None:
        raise RefusedError(
            "talk.already_waiting" if active.status == PENDING else "talk.already_open"
        )


async def may_ask(app: App, user_id: int, chat_id: int) -> None:
    """A button for a group the person is not (or no longer) in is stale."""
    if not await member_of(app, user_id, chat_id):
        raise StaleButtonError


async def listener_available(data: BotData, chat_id: int, user_id: int) -> bool:
    """Someone other than the asker listens in this group now (else the choice is not offered)."""
    return any(other != user_id for other in await data.store.talk.available_listeners(chat_id))


async def await_topic(data: BotData, user_id: int, chat_id: int, kind: str, prompt: int) -> None:
    """The person's next words are the optional line about the topic (until Skip or a while)."""
    await data.store.awaiting.expect(
        user_id,
        awaiting.TOPIC,
        policy(data).prompt_seconds,
        {"group": chat_id, "kind": kind, "prompt": prompt},
    )


@dataclass(frozen=True)
class Topic:
    """What the member wrote while the topic was awaited, and what it is for."""

    chat_id: int
    kind: str
    line: str
    prompt: int | None


async def topic_given(data: BotData, waiting: Awaiting, text: str | None) -> Topic:
    """The member wrote the topic line: the bot stops waiting (text only, else a kind no)."""
    line = topic_line(text, policy(data).topic_max_chars)
    if line is None:
        raise RefusedError("talk.topic_text_only")
    await awaiting.forget(data, waiting.user_id)
    prompt = waiting.payload.get("prompt")
    return Topic(
        chat_id=int(waiting.payload["group"]),
        kind=str(waiting.payload["kind"]),
        line=line,
        prompt=prompt if isinstance(prompt, int) else None,
    )


async def strip_skip(app: App, user_id: int, prompt: int | None) -> None:
    """The Skip button below the topic prompt has done its job."""
    if prompt is None:
        return
    with contextlib.suppress(TelegramError):  # a button left behind is answered as stale
        await app.bot.edit_message_reply_markup(
            chat_id=user_id, message_id=prompt, reply_markup=None
        )


async def submit(
    app: App,
    user_id: int,
    lang: str,
    chat_id: int,
    kind: str,
    topic: str | None,
    *,
    peer: PeerAsk | None = None,
) -> None:
    """Check the limits, record the request, offer it to the right people; tell the member."""
    data = app.bot_data
    store = data.store
    rules = policy(data)

    async def say(key: str, **values: object) -> None:
        await outbox.send_critical(app, user_id, data.texts.t(lang, key, **values), kind="talk")

    if not await member_of(app, user_id, chat_id):
        await say("talk.no_groups")
        return
    active = await store.talk.active_for(user_id)
    if active is not None:
        await say("talk.already_waiting" if active.status == PENDING else "talk.already_open")
        return
    now = data.clock.epoch()
    if over_limit(await store.talk.requests_since(user_id, now - 3600), rules.requests_per_hour):
        await say("talk.rate_limited", lines=await crisis_lines(data, lang, chat_id))
        return
    conversation_id = await store.talk.create(chat_id, user_id, kind, topic)
    if peer is not None:
        await store.peers.record_ask(conversation_id, peer.target_id, peer.wants)
    log.info("talk request %s made (kind %s)", conversation_id, kind)
    conversation = await store.talk.get(conversation_id)
    if conversation is None:
        return
    sent = await offer(app, conversation, topic)
    if sent == 0:
        await nobody_reachable(app, conversation)
        return
    if peer is not None:
        await say("peers.ask_sent")
    else:
        await say("talk.request_sent", role=helper_role(data, lang, kind))
    await data.scheduler.schedule(
        app,
        EXPIRE,
        now + rules.accept_seconds,
        chat_id=chat_id,
        user_id=user_id,
        payload={"conversation": conversation_id, "round": 1},
    )


# -- offering -------------------------------------------------------------------------------


async def _candidates(app: App, conversation: Conversation, ask: PeerAsk | None) -> list[int]:
    store = app.bot_data.store
    if ask is not None:
        return await peertalk.candidates(app, conversation, ask)
    if conversation.kind == ADMIN:
        # People in their own name: no bots, no anonymous administrators.
        return await reachable_admins(app, conversation.chat_id, anonymous=False)
    found = []
    for user_id in await store.talk.available_listeners(conversation.chat_id):
        if conversation.chat_id not in await store.users.groups_of(user_id):
            continue
        if await boundaries.open_now(app.bot_data, user_id, conversation.chat_id):
            found.append(user_id)  # a listener is only asked within the hours they chose
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
    group_title = group.title if group else ""
    ask = await store.peers.ask(conversation.id)
    candidates = await _candidates(app, conversation, ask)
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
        text = _offer_text(data, lang, conversation, group_title, topic, ask=ask)
        markup = offer_buttons(data, lang, conversation.id, peer=ask is not None)
        # Recorded as an offer once delivered (``offer_delivered``): a slow Telegram delays it.
        result = await outbox.send_critical(
            app, helper_id, text, kind=OFFER, reply_markup=markup, ref=conversation.id
        )
        sent += result != outbox.FAILED
    if conversation.kind == ADMIN and group is not None and group.admin_chat_id is not None:
        lang = group.language
        text = _offer_text(data, lang, conversation, group_title, topic, team=True)
        markup = offer_buttons(data, lang, conversation.id, team=True)
        result = await outbox.send_critical(
            app,
            group.admin_chat_id,
            text,
            kind=TEAM_OFFER,
            reply_markup=markup,
            ref=conversation.id,
        )
        if result == outbox.FAILED:
            log.info("admin chat of %s unreachable", group.chat_id)
        sent += result != outbox.FAILED
    return sent


async def offer_delivered(app: App, message: Outgoing, telegram_id: int) -> None:
    """A copy of a request arrived: it can be accepted, and is settled with the others."""
    if message.ref is None:
        return
    helper = None if message.kind == TEAM_OFFER else message.chat_id
    await app.bot_data.store.talk.add_offer(message.ref, helper, message.chat_id, telegram_id)


def _offer_text(
    data: BotData,
    lang: str,
    conversation: Conversation,
    group_title: str,
    topic: str | None,
    *,
    team: bool = False,
    ask: PeerAsk | None = None,
) -> str:
    key = "talk.offer_admin" if conversation.kind == ADMIN else "talk.offer_listener"
    if team:
        key = "talk.offer_team"
    if ask is not None:
        key = "peers.offer_named" if ask.target_id is not None else "peers.offer_willing"
    wants = ""
    if ask is not None and ask.wants:
        word = data.texts.t(lang, f"peers.tag_{ask.wants}")
        wants = data.texts.t(lang, "peers.wants", word=word)
    text = data.texts.t(lang, key, group=group_title, topic=about(data, lang, topic), wants=wants)
    if conversation.round > 1:
        text = data.texts.t(lang, "talk.offer_again", request=text)
    return text


async def settle_offers(
    app: App,
    conversation_id: int,
    key: str,
    *,
    keep: int | None = None,
    skip_declined: bool = False,
) -> None:
    """Replace every copy of a request (but ``keep``) with a short note, then forget them."""
    data = app.bot_data
    for copy in await data.store.talk.offers(conversation_id):
        if copy.id == keep or (skip_declined and copy.status == OFFER_DECLINED):
            continue
        if copy.helper_id is None:
            group = await data.store.groups.by_admin_chat(copy.message_chat_id)
            lang = group.language if group else data.settings.default_language
        else:
            lang = await language_of(data, copy.helper_id)
        text = data.texts.t(lang, key)
        await edit_quietly(app, copy.message_chat_id, copy.message_id, text)
    await data.store.talk.clear_offers(conversation_id)


# -- answering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pressed:
    """Where a button was pressed: the copy of the request it sits on."""

    chat_id: int
    message_id: int
    private: bool


async def accept(
    app: App, conversation_id: int, presser_id: int, lang: str, pressed: Pressed
) -> None:
    """The first to accept is connected; every other copy says it was taken."""
    data = app.bot_data
    store = data.store
    conversation = await store.talk.get(conversation_id)
    pressed_on = next(
        (
            copy
            for copy in await store.talk.offers(conversation_id)
            if copy.message_chat_id == pressed.chat_id and copy.message_id == pressed.message_id
        ),
        None,
    )
    if conversation is None or conversation.status != PENDING or pressed_on is None:
        if conversation is not None and conversation.status != PENDING:
            taken = data.texts.t(lang, "talk.offer_taken")
            await edit_quietly(app, pressed.chat_id, pressed.message_id, taken)
        raise RefusedError("talk.already_taken")
    if pressed_on.helper_id is not None and pressed_on.helper_id != presser_id:
        raise NotForYouError
    if pressed_on.status != OFFER_SENT or presser_id == conversation.member_id:
        raise StaleButtonError
    if not pressed.private:
        person = await store.users.get(presser_id)
        if person is None or not person.reachable:
            raise RefusedError("talk.start_private_first")
    if await store.talk.active_for(presser_id) is not None:
        raise RefusedError("talk.finish_current_first")
    topic = await store.talk.topic(conversation_id)
    if not await store.talk.accept(conversation_id, presser_id):
        raise RefusedError("talk.already_taken")
    log.info("talk request %s accepted", conversation_id)
    await data.scheduler.cancel(
        app, EXPIRE, chat_id=conversation.chat_id, user_id=conversation.member_id
    )
    here_lang = lang
    if pressed_on.helper_id is None:
        group = await store.groups.get(conversation.chat_id)
        here_lang = group.language if group else lang
    key = "talk.offer_you_took" if pressed_on.helper_id else "talk.offer_team_took"
    await edit_quietly(app, pressed.chat_id, pressed.message_id, data.texts.t(here_lang, key))
    await settle_offers(app, conversation_id, "talk.offer_taken", keep=pressed_on.id)
    await _connect(app, conversation, presser_id, topic)


async def _connect(
    app: App, conversation: Conversation, helper_id: int, topic: str | None
) -> None:
    data = app.bot_data
    group_title = await title(data, conversation.chat_id)
    member_lang = await language_of(data, conversation.member_id)
    sent = await outbox.send_critical(
        app,
        conversation.member_id,
        data.texts.t(
            member_lang,
            "talk.connected_member",
            role=helper_role(data, member_lang, conversation.kind),
            group=group_title,
        ),
        kind="talk",
        reply_markup=connected_buttons(data, member_lang, conversation.id, helper=False),
    )
    helper_lang = await language_of(data, helper_id)
    if sent == outbox.FAILED:
        current = await data.store.talk.get(conversation.id)
        if current is not None:
            await relay.close(app, current, "undeliverable")
        await outbox.send_critical(
            app, helper_id, data.texts.t(helper_lang, "talk.member_gone"), kind="talk"
        )
        return
    await outbox.send_critical(
        app,
        helper_id,
        data.texts.t(
            helper_lang,
            "talk.connected_helper",
            group=group_title,
            topic=about(data, helper_lang, topic),
        ),
        kind="talk",
        reply_markup=connected_buttons(data, helper_lang, conversation.id, helper=True),
    )
    await relay.watch_idle(app, conversation, data.clock.epoch() + policy(data).idle_seconds)


async def decline(
    app: App,
    conversation_id: int,
    helper_id: int,
    lang: str,
    pressed: Pressed,
    *,
    block: bool = False,
) -> None:
    """Busy, or not the right person now: no reason needed, nobody else is told. A peer may
    also ask not to be asked by this person again (``block``): the asker is never told."""
    data = app.bot_data
    conversation = await data.store.talk.get(conversation_id)
    if conversation is None or conversation.status != PENDING:
        raise RefusedError("talk.already_taken")
    if block and await data.store.peers.ask(conversation_id) is None:
        raise StaleButtonError
    if not await data.store.talk.decline(conversation_id, helper_id):
        raise StaleButtonError
    if block:
        await data.store.talk.block(helper_id, conversation.member_id, conversation.chat_id)
    declined = data.texts.t(lang, "peers.declined_blocked" if block else "talk.offer_declined")
    await edit_quietly(app, pressed.chat_id, pressed.message_id, declined)
    log.info("talk request %s declined by one helper", conversation_id)
    if not any(c.status == OFFER_SENT for c in await data.store.talk.offers(conversation_id)):
        await nobody_accepted(app, conversation)


# -- nobody accepts -------------------------------------------------------------------------


async def nobody_reachable(app: App, conversation: Conversation) -> None:
    """No one could even be asked: say so honestly at once, with the crisis lines.

    A request for an administrator is kept (nobody on the team has opened a private chat with
    the bot yet): it reaches them the moment one of them does (``offer_kept``); the member may
    withdraw it with /end. A request for a peer listener ends here."""
    if conversation.kind == ADMIN:
        await _tell_member_final(app, conversation, "talk.kept_for_team")
        return
    await app.bot_data.store.talk.finish(conversation.id, EXPIRED, "nobody_reachable")
    await _tell_member_final(app, conversation, "talk.nobody_reachable")


async def arrived(app: App, _user_id: int) -> None:
    """Someone can be written to privately now: kept requests may reach them."""
    await offer_kept(app)


async def offer_kept(app: App) -> int:
    """Kept requests for an administrator go out now to whoever on the team can be reached
    (someone just started the bot, or at start-up); each member is told. How many went out."""
    data = app.bot_data
    done = 0
    for conversation in await data.store.talk.kept_requests():
        topic = await data.store.talk.topic(conversation.id)
        if await offer(app, conversation, topic) == 0:
            continue
        done += 1
        lang = await language_of(data, conversation.member_id)
        text = data.texts.t(
            lang, "talk.kept_reached", role=helper_role(data, lang, conversation.kind)
        )
        await outbox.send_critical(app, conversation.member_id, text, kind="talk_notice")
        await data.scheduler.schedule(
            app,
            EXPIRE,
            data.clock.epoch() + policy(data).accept_seconds,
            chat_id=conversation.chat_id,
            user_id=conversation.member_id,
            payload={"conversation": conversation.id, "round": conversation.round},
        )
    return done


async def catch_up(app: App) -> None:
    """At start-up: kept requests that someone on the team can receive now go out."""
    try:
        await offer_kept(app)
    except TelegramError as error:
        log.info("kept talk requests not offered at start-up (%s)", type(error).__name__)


async def nobody_accepted(app: App, conversation: Conversation) -> None:
    """Time ran out (or everyone said no): send it once more, or tell the member honestly."""
    data = app.bot_data
    store = data.store
    current = await store.talk.get(conversation.id)
    if current is None or current.status != PENDING:
        return
    declined = frozenset(
        c.helper_id
        for c in await store.talk.offers(current.id)
        if c.status == OFFER_DECLINED and c.helper_id
    )
    once = await store.peers.ask(current.id) is not None  # a peer is asked once
    if current.round == 1 and not once and await store.talk.next_round(current.id):
        topic = await store.talk.topic(current.id)
        await settle_offers(app, current.id, "talk.offer_resent", skip_declined=True)
        again = await store.talk.get(current.id)
        if again is not None and await offer(app, again, topic, declined=declined) > 0:
            lang = await language_of(data, current.member_id)
            text = data.texts.t(
                lang,
                "talk.no_one_yet",
                role=helper_role(data, lang, current.kind),
                lines=await crisis_lines(data, lang, current.chat_id),
            )
            await outbox.send_critical(app, current.member_id, text, kind="talk")
            await data.scheduler.schedule(
                app,
                EXPIRE,
                data.clock.epoch() + policy(data).accept_seconds,
                chat_id=current.chat_id,
                user_id=current.member_id,
                payload={"conversation": current.id, "round": 2},
            )
            return
    await store.talk.finish(current.id, EXPIRED, "no_one_accepted")
    # A peer who said not now keeps their own note (a team's copies all say nobody was free).
    await settle_offers(app, current.id, "talk.offer_expired", skip_declined=once)
    await _tell_member_final(app, current, "talk.no_one_final")


async def _tell_member_final(app: App, conversation: Conversation, key: str) -> None:
    data = app.bot_data
    lang = await language_of(data, conversation.member_id)
    markup = None
    if conversation.kind == LISTENER:
        markup = try_admin_buttons(data, lang, conversation.chat_id)
    ask = await data.store.peers.ask(conversation.id)
    if ask is not None:
        # The same words whoever was asked, whatever they did, and whether anyone matched.
        key = "peers.not_available"
        markup = try_admin_buttons(data, lang, conversation.chat_id, any_peer=True)
    text = data.texts.t(
        lang,
        key,
        role=helper_role(data, lang, conversation.kind),
        lines=await crisis_lines(data, lang, conversation.chat_id),
    )
    await outbox.send_critical(app, conversation.member_id, text, kind="talk", reply_markup=markup)


async def expire(app: App, conversation_id: int, round_number: int) -> None:
    """The wait of one round is over (a scheduled ``talk.expire``)."""
    conversation = await app.bot_data.store.talk.get(conversation_id)
    if conversation is None or conversation.status != PENDING:
        return
    if round_number != conversation.round:
        return
    await nobody_accepted(app, conversation)


# -- ending ---------------------------------------------------------------------------------


async def withdraw(app: App, conversation: Conversation) -> bool:
    """The member no longer wants to wait (/end while pending)."""
    data = app.bot_data
    if not await data.store.talk.finish(conversation.id, CANCELLED, "withdrawn"):
        return False
    await data.scheduler.cancel(
        app, EXPIRE, chat_id=conversation.chat_id, user_id=conversation.member_id
    )
    await settle_offers(app, conversation.id, "talk.offer_withdrawn")
    return True


class Ended(Enum):
    """What /end did."""

    WITHDRAWN = "withdrawn"  # a waiting request
    BY_MEMBER = "by_member"
    BY_HELPER = "by_helper"
    ALREADY = "already"  # withdrawn a moment ago by another path: nothing to say


async def end(app: App, user_id: int) -> tuple[Ended, Conversation]:
    """/end: withdraw a waiting request, or close the open conversation for both sides."""
    data = app.bot_data
    await awaiting.forget(data, user_id)
    conversation = await data.store.talk.active_for(user_id)
    if conversation is None:
        raise RefusedError("talk.nothing_to_end")
    if conversation.status == PENDING:
        withdrawn = await withdraw(app, conversation)
        return (Ended.WITHDRAWN if withdrawn else Ended.ALREADY), conversation
    if not await relay.close(app, conversation, "ended", ended_by=user_id):
        raise RefusedError("talk.nothing_to_end")
    return (
        Ended.BY_MEMBER if user_id == conversation.member_id else Ended.BY_HELPER
    ), conversation
