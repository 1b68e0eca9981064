"""Edge cases: someone else's button, forged data, Kiswahili, anonymous admins, admins who left."""

from __future__ import annotations

from bot.adapters.admins import ANONYMOUS_ADMIN_ID
from tests.moderation.e2e.conftest import Cast
from tests.support import Harness


async def test_stop_checkins_button_is_only_for_the_member(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.owner, "/exclude 5d", reply_to=said)
    support = harness.last(cast.juma)
    data = next(str(b["callback_data"]) for b in support.buttons())
    await harness.press(
        cast.admin, cast.admin, harness.last(cast.admin).message_id, data, forge=True
    )
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "for someone else" in str(answer.get("text"))
    sanction = await harness.app.bot_data.store.moderation.active_sanction(
        cast.group.id, cast.juma.id, "exclude"
    )
    assert sanction is not None and sanction.checkins
    await harness.press(
        cast.juma, cast.juma, support.message_id, "moderation:stop_checkins:999", forge=True
    )
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "no longer active" in str(answer.get("text"))


async def test_support_message_in_kiswahili_and_anonymous_admin_contact(
    harness: Harness, cast: Cast
) -> None:
    amani = harness.user("Amani", language="sw")
    await harness.join(cast.group, amani)
    await harness.start(amani)
    said = await harness.say(cast.group, amani, "habari")
    await harness.say(
        cast.group, cast.owner, "/exclude siku 2", reply_to=said, anonymous_admin=True
    )
    text = harness.said(amani)[-1]
    assert "siku 2" in text and "/talk" in text and "/appeal" in text
    assert "Wasimamizi wa kikundi wanapatikana" in text
    entries = await harness.app.bot_data.store.audit.recent(cast.group.id)
    assert entries[0].action == "mod.exclude" and entries[0].actor_id == ANONYMOUS_ADMIN_ID


async def test_reply_to_a_channel_post_is_not_a_member(harness: Harness, cast: Cast) -> None:
    said = await harness.say(cast.group, cast.owner, "announcement", anonymous_admin=True)
    await harness.say(cast.group, cast.admin, "/mute 1h", reply_to=said)
    assert "not by a member" in harness.said(cast.group)[-1]
    assert harness.emu.calls_to("restrictChatMember") == []


async def test_mute_of_someone_who_left_is_refused(harness: Harness, cast: Cast) -> None:
    await harness.leave(cast.group, cast.neema)
    await harness.say(cast.group, cast.owner, f"/mute {cast.neema.id} 1h")
    assert "not in this group" in harness.said(cast.group)[-1]
    assert harness.emu.calls_to("restrictChatMember") == []


async def test_mydata_has_a_moderation_section_and_forgetme_erases_it(
    harness: Harness, cast: Cast
) -> None:
    from bot.circle import data as rights

    await harness.say(cast.group, cast.owner, f"/warn {cast.juma.id} be kind")
    exported = await rights.export(harness.app.bot_data, cast.juma.id)
    assert exported["moderation"]["warnings"][0]["reason"] == "be kind"
    await rights.erase(harness.app.bot_data, cast.juma.id)
    exported = await rights.export(harness.app.bot_data, cast.juma.id)
    assert exported["moderation"]["warnings"] == []
