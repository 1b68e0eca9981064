"""Forum topics and polls, as Telegram has them."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from emulator import Emulator, EmulatorError

from .conftest import Cast


async def test_topic_messages_carry_their_thread(bot: Bot, emu: Emulator, cast: Cast) -> None:
    topic = emu.create_topic(cast.group, "Monthly circle", by=cast.amina)
    created = emu.take_updates()[-1]["message"]
    assert created["forum_topic_created"]["name"] == "Monthly circle"
    assert created["chat"]["is_forum"] is True
    first = emu.send(cast.group, cast.juma, "hello everyone", thread_id=topic)
    update = emu.take_updates()[-1]["message"]
    assert (update["message_thread_id"], update["is_topic_message"]) == (topic, True)
    posted = await bot.send_message(cast.group.id, "Welcome", message_thread_id=topic)
    assert posted.message_thread_id == topic and posted.is_topic_message
    reply = await bot.send_message(cast.group.id, "Thanks", reply_to_message_id=first)
    assert reply.message_thread_id == topic  # a reply stays in its topic
    with pytest.raises(BadRequest, match="thread not found"):
        await bot.send_message(cast.group.id, "x", message_thread_id=topic + 999)
    with pytest.raises(EmulatorError, match="not an administrator"):
        emu.create_topic(cast.group, "Mine", by=cast.juma)


async def test_anonymous_poll_counts_and_stop(bot: Bot, emu: Emulator, cast: Cast) -> None:
    message = await bot.send_poll(cast.group.id, "Adopt the new rules?", ["Yes", "No"])
    assert message.poll is not None and message.poll.is_anonymous
    emu.vote(cast.group, cast.juma, message.message_id, 0)
    emu.vote(cast.group, cast.neema, message.message_id, 1)
    with pytest.raises(EmulatorError, match="already voted"):
        emu.vote(cast.group, cast.juma, message.message_id, 1)
    polls = [u["poll"] for u in emu.take_updates() if "poll" in u]
    assert [p["total_voter_count"] for p in polls] == [1, 2]
    assert not any("poll_answer" in u for u in emu.take_updates())  # anonymous: no voter named
    stopped = await bot.stop_poll(cast.group.id, message.message_id)
    assert stopped.is_closed and [o.voter_count for o in stopped.options] == [1, 1]
    with pytest.raises(BadRequest, match="already been closed"):
        await bot.stop_poll(cast.group.id, message.message_id)
    with pytest.raises(EmulatorError, match="closed"):
        emu.vote(cast.group, cast.amina, message.message_id, 0)
    with pytest.raises(BadRequest, match="at least 2"):
        await bot.send_poll(cast.group.id, "One?", ["Only"])
