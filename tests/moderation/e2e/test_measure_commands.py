"""Moderation commands end to end: admins and non-admins, reply and id targets, durations."""

from __future__ import annotations

from bot.adapters.admins import ANONYMOUS_ADMIN_ID
from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def test_warn_by_reply_tells_member_and_shows_count_to_admins(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hello all")
    await harness.say(cast.group, cast.owner, "/warn please be kind", reply_to=said)
    await harness.say(cast.group, cast.owner, "/warn again", reply_to=said)
    assert "please be kind" in harness.said(cast.juma)[-2]
    assert "/appeal" in harness.said(cast.juma)[-1]
    assert "2 warnings so far" in harness.said(cast.owner)[-1]
    assert "2 warnings so far" in harness.said(cast.admin)[-1]
    assert "recorded" in harness.said(cast.group)[-1]
    # The group never sees the reason or the count.
    assert not any("please be kind" in text for text in harness.said(cast.group))
    assert (
        await harness.app.bot_data.store.moderation.warning_count(cast.group.id, cast.juma.id) == 2
    )
    # Warnings never escalate by themselves.
    assert harness.emu.member(cast.group, cast.juma).status == "member"


async def test_warn_by_id_of_unreachable_member_tells_admins(harness: Harness, cast: Cast) -> None:
    await harness.say(cast.group, cast.admin, f"/warn {cast.neema.id} off-topic selling")
    assert "could not tell them privately" in harness.said(cast.admin)[-1]
    warnings = await harness.app.bot_data.store.moderation.warnings(cast.group.id, cast.neema.id)
    assert [w.reason for w in warnings] == ["off-topic selling"]


async def test_non_admin_commands_are_refused_and_change_nothing(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.neema, "hi")
    for command in (
        "/warn rude",
        "/mute 1h",
        "/unmute",
        "/exclude 1d",
        "/readmit",
        "/solicitor",
        "/unblock",
        "/log",
        "/flagging off",
    ):
        await harness.say(cast.group, cast.juma, command, reply_to=said)
        assert "Only the group's administrators" in harness.said(cast.group)[-1], command
    for method in ("restrictChatMember", "banChatMember", "unbanChatMember"):
        assert harness.emu.calls_to(method) == [], method
    store = harness.app.bot_data.store
    assert await store.moderation.warning_count(cast.group.id, cast.neema.id) == 0
    group = await store.groups.get(cast.group.id)
    assert group is not None and group.flagging
    actions = [e.action for e in await store.audit.recent(cast.group.id)]
    assert not any(action.startswith("mod.") for action in actions)


async def test_mute_by_reply_and_unmute_by_id(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.juma, "something hurtful")
    await harness.say(cast.group, cast.owner, "/mute 1d12h cooling down", reply_to=said)
    member = harness.emu.member(cast.group, cast.juma)
    assert member.status == "restricted"
    assert member.until_date == harness.clock.epoch() + 36 * 3600
    assert not harness.emu.can_post(cast.group, cast.juma)
    assert "read-only for 1 day 12 hours" in harness.said(cast.group)[-1]
    assert "Juma" not in harness.said(cast.group)[-1]  # the group is not told who
    assert "cooling down" in harness.said(cast.juma)[-1]
    assert "/talk" in harness.said(cast.juma)[-1]
    await harness.say(cast.group, cast.admin, f"/unmute {cast.juma.id}")
    assert harness.emu.can_post(cast.group, cast.juma)
    assert "writing is possible again" in harness.said(cast.group)[-1]
    assert "write in Peer Group again" in harness.said(cast.juma)[-1]


async def test_bad_durations_get_clear_answers_and_nothing_is_sent(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    cases = {
        "/mute": "say for how long",
        "/mute forever": "could not read that length",
        "/mute 30": "could not read that length",
        "/mute 10s": "shortest is 1 minute",
        "/exclude 400d": "longest is 365 days",
        "/exclude 53w spam": "longest is 365 days",
    }
    for command, answer in cases.items():
        await harness.say(cast.group, cast.owner, command, reply_to=said)
        assert answer in harness.said(cast.group)[-1], command
    await harness.say(cast.group, cast.owner, "/mute 1h")
    assert "reply /id to one of their messages" in harness.said(cast.group)[-1]
    assert harness.emu.calls_to("restrictChatMember") == []
    assert harness.emu.calls_to("banChatMember") == []
    assert harness.emu.member(cast.group, cast.juma).status == "member"


async def test_admins_and_creator_cannot_be_muted_or_excluded(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.admin, "I am an admin")
    await harness.say(cast.group, cast.owner, "/mute 1h", reply_to=said)
    assert "Admins cannot be muted or excluded" in harness.said(cast.group)[-1]
    await harness.say(cast.group, cast.admin, f"/exclude {cast.owner.id} 1d")
    assert "creator cannot be muted or excluded" in harness.said(cast.group)[-1]
    await harness.say(cast.group, cast.admin, "/warn", reply_to=said)
    assert "yourself" in harness.said(cast.group)[-1]
    assert harness.emu.calls_to("restrictChatMember") == []
    assert harness.emu.calls_to("banChatMember") == []


async def test_anonymous_admin_acts_as_the_group_admin(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.owner, "/mute 2h", reply_to=said, anonymous_admin=True)
    assert harness.emu.member(cast.group, cast.juma).status == "restricted"
    entries = await harness.app.bot_data.store.audit.recent(cast.group.id)
    # Kept as the anonymous administrator's account, never as Pamoja's own doing.
    assert entries[0].action == "mod.mute" and entries[0].actor_id == ANONYMOUS_ADMIN_ID
    await harness.start(cast.owner)
    await harness.say(cast.group, cast.owner, "/log")
    log = harness.said(cast.owner)[-1]
    assert "An anonymous administrator made Juma (id " in log and "Pamoja made" not in log


async def test_admin_rights_are_checked_fresh_before_a_restriction(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.admin, "/warn first", reply_to=said)  # cache warmed
    harness.emu.demote(cast.group, cast.admin, by=cast.owner)
    harness.emu.take_updates()  # Telegram's chat_member update is lost: only a live check helps
    await harness.say(cast.group, cast.admin, "/mute 1h", reply_to=said)
    assert "Only the group's administrators" in harness.said(cast.group)[-1]
    assert harness.emu.member(cast.group, cast.juma).status == "member"


async def test_commands_in_private_point_to_the_group(harness: Harness, cast: Cast) -> None:
    await harness.private(cast.owner, "/mute 1h")
    assert "use this command in the group" in harness.said(cast.owner)[-1]


async def test_the_admins_command_with_its_reason_is_removed_from_the_group(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    command = await harness.say(cast.group, cast.owner, "/warn a private reason", reply_to=said)
    assert harness.emu.message(cast.group, command).deleted  # type: ignore[union-attr]
    assert "recorded" in harness.said(cast.group)[-1]


async def test_a_new_admin_is_recognised_after_telegram_reports_the_change(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.neema, "/warn", reply_to=said)
    assert "Only the group's administrators" in harness.said(cast.group)[-1]
    harness.emu.promote(cast.group, cast.neema, by=cast.owner)
    await harness.settle()
    await harness.say(cast.group, cast.neema, "/warn", reply_to=said)
    assert "recorded" in harness.said(cast.group)[-1]


async def test_log_in_private_and_appeal_in_group_point_the_way(
    harness: Harness, cast: Cast
) -> None:
    await harness.private(cast.owner, "/log")
    assert "Send /log in your group" in harness.said(cast.owner)[-1]
    said = await harness.say(cast.group, cast.juma, "/appeal I was treated unfairly")
    assert harness.emu.message(cast.group, said).deleted  # its words are private
    answer = harness.last(cast.group)
    assert "Appeals are private" in (answer.text or "")
    assert "unfairly" not in " ".join(harness.said(cast.group))
    assert any("url" in button for button in answer.buttons())
