"""One-to-one contact, the Telegram side: /talk, /end, /share, /listener, /peer, /feedback.

Each handler reads the update, checks who may act, calls a ``bot.talk`` service and answers
with a catalogue text. Private words reach this feature only through the router: what it
awaits (``talk.topic``, ``talk.feedback``), else the relay of an open conversation.
"""

from __future__ import annotations

from telegram.ext import CommandHandler, filters

from bot.adapters.callbacks import ButtonHandler, callback_handler
from bot.adapters.menus import MenuEntry
from bot.handlers.feature import Feature, Handler
from bot.handlers.talk import feedback, listeners, peers, relay, requests
from bot.talk import FEATURE, awaiting, callbacks
from bot.talk import relay as talk_relay
from bot.talk import requests as talk_requests
from bot.talk.jobs import jobs

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS

MENU: tuple[MenuEntry, ...] = (
    MenuEntry("talk", private=True, group=True),
    MenuEntry("end", private=True),
    MenuEntry("listener"),
    MenuEntry("feedback"),
)

BUTTONS: dict[str, ButtonHandler] = {
    callbacks.GROUP: requests.choose_group,
    callbacks.KIND: requests.choose_kind,
    callbacks.ASK_AGAIN: requests.ask_again,
    callbacks.SKIP_TOPIC: requests.skip_topic,
    callbacks.STOP_ASKING: requests.stop_asking,
    callbacks.ACCEPT: requests.accept,
    callbacks.DECLINE: requests.decline,
    callbacks.DECLINE_BLOCK: requests.decline_block,
    callbacks.ANY_PEER: peers.any_peer,
    callbacks.SHARE: relay.share,
    callbacks.BLOCK: relay.block,
    callbacks.BLOCK_YES: relay.block_yes,
    callbacks.BLOCK_NO: relay.block_no,
    callbacks.AVOID: relay.avoid,
    callbacks.LISTEN_ON: listeners.listen_on,
    callbacks.LISTEN_OFF: listeners.listen_off,
    callbacks.FEEDBACK_GROUP: feedback.feedback_group,
    callbacks.FEEDBACK_SEND: feedback.feedback_send,
    callbacks.FEEDBACK_CANCEL: feedback.feedback_cancel,
}


def commands() -> list[Handler]:
    return [
        CommandHandler("talk", requests.talk_command, filters=PRIVATE),
        CommandHandler("talk", requests.talk_in_group, filters=GROUPS),
        CommandHandler("end", relay.end_command, filters=PRIVATE),
        CommandHandler("share", relay.share_command, filters=PRIVATE),
        CommandHandler("peer", peers.peer_command, filters=PRIVATE),
        CommandHandler("listener", listeners.listener_command, filters=PRIVATE),
        CommandHandler("listener", listeners.listener_in_group, filters=GROUPS),
        CommandHandler("feedback", feedback.feedback_command, filters=PRIVATE),
        CommandHandler("feedback", feedback.feedback_in_group, filters=GROUPS),
        callback_handler(FEATURE, BUTTONS),
    ]


def feature() -> Feature:
    return Feature(
        name="talk",
        menu=MENU,
        commands=commands(),
        jobs=jobs(),
        delivered={
            talk_requests.OFFER: talk_requests.offer_delivered,
            talk_requests.TEAM_OFFER: talk_requests.offer_delivered,
        },
        undeliverable={talk_relay.RELAY: talk_relay.relay_given_up},
        start_payloads={"talk": requests.talk_link, "feedback": feedback.feedback_link},
        awaiting={
            awaiting.TOPIC: requests.topic_received,
            awaiting.FEEDBACK: feedback.feedback_received,
        },
        private_catchers=[relay.relay_catcher],
        arrivals=(talk_requests.arrived,),
        catch_up=(talk_requests.catch_up,),
        plain_words={
            "talk": requests.talk_command,
            "ongea": requests.talk_command,
            "stop": relay.end_command,
            "acha": relay.end_command,
            "end": relay.end_command,
            "maliza": relay.end_command,
        },
    )
