"""What a feature hands the router: its commands, buttons, gates, observers, timed work,
``/start`` payloads, and what it does with a person's private words when it awaits them.

Each feature's handlers package builds one ``Feature``; ``bot/handlers/router.py`` is the only
place that registers them, in order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import BaseHandler

from bot.adapters.menus import MenuEntry
from bot.context import App, Context
from bot.delivery.outbox import OnGivenUp, OnSent
from bot.records.awaiting import Awaiting
from bot.scheduler import ActionHandler

Handler = BaseHandler[Update, Context, None]
StartPayload = Callable[[Update, Context, str], Awaitable[None]]
"""Handles ``/start PAYLOAD`` (a deep link); gets the whole payload."""
AwaitingReceiver = Callable[[Update, Context, Awaiting], Awaitable[bool | None]]
"""Handles a person's private message while the bot awaits it for this kind. Returning
``False`` says "this is not what I await" (a photo for a text question): the message goes on
to the private catchers and the record stays."""
PlainWord = Callable[[Update, Context], Awaitable[None]]
"""What a plain word written in the private chat does ("help", "msaada", "talk"...)."""
PrivateCatcher = Callable[[Update, Context], Awaitable[bool]]
"""Offered a private message nobody awaited; returns True if it took it (the talk relay)."""
Arrival = Callable[[App, int], Awaitable[None]]
"""A person can be written to privately now (they could not before): deliver what waited."""
CatchUp = Callable[[App], Awaitable[None]]
# A member is no longer in a group (left, removed or excluded): (app, group id, member id).
Departure = Callable[[App, int, int], Awaitable[None]]
"""At start-up: deliver whatever waited and can be delivered now."""


@dataclass(frozen=True)
class Feature:
    name: str
    menu: Sequence[MenuEntry] = ()
    # Group -2 / -1: handlers that may stop everything after them (blocklist, rules gate).
    blocklist: Sequence[Handler] = ()
    gates: Sequence[Handler] = ()
    # Group 0: commands and buttons.
    commands: Sequence[Handler] = ()
    # Group 1: work on ordinary group messages that never blocks the above.
    observers: Sequence[Handler] = ()
    jobs: Mapping[str, ActionHandler] = field(default_factory=dict)
    # Kinds of ``jobs`` of which only the latest overdue one runs after downtime (a series).
    latest_only: frozenset[str] = frozenset()
    # Outbox message kinds: what to do once one was delivered, or given up on.
    delivered: Mapping[str, OnSent] = field(default_factory=dict)
    undeliverable: Mapping[str, OnGivenUp] = field(default_factory=dict)
    # ``/start`` payloads: a key ending in "-" or "_" matches as a prefix, else exactly.
    start_payloads: Mapping[str, StartPayload] = field(default_factory=dict)
    # Awaiting kinds ("feature.what") this feature receives private words for.
    awaiting: Mapping[str, AwaitingReceiver] = field(default_factory=dict)
    private_catchers: Sequence[PrivateCatcher] = ()
    # What waited for a person who could not be written to privately, delivered when they can.
    arrivals: Sequence[Arrival] = ()
    catch_up: Sequence[CatchUp] = ()
    # Last of all: a member is no longer in a group (what was open for them there ends).
    departures: Sequence[Departure] = ()
    # Plain words in the private chat that do what they say (lower case, both languages).
    plain_words: Mapping[str, PlainWord] = field(default_factory=dict)
    # Awaiting kinds whose ``/cancel`` the feature answers itself (a guided conversation that
    # keeps more than the awaited words); every other wait is stopped by the router's /cancel.
    own_cancel: Mapping[str, PlainWord] = field(default_factory=dict)
