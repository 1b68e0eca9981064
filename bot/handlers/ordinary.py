"""The lean path of an ordinary group message: handled from its JSON, without building
python-telegram-bot's objects (``bot/adapters/ordinary.py`` says which messages are ordinary).

Through the handlers, such a message meets exactly these, in this order (the router's groups):
the log filter learns its names and words (``remember_update``); the outbox notes its id
(``track_private``); its sender is noted as taking part (``on_group_activity``); a sender on
the blocklist is removed (``gate_message``); the commands' group stops (``_conversation``); the
words are screened (the observers' ``observe``); nothing waited for a group message
(``on_arrival``). :func:`take` does the same with the same services, in the same order, for the
common case: a member the bot knows, not on the blocklist. Anyone else (someone new to the bot,
someone on the blocklist, someone marked as just arrived whose waiting messages an earlier
update did not deliver) goes the full way, where the handlers learn, remove or deliver.

``tests/architecture/test_ordinary_path.py`` fails when a handler is added that an ordinary
group message would meet: it must then be added here too (or the message made not ordinary).
"""

from __future__ import annotations

from bot.adapters.ordinary import OrdinaryMessage
from bot.adapters.tracking import ARRIVED
from bot.context import App, BotData
from bot.groups import membership
from bot.logs import privacy_in_force
from bot.moderation import flags, measures
from bot.moderation.features import NO_SIGNALS, MessageSignals
from bot.peers import checkins


async def took_part(
    data: BotData, chat_id: int, user_id: int, language: str | None, username: str | None
) -> None:
    """A person wrote or pressed a button in a group: they are a member (learned once), called
    ``@username`` now, and active (for a "quiet" check-in). No text, no emoji is stored."""
    await membership.seen_in_group(data, chat_id, user_id, language)
    await membership.named(data, user_id, username)
    await checkins.noticed(data, user_id)


def signals(message: OrdinaryMessage) -> MessageSignals:
    """What Telegram parsed about the words (as ``signals_of`` reads a ``Message``)."""
    if not message.entity_types:
        return NO_SIGNALS
    return MessageSignals(entities=message.entity_types, extra=" ".join(message.hidden_links))


async def take(app: App, message: OrdinaryMessage) -> bool:
    """Handle an ordinary group message as its handlers would; False (nothing done) when it
    must go the full way instead."""
    data = app.bot_data
    if not data.store.users.known_member(message.chat_id, message.sender_id):
        return False
    if ARRIVED in app.user_data.get(message.sender_id, {}):
        return False  # what waited for them to arrive is delivered by the full way
    try:
        if await measures.is_blocked(app, message.sender_id):
            return False
    except Exception:  # unknown: the full way, where the blocklist's handler meets it again
        return False
    privacy = privacy_in_force()
    if privacy is not None:
        privacy.remember(message.raw)
    data.delivery.tracker.saw(message.chat_id, message.message_id)
    # As python-telegram-bot runs the handlers: a failing one goes to the error handler and
    # the next one still runs (the words are screened even if noting the member failed).
    for step in (_took_part, _screened):
        try:
            await step(app, message)
        except Exception as error:
            if await app.process_error(message, error):
                break  # the error handler stopped the rest
    return True


async def _took_part(app: App, message: OrdinaryMessage) -> None:
    await took_part(
        app.bot_data, message.chat_id, message.sender_id, message.language_code, message.username
    )


async def _screened(app: App, message: OrdinaryMessage) -> None:
    await flags.observe(
        app,
        message.chat_id,
        message.sender_id,
        message.first_name or str(message.sender_id),
        message.message_id,
        message.text,
        signals(message),
    )
