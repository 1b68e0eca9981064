"""/talk to a chosen peer or any willing peer, and /peer (opting in and out, one's own words).

``/talk @name`` · ``/talk peer`` · ``/talk peer woman``; ``/peer on|off``,
``/peer about woman swahili`` (words from a fixed list), ``/peer unblock``. Who may be asked,
and what each side sees when, is ``bot.peers.peertalk``'s.
"""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.replies import answer_button, reply, strip_buttons
from bot.context import Context
from bot.errors import RefusedError
from bot.handlers.talk.listeners import set_hours
from bot.ids import parse_id
from bot.peers import peertalk
from bot.people import language_of
from bot.records.peers import PeerAsk
from bot.talk import requests
from bot.talk.members import groups_of
from bot.talk.routing import LISTENER

NOT_TAKING = "peers.not_taking"


async def talk_to_peer(update: Update, context: Context, args: list[str]) -> None:
    """``/talk @name`` or ``/talk peer [word]``: checked, then submitted as a /talk request."""
    user = update.effective_user
    if user is None:
        return
    app = context.app
    data = app.bot_data
    await requests.refuse_if_active(data, user.id)
    lang = await language_of(data, user.id, user.language_code)
    first = args[0].lower()
    if first in peertalk.ANY_PEER:
        wants = wanted_word(context, lang, args[1:])
        groups = await groups_of(app, user.id)
        if not groups:
            raise RefusedError("talk.no_groups")
        ask = PeerAsk(0, None, wants)
        group_id = await peertalk.group_for_any_peer(app, user.id, groups, wants)
        await requests.submit(app, user.id, lang, group_id, LISTENER, None, peer=ask)
        return
    target = await _named(context, first)
    chat_id = None
    if target is not None and await peertalk.willing_to_hear(data, target, user.id):
        chat_id = await peertalk.shared_group(app, user.id, target)
    if target is None or chat_id is None:
        # Not opted in, opted out, blocked, unknown or unreachable: one kind answer for all,
        # and the member is never contacted.
        raise RefusedError(NOT_TAKING)
    ask = PeerAsk(0, target, None)
    await requests.submit(app, user.id, lang, chat_id, LISTENER, None, peer=ask)


async def _named(context: Context, word: str) -> int | None:
    if word.startswith("@"):
        return await context.bot_data.store.handles.find(word[1:])
    return parse_id(word, signed=False)


def wanted_word(context: Context, lang: str, args: list[str]) -> str | None:
    """The optional word after ``/talk peer`` or ``/buddy find``: None without one; a word
    not on the list is refused with the list (nothing is ever guessed)."""
    if not args:
        return None
    wants = peertalk.tag_of(args[0])
    if wants is None:
        raise RefusedError("peers.unknown_word", words=peertalk_words(context, lang))
    return wants


def peertalk_words(context: Context, lang: str) -> str:
    t = context.bot_data.texts.t
    return ", ".join(f"{tag} ({t(lang, f'peers.tag_{tag}')})" for tag in peertalk.TAGS)


async def peer_command(update: Update, context: Context) -> None:
    """``/peer`` on | off | about WORDS | hours 18-22 | unblock; alone: what I chose, and how
    to change it."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    args = list(context.args or [])
    word = args[0].lower() if args else ""
    lang = await language_of(data, user.id, user.language_code)
    if word in ("on", "washa"):
        await data.store.peers.set_open(user.id, True)
        await reply(update, context, "peers.peer_on")
    elif word in ("off", "zima"):
        await data.store.peers.set_open(user.id, False)
        await reply(update, context, "peers.peer_off")
    elif word in ("about", "kunihusu"):
        tags = peertalk.parse_tags(args[1:])
        if tags is None:
            raise RefusedError("peers.unknown_word", words=peertalk_words(context, lang))
        await data.store.peers.set_tags(user.id, tags)
        await reply(update, context, "peers.about_saved", words=_words(context, lang, tags))
    elif word in ("hours", "saa"):
        await set_hours(update, context, user.id, "peers.peer_hours_usage")
    elif word in ("unblock", "fungua"):
        await data.store.talk.unblock_all(user.id)
        await reply(update, context, "peers.unblocked")
    else:
        profile = await data.store.peers.profile(user.id)
        tags = profile.tags if profile else ()
        key = "peers.status_on" if profile and profile.open else "peers.status_off"
        await reply(
            update,
            context,
            key,
            words=_words(context, lang, tags),
            choices=peertalk_words(context, lang),
        )


def _words(context: Context, lang: str, tags: tuple[str, ...]) -> str:
    t = context.bot_data.texts.t
    if not tags:
        return str(t(lang, "peers.no_words"))
    return ", ".join(str(t(lang, f"peers.tag_{tag}")) for tag in tags)


async def any_peer(update: Update, context: Context, pressed: Callback) -> None:
    """After "not available": ask any willing peer in this group, with no preference."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    chat_id = pressed.count(1).number(0)
    app = context.app
    user = query.from_user
    await requests.may_ask(app, user.id, chat_id)
    await requests.refuse_if_active(app.bot_data, user.id)
    await answer_button(query)
    await strip_buttons(query)
    lang = await language_of(app.bot_data, user.id, user.language_code)
    ask = PeerAsk(0, None, None)
    await requests.submit(app, user.id, lang, chat_id, LISTENER, None, peer=ask)
