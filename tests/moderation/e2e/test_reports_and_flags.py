"""Reports and solicitation flags: admins told with a link and one-tap actions, first admin wins,
the reporter never shown, repeats counted once, floods limited."""

from __future__ import annotations

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def test_report_claimed_by_one_admin_shows_handled_to_the_other(
    harness: Harness, cast: Cast
) -> None:
    hurtful = await harness.say(cast.group, cast.neema, "you people are worthless")
    seen_before = len(harness.said(cast.group))
    report = await harness.say(cast.group, cast.juma, "/report insulting", reply_to=hurtful)
    # The report itself disappears from the group: nobody sees who reported.
    assert harness.emu.message(cast.group, report).deleted  # type: ignore[union-attr]
    assert "Nobody will see that it was you" in harness.said(cast.juma)[-1]
    owner_copy, admin_copy = harness.last(cast.owner), harness.last(cast.admin)
    for copy in (owner_copy, admin_copy):
        text = copy.text or ""
        assert "Neema" in text and "insulting" in text
        assert "Juma" not in text
        assert "Open the message" in text
        assert any("Warn" in str(b.get("text")) for b in copy.buttons())
    assert not any("report" in t.lower() for t in harness.said(cast.group)[seen_before:])

    # The same member reporting again counts once and sends no new copy.
    owner_count = len(harness.said(cast.owner))
    await harness.say(cast.group, cast.juma, "/report", reply_to=hurtful)
    assert "already reported" in harness.said(cast.juma)[-1]
    assert len(harness.said(cast.owner)) == owner_count
    found = await harness.app.bot_data.store.moderation.open_report(
        cast.group.id, hurtful, cast.neema.id, "report"
    )
    assert found[0].reports == 1

    # Wanjiru warns with one tap; Otieno's copy now shows it was handled.
    await harness.tap(cast.owner, cast.owner, "Warn")
    assert (
        await harness.app.bot_data.store.moderation.warning_count(cast.group.id, cast.neema.id)
        == 1
    )
    refreshed = harness.emu.message(cast.admin, admin_copy.message_id)
    assert refreshed is not None
    assert "handled by Wanjiru" in (refreshed.text or "")
    assert "warned" in (refreshed.text or "")
    assert refreshed.buttons() == []
    # Otieno's tap that crossed the edit (an old screen) is told it was handled; nothing happens.
    await harness.press(
        cast.admin,
        cast.admin,
        admin_copy.message_id,
        f"moderation:report_action:{found[0].id}:mute",
        forge=True,
    )
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "already handled" in str(answer.get("text"))
    assert harness.emu.member(cast.group, cast.neema).status == "member"


async def test_non_admin_cannot_press_report_buttons(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.neema, "rude")
    await harness.say(cast.group, cast.juma, "/report", reply_to=said)
    copy = harness.last(cast.owner)
    data = str(copy.buttons()[0]["callback_data"])
    await harness.press(cast.juma, cast.juma, 1, data, forge=True)
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "Only the group's administrators" in str(answer.get("text"))
    report_id = int(data.split(":")[2])
    found = await harness.app.bot_data.store.moderation.report(report_id)
    assert found is not None and found.status == "open"
    await harness.press(
        cast.owner, cast.owner, copy.message_id, "moderation:report_action:999:warn", forge=True
    )
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "no longer active" in str(answer.get("text"))


async def test_report_needs_a_reply_and_floods_are_limited(harness: Harness, cast: Cast) -> None:
    await harness.say(cast.group, cast.juma, "/report")
    assert "reply to it with /report" in harness.said(cast.group)[-1]
    for index in range(6):
        said = await harness.say(cast.group, cast.neema, f"message {index}")
        await harness.say(cast.group, cast.juma, "/report", reply_to=said)
    assert "many reports in a short time" in harness.said(cast.juma)[-1]
    reports = [t for t in harness.said(cast.owner) if "was reported" in t]
    assert len(reports) == 5
    # An hour later they may report again.
    await harness.advance(3601)
    said = await harness.say(cast.group, cast.neema, "again")
    await harness.say(cast.group, cast.juma, "/report", reply_to=said)
    assert "Thank you" in harness.said(cast.juma)[-1]


async def test_solicitation_is_flagged_to_admins_and_excluded_with_one_tap(
    harness: Harness, cast: Cast
) -> None:
    seller = harness.user("Coach Ben")
    await harness.join(cast.group, seller)
    sends_before = len(harness.emu.calls_to("sendMessage"))
    await harness.say(cast.group, cast.juma, "I felt so low today, I cried all evening")
    await harness.say(cast.group, cast.neema, "Befrienders Kenya helped me: 0722 178 177")
    await harness.say(cast.group, cast.juma, "Where can I find a counsellor near Kisumu?")
    # Ordinary messages cost nothing: no message sent, no DB row.
    assert len(harness.emu.calls_to("sendMessage")) == sends_before
    store = harness.app.bot_data.store
    assert await store.db.fetch_all("SELECT id FROM mod_reports") == []

    await harness.say(
        cast.group,
        seller,
        "Private counselling sessions, only KSh 1500 per session. Book here: calendly.com/coachben",
    )
    flag = harness.last(cast.owner)
    assert "may be advertising services" in (flag.text or "")
    assert harness.emu.member(cast.group, seller).status == "member"  # never removed by itself
    labels = [str(b.get("text")) for b in flag.buttons()]
    assert labels == ["Exclude as solicitor", "Warn", "It's fine"]
    rows = await store.db.fetch_all("SELECT * FROM mod_reports")
    assert len(rows) == 1 and "calendly" not in str(dict(rows[0]))
    await harness.tap(cast.admin, cast.admin, "Exclude as solicitor")
    assert harness.emu.member(cast.group, seller).status == "kicked"
    assert await store.moderation.is_blocked(seller.id)
    assert "handled by Otieno" in (harness.emu.message(cast.owner, flag.message_id).text or "")  # type: ignore[union-attr]


async def test_members_passing_on_a_public_health_page_are_not_flagged(
    harness: Harness, cast: Cast
) -> None:
    """Several members sharing the Ministry of Health's page is a resource going round, not one
    contact posted again and again; a private site shared the same way still is."""
    page = "Makala hii kuhusu msongo wa mawazo ni nzuri https://www.health.go.ke/mental-health"
    for member in (cast.juma, cast.neema, cast.admin, cast.juma):
        await harness.say(cast.group, member, page)
    assert not [t for t in harness.said(cast.owner) if "may be advertising" in t]
    store = harness.app.bot_data.store
    assert await store.db.fetch_all("SELECT id FROM mod_reports") == []
    private = "Makala hii kuhusu msongo wa mawazo ni nzuri https://www.tulizamind.co.ke/ofa"
    for member in (cast.juma, cast.neema, cast.juma):
        await harness.say(cast.group, member, private)
    assert [t for t in harness.said(cast.owner) if "may be advertising" in t]


async def test_flag_marked_fine_and_flagging_can_be_turned_off(
    harness: Harness, cast: Cast
) -> None:
    await harness.say(
        cast.group, cast.neema, "DM me for therapy sessions, fee KSh 2000, M-Pesa till 123456"
    )
    await harness.tap(cast.owner, cast.owner, "It's fine")
    assert harness.emu.member(cast.group, cast.neema).status == "member"
    assert (
        await harness.app.bot_data.store.moderation.warning_count(cast.group.id, cast.neema.id)
        == 0
    )
    await harness.say(cast.group, cast.owner, "/flagging off")
    assert "off" in harness.said(cast.group)[-1]
    count = len(harness.said(cast.owner))
    await harness.say(
        cast.group, cast.neema, "DM me for therapy sessions, fee KSh 3000, M-Pesa till 654321"
    )
    assert len(harness.said(cast.owner)) == count
    entries = [e.action for e in await harness.app.bot_data.store.audit.recent(cast.group.id)]
    assert "mod.flagging_set" in entries


async def test_a_seller_posting_again_does_not_flood_the_admins(
    harness: Harness, cast: Cast
) -> None:
    ad = "DM me for therapy sessions, fee KSh 2000, M-Pesa till 123456"
    await harness.say(cast.group, cast.neema, ad)
    await harness.say(cast.group, cast.neema, ad)
    flags = [t for t in harness.said(cast.owner) if "may be advertising" in t]
    assert len(flags) == 1
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT id FROM mod_reports")
    assert len(rows) == 1
    await harness.tap(cast.owner, cast.owner, "Warn")
    await harness.say(cast.group, cast.neema, ad)
    rows = await harness.app.bot_data.store.db.fetch_all("SELECT id FROM mod_reports")
    assert len(rows) == 2
    assert "may be advertising" in harness.said(cast.owner)[-1]
