"""Restrictions and bans follow Telegram's rules, including 'forever' and expiry by clock."""

from __future__ import annotations

import pytest
from telegram import Bot, ChatMemberBanned, ChatMemberMember, ChatMemberRestricted, ChatPermissions

from emulator import Emulator, EmulatorError

from .conftest import START, Cast

MUTE = ChatPermissions.no_permissions()
HOUR = 3600


async def test_restriction_with_until_date_lapses_with_the_clock(
    bot: Bot, emu: Emulator, cast: Cast
) -> None:
    until = int(START) + 2 * HOUR
    assert await bot.restrict_chat_member(cast.group.id, cast.juma.id, MUTE, until_date=until)
    member = await bot.get_chat_member(cast.group.id, cast.juma.id)
    assert isinstance(member, ChatMemberRestricted)
    assert member.is_member
    assert not member.can_send_messages
    assert emu.member(cast.group, cast.juma).until_date == until
    assert not emu.can_post(cast.group, cast.juma)
    with pytest.raises(EmulatorError):
        emu.send(cast.group, cast.juma, "let me speak")
    emu.advance(2 * HOUR)
    assert isinstance(await bot.get_chat_member(cast.group.id, cast.juma.id), ChatMemberMember)
    assert emu.can_post(cast.group, cast.juma)
    assert "restricted Juma Otieno until 2026-09-21 16:13 UTC" in emu.transcript()


@pytest.mark.parametrize("offset", [0, 10, 29, 367 * 24 * HOUR])
async def test_until_date_forever_rules(bot: Bot, emu: Emulator, cast: Cast, offset: int) -> None:
    until = int(START) + offset if offset else 0
    await bot.restrict_chat_member(cast.group.id, cast.juma.id, MUTE, until_date=until)
    assert emu.member(cast.group, cast.juma).until_date == 0
    emu.advance(400 * 24 * HOUR)
    assert emu.member(cast.group, cast.juma).status == "restricted"
    assert "restricted Juma Otieno forever" in emu.transcript()


async def test_all_true_permissions_make_a_plain_member(
    bot: Bot, emu: Emulator, cast: Cast
) -> None:
    await bot.restrict_chat_member(cast.group.id, cast.juma.id, MUTE)
    await bot.restrict_chat_member(cast.group.id, cast.juma.id, ChatPermissions.all_permissions())
    assert emu.member(cast.group, cast.juma).status == "member"
    assert "lifted the restrictions on Juma Otieno" in emu.transcript()


async def test_dependent_permissions_imply_sending(bot: Bot, emu: Emulator, cast: Cast) -> None:
    await bot.restrict_chat_member(
        cast.group.id, cast.juma.id, ChatPermissions(can_send_other_messages=True)
    )
    dependent = emu.member(cast.group, cast.juma).permissions
    assert dependent is not None
    assert dependent.can_send_messages
    assert dependent.can_send_photos
    await bot.restrict_chat_member(
        cast.group.id,
        cast.juma.id,
        ChatPermissions(can_send_other_messages=True),
        use_independent_chat_permissions=True,
    )
    independent = emu.member(cast.group, cast.juma).permissions
    assert independent is not None
    assert not independent.can_send_messages
    assert emu.can_post(cast.group, cast.juma, "sticker")
    assert not emu.can_post(cast.group, cast.juma, "text")


async def test_restricting_someone_outside_the_group(bot: Bot, emu: Emulator, cast: Cast) -> None:
    outsider = emu.add_user("Outsider")
    await bot.restrict_chat_member(cast.group.id, outsider.id, MUTE)
    member = emu.member(cast.group, outsider)
    assert (member.status, member.is_member) == ("restricted", False)
    emu.join(cast.group, outsider)
    assert emu.member(cast.group, outsider).is_member
    assert not emu.can_post(cast.group, outsider)


async def test_ban_unban_and_rejoin(bot: Bot, emu: Emulator, cast: Cast) -> None:
    said = emu.send(cast.group, cast.juma, "spam")
    until = int(START) + 24 * HOUR
    assert await bot.ban_chat_member(
        cast.group.id, cast.juma.id, until_date=until, revoke_messages=True
    )
    banned = await bot.get_chat_member(cast.group.id, cast.juma.id)
    assert isinstance(banned, ChatMemberBanned)
    assert emu.message(cast.group, said).deleted  # type: ignore[union-attr]
    with pytest.raises(EmulatorError, match="banned"):
        emu.join(cast.group, cast.juma)
    assert await bot.unban_chat_member(cast.group.id, cast.juma.id)
    assert emu.member(cast.group, cast.juma).status == "left"
    emu.join(cast.group, cast.juma)
    assert emu.member(cast.group, cast.juma).status == "member"


async def test_ban_expires(bot: Bot, emu: Emulator, cast: Cast) -> None:
    await bot.ban_chat_member(cast.group.id, cast.juma.id, until_date=int(START) + HOUR)
    emu.advance(HOUR + 1)
    assert emu.member(cast.group, cast.juma).status == "left"
    emu.join(cast.group, cast.juma)


async def test_unban_removes_members_unless_only_if_banned(
    bot: Bot, emu: Emulator, cast: Cast
) -> None:
    assert await bot.unban_chat_member(cast.group.id, cast.neema.id, only_if_banned=True)
    assert emu.member(cast.group, cast.neema).status == "member"
    assert await bot.unban_chat_member(cast.group.id, cast.neema.id)
    assert emu.member(cast.group, cast.neema).status == "left"


async def test_chat_permissions(bot: Bot, emu: Emulator, cast: Cast) -> None:
    assert await bot.set_chat_permissions(cast.group.id, ChatPermissions(can_send_messages=True))
    assert not emu.can_post(cast.group, cast.juma, "photo")
    assert emu.can_post(cast.group, cast.juma, "text")
    with pytest.raises(Exception, match="Chat_not_modified"):
        await bot.set_chat_permissions(cast.group.id, ChatPermissions(can_send_messages=True))


async def test_member_updates_reach_admin_bot(emu: Emulator, bot: Bot, cast: Cast) -> None:
    emu.allowed_updates = ["message", "chat_member", "my_chat_member"]
    await bot.ban_chat_member(cast.group.id, cast.juma.id)
    updates = emu.take_updates()
    change = next(u["chat_member"] for u in updates if "chat_member" in u)
    assert change["old_chat_member"]["status"] == "member"
    assert change["new_chat_member"]["status"] == "kicked"
    assert change["from"]["id"] == emu.bot.id
