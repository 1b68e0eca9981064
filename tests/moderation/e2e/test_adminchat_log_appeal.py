"""The admin team chat, the audit log (/log) and appeals (/appeal)."""

from __future__ import annotations

import re

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def link_team_chat(harness: Harness, cast: Cast):  # type: ignore[no-untyped-def]
    team = await harness.group("Admins of Peer Group", owner=cast.owner, members=[cast.admin])
    await harness.say(team, cast.owner, "/linkadmins")
    code = re.search(r"/linkadmins ([0-9A-F]{6})", harness.said(team)[-1])
    assert code is not None
    return team, code.group(1)


async def test_linkadmins_confirmed_by_a_member_group_admin(harness: Harness, cast: Cast) -> None:
    team, code = await link_team_chat(harness, cast)
    await harness.say(cast.group, cast.juma, f"/linkadmins {code}")
    assert "Only the group's administrators" in harness.said(cast.group)[-1]
    await harness.say(cast.group, cast.admin, "/linkadmins WRONG1")
    assert "unknown or has expired" in harness.said(cast.group)[-1]
    await harness.say(cast.group, cast.admin, f"/linkadmins {code}")
    assert "admin team chat" in harness.said(cast.group)[-1]
    assert "admin team chat of Peer Group" in harness.said(team)[-1]
    group = await harness.app.bot_data.store.groups.get(cast.group.id)
    assert group is not None and group.admin_chat_id == team.id

    # Reports now go to the team chat (once), not to each admin privately.
    owner_count = len(harness.said(cast.owner))
    said = await harness.say(cast.group, cast.neema, "rude words")
    await harness.say(cast.group, cast.juma, "/report", reply_to=said)
    assert len(harness.said(cast.owner)) == owner_count
    assert any("was reported" in t for t in harness.said(team))
    await harness.tap(cast.admin, team, "No action needed")
    assert any("handled by Otieno" in t for t in harness.said(team))

    # Audit lines are mirrored there without reasons.
    await harness.say(cast.group, cast.owner, "/warn a very private reason", reply_to=said)
    team_text = " ".join(harness.said(team))
    assert "Log: Wanjiru warned Neema (id " in team_text
    assert "a very private reason" not in team_text

    await harness.say(cast.group, cast.owner, "/unlinkadmins")
    group = await harness.app.bot_data.store.groups.get(cast.group.id)
    assert group is not None and group.admin_chat_id is None


async def test_audit_log_lists_every_action_privately_and_filters_by_member(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    other = await harness.say(cast.group, cast.neema, "hello")
    await harness.say(cast.group, cast.owner, "/warn be gentle", reply_to=said)
    await harness.say(cast.group, cast.owner, "/mute 1h", reply_to=said)
    await harness.say(cast.group, cast.owner, f"/unmute {cast.juma.id}")
    await harness.say(cast.group, cast.admin, "/exclude 1d cooling off", reply_to=other)
    await harness.say(cast.group, cast.admin, f"/readmit {cast.neema.id}")
    await harness.say(cast.group, cast.owner, "/flagging off")
    seller = harness.user("Seller")
    await harness.join(cast.group, seller)
    await harness.say(cast.group, cast.owner, f"/solicitor {seller.id} adverts")
    await harness.say(cast.group, cast.owner, f"/unblock {seller.id}")
    await harness.join(cast.group, cast.neema)
    rude = await harness.say(cast.group, cast.neema, "rude")
    await harness.say(cast.group, cast.juma, "/report", reply_to=rude)
    await harness.tap(cast.admin, cast.admin, "Remove message")
    await harness.say(cast.group, cast.owner, "/log")
    assert "sent you the log privately" in harness.said(cast.group)[-1]
    log = harness.said(cast.owner)[-1]
    for label in (
        f"Wanjiru warned Juma (id {cast.juma.id}).",
        f"Wanjiru made Juma (id {cast.juma.id}) read-only for a while.",
        f"Wanjiru let Juma (id {cast.juma.id}) write again.",
        f"Otieno asked Neema (id {cast.neema.id}) to take a break from the group.",
        f"Otieno welcomed Neema (id {cast.neema.id}) back.",
        "Wanjiru turned the flagging of advertising off.",
    ):
        assert label in log, label
    assert "Reason: be gentle" in log and "Reason: cooling off" in log
    assert "mod." not in log and "rules_" not in log and " v0" not in log  # no internal codes
    # Every entry of the test is listed, one line each (the group's set-up too).
    entries = await harness.app.bot_data.store.audit.recent(cast.group.id, limit=100)
    mod_actions = {e.action for e in entries if e.action.startswith("mod.")}
    assert mod_actions == {
        "mod.warn",
        "mod.mute",
        "mod.unmute",
        "mod.exclude",
        "mod.readmit",
        "mod.flagging_set",
        "mod.solicitor",
        "mod.unblock",
        "mod.report",
        "mod.report_outcome",
    }
    assert len(log.splitlines()) == 1 + len(entries)
    for label in (
        f"Wanjiru excluded Seller (id {seller.id}) for good",
        f"Wanjiru took Seller (id {seller.id}) off the blocklist.",
        "A message by Neema was reported.",
        "Otieno handled a report about Neema.",
        "Seller agreed to the rules (version 0).",
    ):
        assert label in log, label
    assert "Juma" in log and "Otieno" in log
    await harness.say(cast.group, cast.owner, f"/log {cast.neema.id}")
    filtered = harness.said(cast.owner)[-1]
    assert "take a break from the group" in filtered and "be gentle" not in filtered
    await harness.say(cast.group, cast.juma, "/log")
    assert "Only the group's administrators" in harness.said(cast.group)[-1]


async def test_log_for_an_admin_who_never_started_the_bot(harness: Harness, cast: Cast) -> None:
    third = harness.user("Akinyi")
    harness.emu.join(cast.group, third)
    harness.emu.promote(cast.group, third, by=cast.owner)
    await harness.settle()
    await harness.say(cast.group, third, "/log")
    assert "open a private chat with me first" in harness.said(cast.group)[-1]


async def test_appeal_goes_to_admins_who_answer_and_decide(harness: Harness, cast: Cast) -> None:
    await harness.private(cast.juma, "/appeal I disagree")
    assert "no recent warning" in harness.said(cast.juma)[-1]
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.owner, "/mute 1d", reply_to=said)
    await harness.private(cast.juma, "/appeal")
    assert "followed by your message" in harness.said(cast.juma)[-1]
    await harness.private(cast.juma, "/appeal It was a misunderstanding, sorry")
    assert "went to the group's admins" in harness.said(cast.juma)[-1]
    copy = harness.last(cast.admin)
    assert "It was a misunderstanding" in (copy.text or "")
    appeal_id = re.search(r"#(\d+)", copy.text or "")
    assert appeal_id is not None
    # A non-admin cannot answer.
    await harness.start(cast.neema)
    await harness.private(cast.neema, f"/answer {appeal_id.group(1)} no")
    assert "Only the group's administrators" in harness.said(cast.neema)[-1]
    assert harness.said(cast.juma)[-1].startswith("Thank you")
    await harness.private(cast.admin, f"/answer {appeal_id.group(1)} Thank you, we hear you.")
    assert "we hear you" in harness.said(cast.juma)[-1]
    await harness.tap(cast.admin, cast.admin, "Lift the measure")
    assert harness.emu.can_post(cast.group, cast.juma)
    assert "lifted the measure" in harness.said(cast.juma)[-1]
    # Wanjiru took the measure: the appeal went to Otieno, and she is told how it ended.
    assert not any("It was a misunderstanding" in t for t in harness.said(cast.owner))
    assert "decided by Otieno: measure lifted" in harness.said(cast.owner)[-1]
    actions = [e.action for e in await harness.app.bot_data.store.audit.recent(cast.group.id)]
    assert {"mod.appeal", "mod.appeal_answer", "mod.appeal_lifted", "mod.unmute"} <= set(actions)


async def test_log_in_the_team_chat_leaves_reasons_out(harness: Harness, cast: Cast) -> None:
    team, code = await link_team_chat(harness, cast)
    await harness.say(cast.group, cast.owner, f"/linkadmins {code}")
    await harness.say(cast.group, cast.owner, f"/warn {cast.juma.id} a private matter")
    await harness.say(team, cast.admin, "/log")
    log = harness.said(team)[-1]
    assert "Moderation log of Peer Group" in log and "warned" in log
    assert "a private matter" not in log
    await harness.say(team, cast.owner, "/linkadmins")
    assert "already linked" in harness.said(team)[-1]
