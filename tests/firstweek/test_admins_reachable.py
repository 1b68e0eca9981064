"""Issue 11 item 1: admins reachable from the first minute, and nothing lost until they are.

A group where no administrator has opened a private chat with the bot (the state of every new
group): /setup says so, per administrator, with a one-tap link; a flag, a report, a join
request and a /talk request are kept, and reach the first administrator who presses Start."""

from __future__ import annotations

import asyncio
import re

from bot.adapters.admins import deliver_held
from emulator import GroupHandle, UserHandle
from emulator.world import Message
from tests.support import Harness

ADVERT = (
    "Private counselling sessions, only KSh 1500 per session. Book here: calendly.com/coachben"
)


def team_message(harness: Harness, group: GroupHandle) -> Message:
    """The newest /setup message about the team (the pinned rules may follow it)."""
    return next(
        m
        for m in reversed(harness.emu.bot_messages(group))
        if (m.text or "").startswith("Your team")
    )


def texts(harness: Harness, chat: UserHandle | GroupHandle) -> list[str]:
    return harness.said(chat)


async def kept(harness: Harness, group: GroupHandle) -> int:
    return await harness.app.bot_data.store.held.count(group.id)


async def test_setup_lists_each_admin_with_reachability_and_a_start_link(
    harness: Harness,
) -> None:
    owner, otieno = harness.user("Wanjiru"), harness.user("Otieno")
    await harness.start(otieno)
    group = await harness.group("Peer Group", owner=owner, admins=[otieno])
    team = team_message(harness, group)
    text = team.text or ""
    assert "✅ Otieno" in text
    assert "⏳ Wanjiru — has not pressed Start" in text
    urls = [str(b.get("url")) for b in team.buttons()]
    assert urls == ["https://t.me/PamojaBot?start=admin"]

    # The link opens the private chat with /start admin: she is told which group reaches her.
    await harness.start(owner, "admin")
    assert "I can now write to you privately about Peer Group" in (harness.last(owner).text or "")
    await harness.say(group, owner, "/setup")
    text = team_message(harness, group).text or ""
    assert "✅ Wanjiru" in text and "✅ Otieno" in text
    assert "I can write to each of you privately" in text
    assert team_message(harness, group).buttons() == []


async def test_flag_report_join_request_and_talk_wait_for_the_first_admin(
    harness: Harness,
) -> None:
    owner, otieno = harness.user("Wanjiru"), harness.user("Otieno")
    juma, neema = harness.user("Juma"), harness.user("Neema")
    seller = harness.user("Coach Ben")
    group = await harness.group(
        "Peer Group",
        owner=owner,
        admins=[otieno],
        members=[juma, neema, seller],
        join_by_request=True,
    )
    assert "I cannot reach any of you privately yet" in (team_message(harness, group).text or "")
    await harness.say(group, owner, "/settings join approval")
    await harness.start(juma)

    # A solicitation flag: nobody on the team can be reached, so it is kept.
    await harness.say(group, seller, ADVERT)
    assert await kept(harness, group) == 1

    # A report: gone from the group at once; the reporter is told honestly that it waits.
    hurtful = await harness.say(group, neema, "you people are worthless")
    report = await harness.say(group, juma, "/report insulting", reply_to=hurtful)
    assert harness.emu.message(group, report).deleted  # type: ignore[union-attr]
    assert "your report is kept safely" in texts(harness, juma)[-1]
    assert await kept(harness, group) == 2

    # A join request (in approval mode, once the applicant agreed to the rules), kept too.
    ali = harness.user("Ali")
    await harness.request_join(group, ali)
    await harness.tap(ali, ali, "I agree")
    assert await kept(harness, group) == 3

    # /talk to an administrator: the member is told the truth, and the request is kept.
    await harness.private(juma, "/talk")
    await harness.tap(juma, juma, "An administrator")
    await harness.private(juma, "I'm having a hard week")
    said = texts(harness, juma)[-1]
    assert "Nobody on the team has opened a private chat with me yet" in said
    assert "I am keeping it" in said
    row = await harness.app.bot_data.store.db.fetch_one(
        "SELECT status FROM talk_conversations WHERE member_id = ?", (juma.id,)
    )
    assert row is not None and row["status"] == "pending"
    assert texts(harness, owner) == [] and texts(harness, otieno) == []

    # Otieno presses Start: everything that waited reaches him, oldest first, nothing lost.
    await harness.start(otieno)
    got = texts(harness, otieno)
    flag_at = next(i for i, t in enumerate(got) if "may be advertising services" in t)
    report_at = next(i for i, t in enumerate(got) if "was reported" in t)
    join_at = next(i for i, t in enumerate(got) if "asked to join Peer Group" in t and "Ali" in t)
    talk_at = next(i for i, t in enumerate(got) if "talk" in t.lower() and "hard week" in t)
    assert flag_at < report_at < join_at < talk_at
    for index in (flag_at, report_at, join_at):
        assert got[index].startswith("⏳ Kept for you since")
    assert "Juma" not in got[report_at]  # the reporter is never shown
    assert await kept(harness, group) == 0
    assert "Your request has now reached an administrator" in texts(harness, juma)[-1]

    # The kept copies work like fresh ones: the report is handled with one tap...
    await harness.tap(otieno, otieno, "Warn")
    store = harness.app.bot_data.store
    assert await store.moderation.warning_count(group.id, neema.id) == 1
    # ...the join request is approved with one tap, the talk request accepted.
    await harness.tap(otieno, otieno, "Approve")
    assert harness.emu.join_requests(group) == []
    assert harness.emu.member(group, ali).status in ("member", "restricted")  # in, at the gate
    await harness.tap(otieno, otieno, "Accept")
    assert "connected" in texts(harness, juma)[-1].lower()

    # Wanjiru starts later: nothing is delivered twice.
    await harness.start(owner)
    assert not any("Kept for you since" in t for t in texts(harness, owner))


async def test_kept_notices_survive_a_restart_and_go_out_at_start_up(harness: Harness) -> None:
    owner = harness.user("Wanjiru")
    juma, neema = harness.user("Juma"), harness.user("Neema")
    group = await harness.group("Peer Group", owner=owner, members=[juma, neema])
    await harness.start(juma)
    hurtful = await harness.say(group, neema, "rude words")
    await harness.say(group, juma, "/report", reply_to=hurtful)
    assert await kept(harness, group) == 1
    await harness.halt()
    # While the bot is down, Wanjiru opens the private chat (the update waits at Telegram).
    harness.emu.start_bot(owner)
    await harness.boot()
    assert any("was reported" in t for t in texts(harness, owner))
    assert await kept(harness, group) == 0


async def test_linking_an_admin_team_chat_delivers_what_waited_there(harness: Harness) -> None:
    owner, juma, neema = harness.user("Wanjiru"), harness.user("Juma"), harness.user("Neema")
    group = await harness.group("Peer Group", owner=owner, members=[juma, neema])
    await harness.start(juma)
    hurtful = await harness.say(group, neema, "rude words")
    await harness.say(group, juma, "/report", reply_to=hurtful)
    await harness.private(juma, "/talk")
    await harness.tap(juma, juma, "An administrator")
    await harness.tap(juma, juma, "Skip")
    assert await kept(harness, group) == 1

    team = await harness.group("Admins of Peer Group", owner=owner)
    await harness.say(team, owner, "/linkadmins")
    code = re.search(r"/linkadmins ([0-9A-F]{6})", harness.said(team)[-1])
    assert code is not None
    await harness.say(group, owner, f"/linkadmins {code.group(1)}")
    seen = harness.said(team)
    assert any(t.startswith("⏳ Kept for you since") and "was reported" in t for t in seen)
    assert any("would like to talk one-to-one" in t for t in seen)
    assert await kept(harness, group) == 0
    assert "Your request has now reached" in harness.said(juma)[-1]


async def test_a_kept_notice_about_something_settled_meanwhile_is_not_delivered_late(
    harness: Harness,
) -> None:
    owner = harness.user("Wanjiru")
    group = await harness.group("Peer Group", owner=owner, join_by_request=True)
    await harness.say(group, owner, "/settings join approval")
    ali = harness.user("Ali")
    await harness.request_join(group, ali)
    await harness.tap(ali, ali, "I agree")
    assert await kept(harness, group) == 1
    await harness.advance(3 * 86400 + 60)  # nobody answered: the request was closed kindly
    assert await kept(harness, group) == 1  # the day's reminder was not kept a second time
    await harness.start(owner)
    assert not any("asked to join" in t for t in texts(harness, owner))
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT status FROM held_notices")
    assert [r["status"] for r in rows] == ["stale"]


async def test_two_deliveries_at_once_send_each_kept_notice_once(harness: Harness) -> None:
    owner, otieno = harness.user("Wanjiru"), harness.user("Otieno")
    juma, neema = harness.user("Juma"), harness.user("Neema")
    group = await harness.group("Peer Group", owner=owner, admins=[otieno], members=[juma, neema])
    await harness.start(juma)
    for index in range(3):
        said = await harness.say(group, neema, f"rude {index}")
        await harness.say(group, juma, "/report", reply_to=said)
    assert await kept(harness, group) == 3
    # Both admins become reachable at the same moment (two /start updates handled at once).
    app = harness.app
    for admin in (owner, otieno):
        harness.emu.start_bot(admin)  # the updates wait; the private chats exist now
        await app.bot_data.store.users.seen_private(admin.id, "en")
    await asyncio.gather(deliver_held(app, group.id), deliver_held(app, group.id))
    await harness.settle()  # the two /start updates: nothing is left to deliver
    for admin in (owner, otieno):
        assert len([t for t in texts(harness, admin) if "was reported" in t]) == 3
    assert await kept(harness, group) == 0


async def test_setup_never_names_an_anonymous_administrator_in_the_group(
    harness: Harness,
) -> None:
    owner, baraka = harness.user("Wanjiru"), harness.user("Baraka")
    group = await harness.group("Peer Group", owner=owner, members=[baraka], setup=False)
    harness.emu.promote(group, baraka, is_anonymous=True, can_restrict_members=True)
    await harness.settle()
    await harness.say(group, owner, "/setup")
    text = team_message(harness, group).text or ""
    assert "⏳ Wanjiru" in text
    assert "⏳ An anonymous administrator" in text
    assert "Baraka" not in text
