"""The cheap group filters answer exactly as the PTB filters they stand for."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update
from telegram.ext import filters

from bot.adapters.filters import (
    GROUP_ACTIVITY,
    GROUP_CONVERSATION,
    GROUP_MESSAGES,
    GROUP_WORDS,
)

GROUP = {"id": -100123, "type": "supergroup", "title": "Peer group"}
BASIC_GROUP = {"id": -123, "type": "group", "title": "Small group"}
PRIVATE = {"id": 42, "type": "private", "first_name": "Amina"}
PERSON = {"id": 42, "is_bot": False, "first_name": "Amina"}
COMMAND = [{"type": "bot_command", "offset": 0, "length": 6}]
LATE_COMMAND = [{"type": "bot_command", "offset": 4, "length": 6}]
LINK = [{"type": "url", "offset": 0, "length": 19}]

MESSAGES: list[dict[str, Any]] = [
    {"text": "Habari za asubuhi"},
    {"text": "/rules"},
    {"text": "/rules", "entities": COMMAND},
    {"text": "see /rules", "entities": LATE_COMMAND},
    {"text": "https://example.org", "entities": LINK},
    {"caption": "my drawing", "photo": []},
    {"caption": "/rules", "caption_entities": COMMAND, "photo": []},
    {"photo": []},
    {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    },
    {"new_chat_members": [PERSON]},
    {"left_chat_member": PERSON},
    {"new_chat_title": "Renamed"},
    {"pinned_message": {"message_id": 1, "date": 0, "chat": GROUP}},
    {"migrate_to_chat_id": -100999},
]
KINDS = ("message", "edited_message", "channel_post")
CHATS = (GROUP, BASIC_GROUP, PRIVATE)

PAIRS = [
    (
        GROUP_ACTIVITY,
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGES & ~filters.StatusUpdate.ALL,
    ),
    (GROUP_MESSAGES, filters.ChatType.GROUPS & filters.UpdateType.MESSAGES),
    (
        GROUP_WORDS,
        filters.ChatType.GROUPS
        & (filters.TEXT | filters.CAPTION)
        & ~filters.COMMAND
        & filters.UpdateType.MESSAGES,
    ),
    (GROUP_CONVERSATION, filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & ~filters.COMMAND),
]


def updates() -> list[Update]:
    bot = Bot("123:abc")
    made = [
        Update.de_json(
            {
                "update_id": 1,
                "callback_query": {
                    "id": "1",
                    "from": PERSON,
                    "chat_instance": "c",
                    "data": "x",
                    "message": {"message_id": 1, "date": 0, "chat": GROUP, "text": "hi"},
                },
            },
            bot,
        )
    ]
    for kind in KINDS:
        for chat in CHATS:
            for body in MESSAGES:
                message = {"message_id": 7, "date": 0, "chat": chat, "from": PERSON, **body}
                if kind == "edited_message":
                    message["edit_date"] = 1
                made.append(Update.de_json({"update_id": 1, kind: message}, bot))
    return made


@pytest.mark.parametrize(("cheap", "composed"), PAIRS, ids=lambda f: str(f))
def test_same_answer_as_ptb(cheap: filters.BaseFilter, composed: filters.BaseFilter) -> None:
    answers = [(bool(cheap.check_update(u)), bool(composed.check_update(u))) for u in updates()]
    assert all(ours == theirs for ours, theirs in answers), answers
    assert any(ours for ours, _ in answers) and not all(ours for ours, _ in answers)
