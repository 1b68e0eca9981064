"""Updates: what the bot receives (privacy mode, allowed_updates) and long polling."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Conflict

from emulator import Emulator, EmulatorError

from .conftest import Cast


def kinds(updates: list[dict[str, object]]) -> list[str]:
    return [next(k for k in u if k != "update_id") for u in updates]


async def test_privacy_mode_for_a_non_admin_bot(emu: Emulator, cast: Cast) -> None:
    emu.demote(cast.group, emu.bot)
    emu.take_updates()
    bot_said = emu.send(cast.group, cast.amina, "just chatting")
    assert emu.take_updates() == []
    emu.send(cast.group, cast.juma, "/help@PamojaBot please")
    emu.send(cast.group, cast.juma, "/help@OtherBot")
    emu.send(cast.group, cast.juma, "/rules")
    texts = [u["message"]["text"] for u in emu.take_updates()]
    assert texts == ["/help@PamojaBot please", "/rules"]
    assert bot_said > 0
    emu.privacy_mode = False
    emu.send(cast.group, cast.juma, "anything")
    assert len(emu.take_updates()) == 1


async def test_replies_to_the_bot_pass_privacy_mode(bot: Bot, emu: Emulator, cast: Cast) -> None:
    sent = await bot.send_message(cast.group.id, "How are you all?")
    emu.demote(cast.group, emu.bot)
    emu.take_updates()
    emu.send(cast.group, cast.juma, "fine", reply_to=sent.message_id)
    [update] = emu.take_updates()
    assert update["message"]["reply_to_message"]["message_id"] == sent.message_id


async def test_admin_bot_sees_everything(emu: Emulator, cast: Cast) -> None:
    emu.send(cast.group, cast.juma, "hello @amina see https://example.org")
    [update] = emu.take_updates()
    types = [e["type"] for e in update["message"]["entities"]]
    assert types == ["mention", "url"]


async def test_anonymous_admin_messages(emu: Emulator, cast: Cast) -> None:
    emu.send(cast.group, cast.amina, "/ban", anonymous_admin=True)
    [update] = emu.take_updates()
    message = update["message"]
    assert message["from"]["id"] == 1087968824
    assert message["from"]["username"] == "GroupAnonymousBot"
    assert message["sender_chat"]["id"] == cast.group.id
    with pytest.raises(EmulatorError):
        emu.send(cast.group, cast.juma, "hi", anonymous_admin=True)


async def test_allowed_updates_default_excludes_chat_member(emu: Emulator, cast: Cast) -> None:
    emu.join(cast.group, emu.add_user("Zawadi"))
    assert kinds(emu.take_updates()) == ["message"]
    emu.allowed_updates = ["chat_member", "message"]
    emu.join(cast.group, emu.add_user("Baraka"))
    assert kinds(emu.take_updates()) == ["chat_member", "message"]
    emu.allowed_updates = []
    emu.join(cast.group, emu.add_user("Imani"))
    assert kinds(emu.take_updates()) == ["message"]


async def test_get_updates_remembers_allowed_updates(bot: Bot, emu: Emulator, cast: Cast) -> None:
    await bot.get_updates(allowed_updates=["chat_member"])
    emu.send(cast.group, cast.juma, "ignored")
    emu.join(cast.group, emu.add_user("Zawadi"))
    updates = await bot.get_updates()
    assert [u.chat_member is not None for u in updates] == [True]


async def test_updates_parse_with_ptb(bot: Bot, emu: Emulator, cast: Cast) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("I agree", callback_data="agree")]])
    sent = await bot.send_message(cast.group.id, "Rules", reply_markup=markup)
    emu.press(cast.juma, cast.group, sent.message_id, "agree")
    with pytest.raises(EmulatorError, match="no button"):
        emu.press(cast.juma, cast.group, sent.message_id, "admin")
    emu.press(cast.juma, cast.group, sent.message_id, "admin", forge=True)
    updates = [Update.de_json(u, bot) for u in emu.take_updates()]
    first, forged = (u.callback_query for u in updates)
    assert first is not None
    assert forged is not None
    assert (first.data, forged.data) == ("agree", "admin")
    assert first.message is not None
    assert first.message.message_id == sent.message_id
    assert await first.answer("Thanks!", show_alert=True)


async def test_long_polling_offset_and_limit(bot: Bot, emu: Emulator, cast: Cast) -> None:
    waiter = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not waiter.done()
    emu.send(cast.group, cast.juma, "wake up")
    updates = await asyncio.wait_for(waiter, 2)
    assert [u.message.text for u in updates if u.message] == ["wake up"]
    emu.send(cast.group, cast.juma, "two")
    emu.send(cast.group, cast.juma, "three")
    again = await bot.get_updates(offset=updates[-1].update_id + 1, limit=1)
    assert [u.message.text for u in again if u.message] == ["two"]
    rest = await bot.get_updates(offset=again[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_second_poller_terminates_the_first(bot: Bot, emu: Emulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first
    assert await second == ()


async def test_wait_idle_once_updates_are_fetched(bot: Bot, emu: Emulator, cast: Cast) -> None:
    emu.send(cast.group, cast.juma, "hello")
    with pytest.raises(TimeoutError):
        await emu.wait_idle(quiet=0.01, timeout=0.05)
    await bot.get_updates()
    await emu.wait_idle(quiet=0.05, timeout=1)


async def test_refused_person_actions(emu: Emulator, cast: Cast) -> None:
    with pytest.raises(EmulatorError, match="not started"):
        emu.send(cast.juma, cast.juma, "hi bot")
    outsider = emu.add_user("Outsider")
    with pytest.raises(EmulatorError, match="can't post"):
        emu.send(cast.group, outsider, "let me in")
    with pytest.raises(EmulatorError):
        emu.send(cast.group, cast.juma, "x", reply_to=9999)


async def test_every_update_kind_parses_with_ptb(bot: Bot, emu: Emulator, cast: Cast) -> None:
    emu.allowed_updates = ["message", "chat_member", "my_chat_member", "chat_join_request"]
    closed = emu.add_group("Closed", owner=cast.amina, join_by_request=True)
    emu.add_bot_to_group(closed, by=cast.amina)
    emu.request_join(closed, cast.juma)
    emu.join(cast.group, emu.add_user("Zawadi"))
    emu.leave(cast.group, cast.neema)
    emu.start_bot(cast.amina)
    emu.block_bot(cast.amina)
    emu.send_document(cast.group, cast.juma, "notes.txt", b"x", caption="/notes")
    raw = emu.take_updates()
    parsed = [Update.de_json(u, bot) for u in raw]
    assert all(
        p is not None and p.update_id == u["update_id"] for p, u in zip(parsed, raw, strict=True)
    )
    assert set(kinds(raw)) == {
        "message",
        "chat_member",
        "my_chat_member",
        "chat_join_request",
    }
    blocked = parsed[-2].my_chat_member
    assert blocked is not None
    assert blocked.new_chat_member.status == "kicked"
    assert parsed[-1].message is not None
    assert parsed[-1].message.document is not None


async def test_forwards_channel_senders_and_raw_updates(emu: Emulator, cast: Cast) -> None:
    emu.take_updates()
    emu.forward(cast.group, cast.juma, "passed on", origin=cast.amina)
    emu.forward(cast.group, cast.juma, "from a hidden account", hidden_name="Someone Else")
    emu.send_as_channel(cast.group, -1001234, "News", "posted as a channel")
    emu.send(
        cast.group,
        cast.juma,
        "via another bot",
        extra={"via_bot": {"id": 5, "is_bot": True, "first_name": "B"}},
    )
    updates = emu.take_updates()
    messages = [u["message"] for u in updates]
    assert messages[0]["forward_origin"]["type"] == "user"
    assert messages[0]["forward_origin"]["sender_user"]["id"] == cast.amina.id
    assert messages[1]["forward_origin"] == {
        "type": "hidden_user",
        "date": messages[1]["forward_origin"]["date"],
        "sender_user_name": "Someone Else",
    }
    assert messages[2]["from"]["username"] == "Channel_Bot"
    assert messages[2]["sender_chat"] == {"id": -1001234, "title": "News", "type": "channel"}
    assert messages[3]["via_bot"]["id"] == 5
    parsed = [Update.de_json(u, None) for u in updates]
    assert parsed[2].effective_message is not None
    assert parsed[2].effective_message.sender_chat is not None
    # Kinds the bot never asked for still arrive when queued before (deliver_raw).
    emu.allowed_updates = ["message"]
    update_id = emu.deliver_raw(
        "channel_post",
        {"message_id": 1, "date": 0, "chat": {"id": -1009, "type": "channel", "title": "C"}},
    )
    assert [u["update_id"] for u in emu.take_updates()] == [update_id]


async def test_bots_never_see_other_bots_messages(emu: Emulator, cast: Cast) -> None:
    other = emu.add_user("Helper", is_bot=True, username="helper_bot")
    emu.join(cast.group, other)
    emu.take_updates()
    emu.send(cast.group, other, "/rules")
    assert emu.take_updates() == []
