"""Realistic group traffic for the benchmark: updates as Telegram sends them (JSON dicts)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

GROUPS = 40
MEMBERS_PER_GROUP = 125  # about the size of the USP-K virtual group
FIRST_GROUP_ID = -1001000000000
FIRST_USER_ID = 500_000

# Everyday peer-support messages (no one is soliciting here; a few mention prices or numbers).
LINES = (
    "Good morning everyone, how did you sleep?",
    "Habari za asubuhi wapendwa, mmeamkaje?",
    "I had a rough night, the voices were loud again but I'm still here",
    "Thank you all for yesterday, I felt heard for the first time in weeks",
    "Does anyone else feel tired after changing medication? Asking for myself",
    "Nimechoka sana leo, lakini nashukuru kwa kikundi hiki",
    "Remember to drink water and eat something today 💛",
    "I went for a walk like someone suggested and it helped a little",
    "My family still doesn't understand but I'm trying to explain",
    "Tomorrow is the monthly meeting at 2pm, see you there",
    "I paid 500 bob for transport to the clinic, it's so expensive now",
    "Sending hugs to whoever needs them tonight",
    "Leo nimefanikiwa kutoka nje ya nyumba, hatua ndogo lakini muhimu",
    "Befrienders Kenya 0722 178 177 helped me when I was low, just sharing",
    "I don't want to be here anymore, everything feels heavy",
    "Asante kwa kunisikiliza jana usiku",
)


def group_message(
    rng: random.Random, update_id: int, message_id: int, chat: int, user: int
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1_790_000_000 + update_id,
            "chat": {"id": chat, "type": "supergroup", "title": f"Peer group {chat}"},
            "from": {
                "id": user,
                "is_bot": False,
                "first_name": f"Member{user}",
                "language_code": rng.choice(("en", "sw")),
            },
            "text": rng.choice(LINES),
        },
    }


def updates(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``count`` group messages spread over many groups and members."""
    rng = random.Random(seed)
    message_ids = dict.fromkeys(range(GROUPS), 0)
    for update_id in range(1, count + 1):
        group = rng.randrange(GROUPS)
        message_ids[group] += 1
        member = FIRST_USER_ID + group * MEMBERS_PER_GROUP + rng.randrange(MEMBERS_PER_GROUP)
        yield group_message(rng, update_id, message_ids[group], FIRST_GROUP_ID - group, member)
