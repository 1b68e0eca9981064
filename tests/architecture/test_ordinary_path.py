"""The lean path of an ordinary group message stays in step with the handlers.

``bot/handlers/ordinary.py`` does, from the JSON, what the handlers an ordinary group message
meets would do. If a handler is added that such a message would meet, this test fails: the
lean path must do its work too (or the message must stop counting as ordinary). And the
adapter says "ordinary" only for plain shapes: every other kind of update goes the full way.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from telegram import Update

from bot.adapters.ordinary import ordinary_message
from tests.support import Harness

# What an ordinary group message meets, one handler per group, in order (the lean path's list).
MET = [
    "remember_update",
    "track_private",
    "on_group_activity",
    "gate_message",
    "_conversation",
    "observe",
    "Router.on_arrival",
]
GROUP = {"id": -1001000000001, "type": "supergroup", "title": "Circle A"}
SENDER = {"id": 100000002, "is_bot": False, "first_name": "Chege", "language_code": "sw"}


def _update(**message: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": 7,
        "date": 1_790_000_000,
        "chat": dict(GROUP),
        "from": dict(SENDER),
        "text": "Habari za asubuhi wapendwa",
    }
    body.update(message)
    return {"update_id": 41, "message": {k: v for k, v in body.items() if v is not None}}


ORDINARY = {
    "plain": _update(),
    "a basic group": _update(chat={"id": -42, "type": "group", "title": "Old circle"}),
    "a reply": _update(reply_to_message={"message_id": 3, "date": 1, "chat": GROUP, "text": "hi"}),
    "a link": _update(
        text="Makala hii https://www.health.go.ke/mental-health",
        entities=[{"type": "url", "offset": 11, "length": 37}],
    ),
    "a hidden link": _update(
        entities=[{"type": "text_link", "offset": 0, "length": 6, "url": "https://x.example"}]
    ),
    "a mention of the bot": _update(
        text="@PamojaBot asante", entities=[{"type": "mention", "offset": 0, "length": 10}]
    ),
    "in a topic": _update(message_thread_id=5, is_topic_message=True),
}
NOT_ORDINARY = {
    "a command": _update(
        text="/rules", entities=[{"type": "bot_command", "offset": 0, "length": 6}]
    ),
    "a command further on": _update(
        text="see /rules", entities=[{"type": "bot_command", "offset": 4, "length": 6}]
    ),
    "a slash without an entity": _update(text="/rules"),
    "a caption": _update(text=None, caption="look", photo=[]),
    "a forward": _update(
        forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "x"}
    ),
    "buttons": _update(reply_markup={"inline_keyboard": []}),
    "from a bot": _update(**{"from": {"id": 9, "is_bot": True, "first_name": "Spam"}}),
    "for a chat": _update(sender_chat={"id": -100777, "type": "channel", "title": "News"}),
    "a private chat": _update(chat={"id": 100000002, "type": "private", "first_name": "Chege"}),
    "a service message": _update(text=None, new_chat_members=[SENDER]),
    "no text": _update(text=""),
    "an unknown field": _update(paid_star_count=5),
    "entities not a list": _update(entities="not a list"),
    "an entity without offset": _update(entities=[{"type": "url", "length": 3}]),
    "no first name": _update(**{"from": {"id": 5, "is_bot": False}}),
    "a text id": _update(message_id="7"),
    "a chat type that is a list": _update(chat={"id": -5, "type": ["supergroup"]}),
}


@pytest.mark.parametrize("name", ORDINARY)
def test_plain_group_messages_are_ordinary(name: str) -> None:
    raw = ORDINARY[name]
    found = ordinary_message(raw)
    assert found is not None
    assert (found.chat_id, found.sender_id, found.message_id) == (
        raw["message"]["chat"]["id"],
        SENDER["id"],
        7,
    )
    assert found.text == raw["message"]["text"]
    Update.de_json(copy.deepcopy(raw), None)  # and python-telegram-bot reads it too


def test_what_the_words_carry_is_read_as_from_a_message() -> None:
    hidden = ordinary_message(ORDINARY["a hidden link"])
    assert hidden is not None
    assert hidden.entity_types == {"text_link"} and hidden.hidden_links == ("https://x.example",)
    plain = ordinary_message(ORDINARY["plain"])
    assert plain is not None and plain.language_code == "sw" and plain.username is None


@pytest.mark.parametrize("name", NOT_ORDINARY)
def test_anything_else_goes_the_full_way(name: str) -> None:
    assert ordinary_message(NOT_ORDINARY[name]) is None  # never raises either


@pytest.mark.parametrize(
    "raw",
    [
        {"update_id": 1, "edited_message": ORDINARY["plain"]["message"]},
        {"update_id": 1, "message": ORDINARY["plain"]["message"], "extra": 1},
        {"message": ORDINARY["plain"]["message"]},
        [ORDINARY["plain"]],
    ],
    ids=["an edit", "another part", "no id", "not an object"],
)
def test_other_updates_are_not_ordinary(raw: object) -> None:
    assert ordinary_message(raw) is None


async def test_an_ordinary_message_meets_only_the_handlers_the_lean_path_does(
    harness: Harness,
) -> None:
    app = harness.app
    for name, raw in ORDINARY.items():
        update = Update.de_json(copy.deepcopy(raw), app.bot)
        met = []
        for _group, handlers in sorted(app.handlers.items()):
            for handler in handlers:
                check = handler.check_update(update)
                if check is not None and check is not False:
                    met.append(getattr(handler.callback, "__qualname__", repr(handler.callback)))
                    break
        assert met == MET, name
