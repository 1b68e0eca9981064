"""Joining, join requests and invite links, with Telegram's limits and updates."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden

from emulator import Emulator, EmulatorError

from .conftest import START, Cast


async def test_invite_link_member_limit_and_chat_member_update(
    bot: Bot, emu: Emulator, cast: Cast
) -> None:
    emu.allowed_updates = ["message", "chat_member"]
    link = await bot.create_chat_invite_link(cast.group.id, name="Welcome", member_limit=1)
    assert link.invite_link.startswith("https://t.me/+")
    assert len(link.invite_link) > len("https://t.me/+") + 12
    assert (link.name, link.member_limit, link.creates_join_request) == ("Welcome", 1, False)
    zawadi = emu.add_user("Zawadi")
    emu.join(cast.group, zawadi, invite_link=link.invite_link)
    updates = emu.take_updates()
    change = next(u["chat_member"] for u in updates if "chat_member" in u)
    assert change["invite_link"]["invite_link"] == link.invite_link
    assert change["new_chat_member"]["status"] == "member"
    joined = next(u["message"] for u in updates if "message" in u)
    assert joined["new_chat_members"][0]["id"] == zawadi.id
    with pytest.raises(EmulatorError, match="member limit"):
        emu.join(cast.group, emu.add_user("Late"), invite_link=link.invite_link)


async def test_expired_and_revoked_links(bot: Bot, emu: Emulator, cast: Cast) -> None:
    expiring = await bot.create_chat_invite_link(cast.group.id, expire_date=int(START) + 60)
    revoked = await bot.create_chat_invite_link(cast.group.id)
    result = await bot.revoke_chat_invite_link(cast.group.id, revoked.invite_link)
    assert result.is_revoked
    emu.advance(61)
    with pytest.raises(EmulatorError, match="expired"):
        emu.join(cast.group, emu.add_user("A"), invite_link=expiring.invite_link)
    with pytest.raises(EmulatorError, match="revoked"):
        emu.join(cast.group, emu.add_user("B"), invite_link=revoked.invite_link)
    edited = await bot.edit_chat_invite_link(
        cast.group.id, expiring.invite_link, expire_date=int(emu.now()) + 600
    )
    assert edited.expire_date is not None
    emu.join(cast.group, emu.add_user("C"), invite_link=expiring.invite_link)


async def test_primary_link_export(bot: Bot, emu: Emulator, cast: Cast) -> None:
    first = await bot.export_chat_invite_link(cast.group.id)
    second = await bot.export_chat_invite_link(cast.group.id)
    assert first != second
    assert (await bot.get_chat(cast.group.id)).invite_link == second
    assert [link.is_revoked for link in emu.invite_links(cast.group)] == [True, False]


async def test_join_request_flow_with_dm_window(bot: Bot, emu: Emulator, cast: Cast) -> None:
    link = await bot.create_chat_invite_link(cast.group.id, creates_join_request=True)
    zawadi = emu.add_user("Zawadi", language_code="sw")
    assert emu.open_link(zawadi, link.invite_link) == "requested"
    [update] = emu.take_updates()
    request = update["chat_join_request"]
    assert request["user_chat_id"] == zawadi.id
    assert request["invite_link"]["creates_join_request"] is True
    assert emu.join_requests(cast.group)[0].user_id == zawadi.id
    await bot.send_message(zawadi.id, "Before you join: please read our rules.")
    emu.advance(301)
    with pytest.raises(Forbidden, match="initiate conversation"):
        await bot.send_message(zawadi.id, "too late")
    assert await bot.approve_chat_join_request(cast.group.id, zawadi.id)
    assert emu.member(cast.group, zawadi).status == "member"
    with pytest.raises(BadRequest, match="User_already_participant"):
        await bot.approve_chat_join_request(cast.group.id, zawadi.id)


async def test_group_requiring_requests(bot: Bot, emu: Emulator, cast: Cast) -> None:
    closed = emu.add_group("Closed", owner=cast.amina, join_by_request=True)
    emu.add_bot_to_group(closed, by=cast.amina)
    emu.take_updates()
    with pytest.raises(EmulatorError, match="join requests"):
        emu.join(closed, cast.juma)
    emu.request_join(closed, cast.juma, bio="Hi")
    with pytest.raises(EmulatorError, match="already asked"):
        emu.request_join(closed, cast.juma)
    [update] = emu.take_updates()
    assert update["chat_join_request"]["bio"] == "Hi"
    assert await bot.decline_chat_join_request(closed.id, cast.juma.id)
    with pytest.raises(BadRequest, match="Hide_requester_missing"):
        await bot.decline_chat_join_request(closed.id, cast.juma.id)


async def test_join_request_needs_bot_rights_for_update(emu: Emulator, cast: Cast) -> None:
    closed = emu.add_group("Closed", owner=cast.amina, join_by_request=True)
    emu.add_bot_to_group(closed, by=cast.amina, as_admin=False)
    emu.take_updates()
    emu.request_join(closed, cast.juma)
    assert emu.take_updates() == []


async def test_deep_links_and_leaving(emu: Emulator, cast: Cast) -> None:
    assert emu.open_link(cast.juma, "https://t.me/PamojaBot?start=grp_42") == "started"
    [update] = emu.take_updates()
    message = update["message"]
    assert message["text"] == "/start grp_42"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    emu.leave(cast.group, cast.juma)
    [left] = emu.take_updates()
    assert left["message"]["left_chat_member"]["id"] == cast.juma.id
    with pytest.raises(EmulatorError):
        emu.open_link(cast.juma, "https://example.org")


async def test_adding_the_bot_sends_my_chat_member(emu: Emulator, cast: Cast) -> None:
    other = emu.add_group("Other", owner=cast.amina)
    emu.add_bot_to_group(
        other, by=cast.amina, as_admin=True, rights={"can_delete_messages": False}
    )
    updates = emu.take_updates()
    mine = updates[0]["my_chat_member"]
    assert (mine["old_chat_member"]["status"], mine["new_chat_member"]["status"]) == (
        "left",
        "administrator",
    )
    assert mine["new_chat_member"]["can_delete_messages"] is False
    assert updates[1]["message"]["new_chat_members"][0]["id"] == emu.bot.id
    emu.set_bot_rights(other, can_delete_messages=True)
    [promoted] = emu.take_updates()
    assert promoted["my_chat_member"]["new_chat_member"]["can_delete_messages"] is True
    with pytest.raises(EmulatorError):
        emu.add_bot_to_group(other, by=cast.juma)
