"""The talk buttons: one handler, verbs that read as words, data Telegram accepts."""

from __future__ import annotations

from bot.adapters.callbacks import MAX_BYTES, encode
from bot.handlers.talk import BUTTONS, feature
from bot.talk import FEATURE, awaiting, relay, requests
from bot.talk.routing import LISTENER


def test_verbs_are_words() -> None:
    assert all(len(verb) > 3 for verb in BUTTONS)
    assert all(verb.replace("_", "").isalpha() for verb in BUTTONS)


def test_the_longest_button_data_fits() -> None:
    longest = encode(FEATURE, "skip_topic", -1009999999999, LISTENER)
    assert len(longest.encode()) <= MAX_BYTES
    for verb in BUTTONS:
        assert len(encode(FEATURE, verb, 2**62).encode()) <= MAX_BYTES


def test_kinds_are_feature_dot_what() -> None:
    talk = feature()
    assert set(talk.jobs) == {requests.EXPIRE, relay.IDLE} == {"talk.expire", "talk.idle"}
    assert set(talk.awaiting) == {awaiting.TOPIC, awaiting.FEEDBACK}
    assert set(talk.awaiting) == {"talk.topic", "talk.feedback"}
    assert set(talk.start_payloads) == {"talk", "feedback"}
    assert len(talk.private_catchers) == 1
