"""Bad input never crashes a handler or stalls the bot: a property-based fuzz of updates.

Hypothesis generates well-formed but hostile updates — malformed and oversized text, odd
unicode, every command with hostile arguments (20-digit ids, numbers just past SQLite's range),
deep links and button data with them, garbage button data, edits, forwards, anonymous admins,
posts on behalf of channels, channel posts and update kinds the bot never asked for, updates
python-telegram-bot cannot read, joins and leaves, time passing — and drives the real
Application (every handler, real SQLite) with them through the emulator.

It asserts 0 unhandled errors (nothing but a deliberate kind refusal reaches the error
handler; nothing logs an ERROR) and 0 stalls, and prints the figures in every run::

    .venv/bin/python -m pytest -q -s tests/reliability/test_fuzz.py

``PAMOJA_FUZZ_UPDATES`` sets how many updates at least (default 10,000, about a minute or
two here); ``PAMOJA_FUZZ_UPDATES=100000`` is the long run.
"""

from __future__ import annotations

import asyncio
import os
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.timeutil import ManualClock
from emulator import DEFAULT_TOKEN
from tests.conftest import make_settings
from tests.reliability.fuzzing import BIG, Fuzz, report
from tests.support import Harness

TARGET = int(os.environ.get("PAMOJA_FUZZ_UPDATES", "10000"))
BATCH = 50

# -- text ------------------------------------------------------------------------------------

ODD = [
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\ufeff",  # byte-order mark
    "\u0301\u0301\u0301",  # combining accents with nothing to sit on
    "👩🏽‍⚕️",  # an emoji made of a ZWJ sequence
    "🏳️‍🌈",
    "\U0001f600" * 3,
    "ﷺ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Z̷̢̛̞a̸l̵g̷o̴",
    "<b>not html</b>",
    "&amp; &lt; &",
    "<a href='tg://user?id=1'>x</a>",
    "@",
    "/",
    "//",
    "\t\n\r",
    "\x01\x7f",
    "ñ",
    "ß",
    "İ",
    "ǅ",
]

unicode_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80
)
odd_text = st.lists(st.sampled_from(ODD) | unicode_text, min_size=1, max_size=6).map("".join)
oversized = st.builds(
    lambda chunk, n: (chunk * n)[:4096],
    st.sampled_from(["a", "ü", "😀", "word ", "1"]),
    st.integers(1000, 4096),
)
numbers = (
    st.sampled_from(BIG)
    | st.sampled_from(BIG)
    | st.integers(-(2**70), 2**70).map(str)
    | st.integers(-5, 5).map(str)
)
words = st.sampled_from(
    [
        "on",
        "off",
        "yes",
        "no",
        "all",
        "history",
        "historia",
        "sw",
        "en",
        "1",
        "0",
        "-1",
        "1d",
        "30m",
        "999999999d",
        "2w",
        "@amina_w",
        "@nobody",
        "@",
        "reason",
        "me",
        "cancel",
        "",
    ]
)


def command_text(commands: list[str], ids: list[int]) -> st.SearchStrategy[str]:
    argument = numbers | words | odd_text | st.sampled_from(ids).map(str) | oversized
    return st.builds(
        lambda name, mention, args: f"/{name}{mention} {' '.join(args)}".strip()[:4096],
        st.sampled_from(commands),
        st.sampled_from(["", "", "@PamojaBot", "@OtherBot"]),
        st.lists(argument, max_size=4),
    )


def message_text(commands: list[str], ids: list[int]) -> st.SearchStrategy[str]:
    return (
        command_text(commands, ids)
        | command_text(commands, ids)
        | command_text(commands, ids)
        | command_text(commands, ids)
        | odd_text
        | unicode_text
        | oversized
        | numbers
    ).filter(lambda text: text.strip() != "" and len(text) <= 4096)


def payloads(keys: list[str]) -> st.SearchStrategy[str]:
    allowed = string.ascii_letters + string.digits + "_-"
    tails = st.sampled_from(
        [n.lstrip("-") for n in BIG] + ["-100123", "0", "-1", "abc", ""]
    ) | st.text(alphabet=allowed, max_size=30)
    return st.builds(
        lambda key, tail: (key + tail)[:64], st.sampled_from([*keys, "x", "rules", "-"]), tails
    ).filter(lambda p: 1 <= len(p) <= 64 and all(c in allowed for c in p))


button_data = (
    st.builds(
        lambda feature, verb, args: ":".join([feature, verb, *args]),
        st.sampled_from(["rules", "circle", "talk", "moderation", "groups", "language", "x", ""]),
        st.sampled_from(
            ["agree", "show", "accept", "decline", "approve", "pick", "yes", "no", "set", "x"]
        ),
        st.lists(numbers | words, max_size=4),
    )
    | st.text(max_size=30)
    | st.just("")
).map(lambda data: data.encode()[:64].decode(errors="ignore"))

# -- raw updates (kinds the bot never asked for, shapes it cannot read) ---------------------


def _message(chat: str, **fields: Any) -> dict[str, Any]:
    return {"message_id": 999_999, "date": "$now", "chat": chat, **fields}


RAW = [
    (
        "channel_post",
        {
            "message_id": 1,
            "date": "$now",
            "chat": {"id": -1009999, "title": "News", "type": "channel"},
            "text": "/start",
        },
    ),
    (
        "edited_channel_post",
        {
            "message_id": 1,
            "date": "$now",
            "edit_date": "$now",
            "chat": {"id": -1009999, "title": "News", "type": "channel"},
            "text": "/rules",
        },
    ),
    (
        "message_reaction",
        {
            "chat": "$group0",
            "message_id": 1,
            "user": "$user2",
            "date": "$now",
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    ),
    ("inline_query", {"id": "7", "from": "$user1", "query": "99999999999999999999", "offset": ""}),
    (
        "chat_boost",
        {
            "chat": "$group0",
            "boost": {
                "boost_id": "b",
                "add_date": 1,
                "expiration_date": 2,
                "source": {"source": "premium", "user": "$user0"},
            },
        },
    ),
    ("some_future_update", {"whatever": [1, 2, 3], "user": "$user0"}),
    # A press on a message sent "via" the bot inline: no message, an inline_message_id.
    *[
        (
            "callback_query",
            {
                "id": "c1",
                "from": "$user2",
                "chat_instance": "1",
                "inline_message_id": "AAA",
                "data": data,
            },
        )
        for data in (
            "rules:agree:{group0}:{user2}",
            "rules:show:{group0}",
            "rules:join:1",
            "talk:kind:{group0}:admin",
            "circle:accept:1",
        )
    ],
    (
        "chat_join_request",
        {
            "chat": "$group0",
            "from": "$user4",
            "user_chat_id": 99999999999999999,
            "date": "$now",
        },
    ),
    (
        "my_chat_member",
        {
            "chat": "$group1",
            "from": "$user0",
            "date": "$now",
            "old_chat_member": {
                "status": "administrator",
                "user": "$bot",
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            },
            "new_chat_member": {"status": "member", "user": "$bot"},
        },
    ),
    ("message", _message("$group0", **{"from": "$user2", "text": "hi", "future_field": {"x": 1}})),
    (
        "message",
        _message(
            "$group0",
            **{
                "from": "$user2",
                "via_bot": {"id": 99, "is_bot": True, "first_name": "Other"},
                "text": "/report 99999999999999999999",
            },
        ),
    ),
    (
        "message",
        _message(
            "$group0",
            **{"from": {"id": 424242, "is_bot": True, "first_name": "SomeBot"}, "text": "/setup"},
        ),
    ),
    (
        "message",
        _message(
            {"id": -1009999, "title": "News", "type": "channel"},
            sender_chat={"id": -1009999, "title": "News", "type": "channel"},
            text="/talk",
        ),
    ),
    ("message", _message("$group1", **{"from": "$user3", "new_chat_members": ["$user3"]})),
    (
        "message",
        {"message_id": 5, "date": "$now", "chat": {"id": 1, "type": "sender"}, "text": "x"},
    ),
    # Shapes python-telegram-bot cannot read (a field's type changed in a newer Bot API):
    ("message", {"message_id": 6, "date": "$now", "chat": "a string, not a chat", "text": "hi"}),
    (
        "callback_query",
        {"id": "1", "from": "$user0", "chat_instance": "1", "data": "x", "message": 7},
    ),
    (
        "chat_member",
        {
            "chat": "$group0",
            "from": "$user0",
            "date": "$now",
            "old_chat_member": {"status": "member", "user": "$user2"},
            "new_chat_member": "kicked",
        },
    ),
]

# -- actions ----------------------------------------------------------------------------------


def actions(
    commands: list[str], keys: list[str], ids: list[int]
) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    who = st.integers(0, 4) | st.integers(0, 4) | st.integers(0, 40)
    where = st.integers(0, 2)
    text = message_text(commands, ids)
    small = st.integers(0, 1000)
    command = command_text(commands, ids)
    return st.one_of(
        # An administrator's command in the group (replying to someone, or naming them) and
        # anyone's command privately: where hostile arguments meet the most code.
        st.fixed_dictionaries(
            {
                "who": st.integers(0, 1),
                "where": st.just(1),
                "text": command,
                "reply": st.none() | small,
                "anonymous": st.just(False),
                "extra": st.just({}),
            }
        ).map(lambda a: ("say", a)),
        st.fixed_dictionaries(
            {
                "who": st.integers(0, 4),
                "where": st.integers(0, 2),
                "text": command,
                "reply": st.none(),
                "anonymous": st.just(False),
                "extra": st.just({}),
            }
        ).map(lambda a: ("say", a)),
        st.fixed_dictionaries(
            {
                "who": who,
                "where": where,
                "text": text,
                "reply": st.none() | small,
                "anonymous": st.booleans(),
                "extra": st.just({})
                | st.sampled_from(
                    [{"is_automatic_forward": True}, {"quote": {"text": "x", "position": 0}}]
                ),
            }
        ).map(lambda a: ("say", a)),
        st.fixed_dictionaries(
            {
                "who": who,
                "where": where,
                "text": text,
                "reply": st.none(),
                "anonymous": st.just(False),
                "extra": st.just({}),
            }
        ).map(lambda a: ("say", a)),
        st.fixed_dictionaries({"pick": small, "text": text}).map(lambda a: ("edit", a)),
        st.fixed_dictionaries(
            {
                "who": who,
                "where": where,
                "kind": st.sampled_from(["photo", "sticker", "voice", "document"]),
                "caption": st.just("") | text,
                "name": odd_text,
            }
        ).map(lambda a: ("media", a)),
        st.fixed_dictionaries(
            {
                "who": who,
                "where": where,
                "text": text,
                "origin": st.none() | who,
                "hidden": st.sampled_from(["", "Jane Doe"]),
            }
        ).map(lambda a: ("forward", a)),
        st.fixed_dictionaries(
            {
                "group": st.integers(0, 1),
                "channel_id": st.sampled_from([-1001111, -1009999999999, -(10**18)]),
                "title": odd_text,
                "text": text,
            }
        ).map(lambda a: ("channel", a)),
        st.fixed_dictionaries(
            {"who": who, "where": where, "pick": small, "data": button_data}
        ).map(lambda a: ("press", a)),
        st.fixed_dictionaries(
            {"who": who, "where": where, "pick": small, "data": st.just("")}
        ).map(lambda a: ("press", a)),
        st.fixed_dictionaries({"who": who, "payload": st.none() | payloads(keys)}).map(
            lambda a: ("start", a)
        ),
        st.fixed_dictionaries({"who": who, "payload": payloads(keys)}).map(lambda a: ("link", a)),
        st.fixed_dictionaries(
            {"group": st.integers(0, 1), "first_name": odd_text, "agree": st.booleans()}
        ).map(lambda a: ("join", a)),
        st.fixed_dictionaries({"who": who, "group": st.integers(0, 1)}).map(
            lambda a: ("leave", a)
        ),
        st.fixed_dictionaries({"who": who, "group": st.integers(0, 1)}).map(
            lambda a: ("request", a)
        ),
        st.fixed_dictionaries({"who": who, "unblock": st.booleans()}).map(lambda a: ("block", a)),
        st.sampled_from(RAW).map(lambda r: ("raw", {"kind": r[0], "payload": r[1]})),
        st.fixed_dictionaries(
            {"seconds": st.sampled_from([30, 600, 3600, 86_400, 8 * 86_400])}
        ).map(lambda a: ("advance", a)),
    )


def test_fuzzed_updates_never_crash_or_stall(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    loop = asyncio.new_event_loop()
    clock = ManualClock(start=1_790_000_000)
    harness = Harness(make_settings(tmp_path, telegram_token=DEFAULT_TOKEN), clock)
    harness.emu.privacy_mode = False  # the bot sees every group message, as an admin does
    fuzz = Fuzz(harness)
    loop.run_until_complete(fuzz.setup())
    examples = max(1, TARGET // BATCH) * 2  # updates per action vary: stop at TARGET

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # one shared world: shrinking cannot replay it
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.lists(
            actions(fuzz.commands, fuzz.payload_keys, fuzz.ids()), min_size=BATCH, max_size=BATCH
        )
    )
    def run(batch: list[tuple[str, dict[str, Any]]]) -> None:
        if fuzz.figures.updates >= TARGET:
            return
        for action in batch:
            loop.run_until_complete(fuzz.play(action))

    try:
        run()
    finally:
        fuzz.count_unreadable()
        figures = fuzz.figures
        loop.run_until_complete(fuzz.close())
        loop.close()
        report(request.config, f"\n{figures.line()}")
        for seen in sorted(set(figures.seen)):
            report(request.config, f"  {seen}")
    assert figures.updates >= TARGET
    assert figures.unreadable > 0  # the fuzz did send some
    assert (figures.errors, figures.stalls, figures.withheld) == (0, 0, 0)
    assert fuzz.error_lines() == []
