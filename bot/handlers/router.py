"""The one router: every handler group and its order, the ``/start`` payload table, and the
one dispatcher for a person's private words.

Handler groups form a pipeline (PTB runs at most one matching handler per group, groups in
order, and a handler may stop the rest by raising ``ApplicationHandlerStop``):

* ``PRIVACY`` (-5): the log filter notes the update's names and texts, so that no log line
  of any library can carry them (``bot/logs.py``); it never stops anything.
* ``PEOPLE`` (-4): records, once per update, that a person wrote privately (its own group:
  it matches every update, and PTB runs one handler per group).
* ``TRACKING`` (-3): observers of the bot's and members' status; they never stop anything.
* ``BLOCKLIST`` (-2): people excluded for good are kept out before anything else runs.
* ``GATE`` (-1): the rules gate (newcomers who have not agreed yet) and other checks.
* ``COMMANDS`` (0): an edited message stops here at once (an edit never runs a command
  again), and so does an ordinary group message; then ``/start`` (its payload table), the
  features' commands and buttons, the private-words dispatcher, and last a kind answer to a
  button nobody knows.
* ``OBSERVERS`` (1): work on ordinary group messages (solicitation flagging) that must never
  block the above.
* ``ARRIVALS`` (2): a person who could not be written to privately before (never started the
  bot, or blocked it) just can: once the update's own answer is out, every feature delivers
  what waited for them (notices kept for the admins, a support message, a /talk request).
* ``DEPARTURES`` (3): a member is no longer in a group (left, removed, excluded), as the
  membership list already says: every feature ends what was open for them there (an
  invitation to send them kind words).

A person's private words go to exactly one place, decided here: what the bot awaits from them
(``store.awaiting``: a topic, a draft, an answer), else a feature's catcher (the open one-to-one
conversation), else a kind hint about what the bot can do.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.adapters.guards import is_group
from bot.adapters.menus import MenuEntry
from bot.adapters.presence import is_present
from bot.adapters.replies import reply
from bot.adapters.tracking import take_arrived, tracking_handler
from bot.context import App, Context
from bot.errors import StaleButtonError
from bot.handlers import (
    circle,
    groups,
    kindwords,
    language,
    moderation,
    ordinary,
    peers,
    rules,
    sessions,
    start,
    talk,
)
from bot.handlers.errors import on_error
from bot.handlers.feature import AwaitingReceiver, Feature, PlainWord, StartPayload
from bot.logs import remember_update

PRIVACY = -5
PEOPLE = -4
TRACKING = -3
BLOCKLIST = -2
GATE = -1
COMMANDS = 0
OBSERVERS = 1
ARRIVALS = 2
DEPARTURES = 3

PRIVATE = filters.ChatType.PRIVATE
CANCEL_WORDS = frozenset({"cancel", "ghairi", "sitisha"})
HELP_WORDS = frozenset({"help", "msaada", "usaidizi"})


def plain_word(text: str | None) -> str:
    """A message of one plain word, as the key the word tables use ("Msaada!" -> "msaada")."""
    word = (text or "").strip().strip(".!?¡¿,;:").strip().lower()
    return word if word and " " not in word and len(word) <= 20 else ""


def features() -> list[Feature]:
    """Every feature, in the order their commands are tried."""
    return [
        groups.feature(),
        language.feature(),
        rules.feature(),
        moderation.feature(),
        circle.feature(),
        talk.feature(),
        sessions.feature(),
        peers.feature(),
        kindwords.feature(),
    ]


def start_payload(table: dict[str, StartPayload], payload: str) -> StartPayload | None:
    """The handler of a ``/start`` payload: an exact key, or a key ending in "-"/"_" as prefix."""
    if payload in table:
        return table[payload]
    for key, handler in table.items():
        if key.endswith(("-", "_")) and payload.startswith(key) and len(payload) > len(key):
            return handler
    return None


class Router:
    """Built once per application from the features; owns the two dispatch tables."""

    def __init__(self, found: Sequence[Feature]) -> None:
        self.features = list(found)
        self.payloads: dict[str, StartPayload] = {}
        self.awaiting: dict[str, AwaitingReceiver] = {}
        for feature in self.features:
            for key, handler in feature.start_payloads.items():
                if key in self.payloads:
                    raise ValueError(f"/start payload {key!r} is claimed twice")
                self.payloads[key] = handler
            for kind, receiver in feature.awaiting.items():
                if kind in self.awaiting:
                    raise ValueError(f"awaiting kind {kind!r} is claimed twice")
                self.awaiting[kind] = receiver
        self.catchers = [c for feature in self.features for c in feature.private_catchers]
        self.arrivals = [hook for feature in self.features for hook in feature.arrivals]
        self.departures = [hook for feature in self.features for hook in feature.departures]
        self.words: dict[str, PlainWord] = dict.fromkeys(HELP_WORDS, start.help_private)
        self.own_cancel = {
            kind: handler
            for feature in self.features
            for kind, handler in feature.own_cancel.items()
        }
        for feature in self.features:
            for word, does in feature.plain_words.items():
                if word in self.words or word in CANCEL_WORDS:
                    raise ValueError(f"plain word {word!r} is claimed twice")
                self.words[word] = does

    async def on_arrival(self, update: Update, context: Context) -> None:
        """The update's person can be written to privately now: deliver what waited."""
        user = update.effective_user
        if user is None or not take_arrived(context):
            return
        for hook in self.arrivals:
            await hook(context.app, user.id)

    async def on_departure(self, update: Update, context: Context) -> None:
        """A member is no longer in a group: what was open for them there ends."""
        change = update.chat_member
        if change is None or not is_group(change.chat) or is_present(change.new_chat_member):
            return
        if not is_present(change.old_chat_member) or change.new_chat_member.user.is_bot:
            return
        for hook in self.departures:
            await hook(context.app, change.chat.id, change.new_chat_member.user.id)

    async def on_cancel(self, update: Update, context: Context) -> None:
        """``/cancel`` (or "cancel"/"ghairi"): whatever the bot waits for from this person stops.

        A guided conversation that answers its own /cancel (``Feature.own_cancel``) does so.
        With nothing awaited, ``/cancel`` goes on to the features (a guided draft may remain).
        """
        user = update.effective_user
        if user is None:
            return
        store = context.bot_data.store
        waiting = await store.awaiting.current(user.id)
        if waiting is None:
            return
        own = self.own_cancel.get(waiting.kind)
        if own is not None:
            await own(update, context)
        elif await store.awaiting.clear(user.id):
            await reply(update, context, "common.cancelled")
        raise ApplicationHandlerStop

    async def on_start(self, update: Update, context: Context) -> None:
        """``/start`` with a deep-link payload goes to its feature; without one, the welcome."""
        payload = context.args[0] if context.args else ""
        handler = start_payload(self.payloads, payload) if payload else None
        if handler is None:
            await start.start(update, context)
            return
        await handler(update, context, payload)

    async def on_private_words(self, update: Update, context: Context) -> None:
        """A private message that is not a command: the one place that decides where it goes."""
        user = update.effective_user
        if user is None:
            return
        message = update.effective_message
        word = plain_word(message.text if message is not None else None)
        if word in CANCEL_WORDS:
            try:
                await self.on_cancel(update, context)
            except ApplicationHandlerStop:
                return
            await reply(update, context, "common.nothing_waiting")
            return
        store = context.bot_data.store
        waiting = await store.awaiting.current(user.id)
        if waiting is not None:
            receiver = self.awaiting.get(waiting.kind)
            if receiver is None:
                await store.awaiting.clear(user.id)
            elif await receiver(update, context, waiting) is not False:
                return
        does = self.words.get(word)
        if does is not None:
            await does(update, context)
            return
        for catcher in self.catchers:
            if await catcher(update, context):
                return
        await start.plain_private(update, context)


async def ignore_edit(_update: Update, _context: Context) -> None:
    """An edited message: it is screened by the observers like a new one, but an edited
    ``/settings`` or an old reply edited into ``/report`` never runs a command again."""


async def unknown_button(_update: Update, _context: Context) -> None:
    """A button no handler knows (an old message, forged data): a kind answer, nothing else."""
    raise StaleButtonError


def register(app: App) -> Router:
    router = Router(features())
    found = router.features
    app.add_handler(TypeHandler(Update, remember_update), group=PRIVACY)
    app.add_handler(tracking_handler(), group=PEOPLE)
    app.add_handlers(groups.tracking(), group=TRACKING)
    app.add_handlers([h for f in found for h in f.blocklist], group=BLOCKLIST)
    app.add_handlers(
        [
            CommandHandler("cancel", router.on_cancel, filters=PRIVATE),
            *[h for f in found for h in f.gates],
        ],
        group=GATE,
    )
    app.add_handlers(
        [
            MessageHandler(filters.UpdateType.EDITED, ignore_edit),
            groups.conversation(),
            *[h for f in found for h in f.commands],
            CommandHandler("start", router.on_start, filters=PRIVATE),
            *start.handlers(),
            MessageHandler(
                PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE, router.on_private_words
            ),
            MessageHandler(PRIVATE & filters.COMMAND, start.unknown_private),
            CallbackQueryHandler(unknown_button),
        ],
        group=COMMANDS,
    )
    app.add_handlers([h for f in found for h in f.observers], group=OBSERVERS)
    app.add_handler(TypeHandler(Update, router.on_arrival), group=ARRIVALS)
    app.add_handler(
        ChatMemberHandler(router.on_departure, ChatMemberHandler.CHAT_MEMBER), group=DEPARTURES
    )
    for feature in found:
        for kind, job in feature.jobs.items():
            app.bot_data.scheduler.register(kind, job, latest_only=kind in feature.latest_only)
        for kind, sent in feature.delivered.items():
            app.bot_data.delivery.when_sent(kind, sent)
        for kind, given_up in feature.undeliverable.items():
            app.bot_data.delivery.when_given_up(kind, given_up)
    app.add_error_handler(on_error)
    # An ordinary group message meets only a few of the handlers above: the same work, done
    # from its JSON (``bot/handlers/ordinary.py``, kept in step by a test).
    app.bot_data.ordinary = ordinary.take
    return router


async def catch_up(app: App) -> None:
    """At start-up: every feature delivers what waited and can be delivered now."""
    for feature in features():
        for hook in feature.catch_up:
            await hook(app)


def menu() -> list[MenuEntry]:
    """Every command in the menus, in order: the foundation's, then each feature's."""
    return [*start.MENU, *(entry for feature in features() for entry in feature.menu)]
