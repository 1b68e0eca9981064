"""Realistic group traffic for the benchmark: updates as Telegram sends them (JSON dicts).

A mix of plain messages, links (with Telegram's own ``url`` entities), replies to an earlier
message, several languages (English, Kiswahili, Sheng, none given), from members the bot
already knows and from visitors it has never seen (new ones in every round).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

GROUPS = 40
MEMBERS_PER_GROUP = 125  # about the size of the USP-K virtual group
FIRST_GROUP_ID = -1001000000000
FIRST_USER_ID = 500_000
FIRST_VISITOR_ID = 9_000_000
VISITOR_SHARE = 0.02  # messages from people the bot has not seen before (new in every round)
REPLY_SHARE = 0.2
LANGUAGES = ("en", "en", "sw", "sw", "en-GB", None)

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
    "Niko poa leo, mambo ni sawa kiasi",
    "Same here, you are not alone in this",
    "Me too 🙏",
)
LINKS = (
    "This article on sleep and mood helped me https://www.who.int/news-room/fact-sheets",
    "The podcast I mentioned: https://example.org/episodes/hope-12",
    "Makala hii kuhusu msongo wa mawazo ni nzuri https://www.health.go.ke/mental-health",
)
LINK_SHARE = 0.08


def _link_entity(text: str) -> dict[str, Any]:
    start = text.index("https://")
    end = text.find(" ", start)
    end = len(text) if end < 0 else end
    # Telegram counts UTF-16 code units; these texts are ASCII up to the link
    return {"type": "url", "offset": start, "length": end - start}


def group_message(
    rng: random.Random,
    update_id: int,
    message_id: int,
    chat: int,
    user: int,
    reply_to: int | None = None,
) -> dict[str, Any]:
    sender: dict[str, Any] = {"id": user, "is_bot": False, "first_name": f"Member{user}"}
    language = rng.choice(LANGUAGES)
    if language is not None:
        sender["language_code"] = language
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": 1_790_000_000 + update_id,
        "chat": {"id": chat, "type": "supergroup", "title": f"Peer group {chat}"},
        "from": sender,
    }
    if rng.random() < LINK_SHARE:
        message["text"] = rng.choice(LINKS)
        message["entities"] = [_link_entity(message["text"])]
    else:
        message["text"] = rng.choice(LINES)
    if reply_to is not None:
        message["reply_to_message"] = {
            "message_id": reply_to,
            "date": 1_790_000_000 + update_id - 60,
            "chat": message["chat"],
            "from": {"id": user + 1, "is_bot": False, "first_name": f"Member{user + 1}"},
            "text": rng.choice(LINES),
        }
    return {"update_id": update_id, "message": message}


def updates(count: int, seed: int = 7, round_no: int = 0) -> Iterator[dict[str, Any]]:
    """``count`` group messages spread over many groups and members; ``round_no`` picks the
    round's own visitors (people the bot has not seen in earlier rounds)."""
    rng = random.Random(seed)
    message_ids = dict.fromkeys(range(GROUPS), round_no * count)
    first_visitor = FIRST_VISITOR_ID + round_no * count
    for update_id in range(1, count + 1):
        group = rng.randrange(GROUPS)
        message_ids[group] += 1
        if rng.random() < VISITOR_SHARE:
            member = first_visitor + update_id
        else:
            member = FIRST_USER_ID + group * MEMBERS_PER_GROUP + rng.randrange(MEMBERS_PER_GROUP)
        earlier = message_ids[group] - 1
        reply_to = (
            earlier - rng.randrange(min(earlier, 20))
            if earlier and (rng.random() < REPLY_SHARE)
            else None
        )
        yield group_message(
            rng, update_id, message_ids[group], FIRST_GROUP_ID - group, member, reply_to
        )


def known_members() -> Iterator[tuple[int, int]]:
    """Every (group chat id, member id) the bot is taught before the rounds."""
    for group in range(GROUPS):
        for index in range(MEMBERS_PER_GROUP):
            yield FIRST_GROUP_ID - group, FIRST_USER_ID + group * MEMBERS_PER_GROUP + index
