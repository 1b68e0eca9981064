"""Issue 11 item 6: an appeal goes to the administrators other than the one who acted (when
there is one), marked as such; the one who acted does not decide it and sees the outcome."""

from __future__ import annotations

import re

from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

WORDS = "It was a misunderstanding, sorry"


def appeal_copies(harness: Harness, chat: object) -> list[str]:
    return [t for t in harness.said(chat) if WORDS in t]  # type: ignore[arg-type]


async def test_appeal_goes_to_the_other_admins_and_the_actor_sees_the_outcome(
    harness: Harness, cast: Cast
) -> None:
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.admin, "/mute 1d", reply_to=said)  # Otieno acts
    await harness.private(cast.juma, f"/appeal {WORDS}")
    assert appeal_copies(harness, cast.admin) == []  # not to the one who acted
    [copy] = appeal_copies(harness, cast.owner)
    assert "about a measure Otieno took" in copy
    assert "comes to the other administrators, not to them" in copy
    appeal_id = re.search(r"#(\d+)", copy)
    assert appeal_id is not None

    # Otieno cannot decide or answer it, even with a forged button.
    await harness.press(
        cast.admin,
        cast.admin,
        1,
        f"moderation:appeal_decision:{appeal_id.group(1)}:keep",
        forge=True,
    )
    answer = harness.emu.calls_to("answerCallbackQuery")[-1].params
    assert "another administrator decides it" in str(answer.get("text"))
    await harness.private(cast.admin, f"/answer {appeal_id.group(1)} no")
    assert "another administrator decides it" in harness.said(cast.admin)[-1]
    assert not harness.emu.can_post(cast.group, cast.juma)

    # Wanjiru lifts it; Otieno, who acted, is told how it ended.
    await harness.tap(cast.owner, cast.owner, "Lift the measure")
    assert harness.emu.can_post(cast.group, cast.juma)
    assert "lifted the measure" in harness.said(cast.juma)[-1]
    assert "decided by Wanjiru: measure lifted" in harness.said(cast.admin)[-1]
    row = await harness.app.bot_data.store.db.fetch_one(
        "SELECT actor_id, routed, handled_by FROM mod_appeals"
    )
    assert row is not None and tuple(row) == (cast.admin.id, 1, cast.owner.id)


async def test_when_nobody_else_can_be_reached_it_comes_to_the_actor_marked(
    harness: Harness, cast: Cast
) -> None:
    await harness.block(cast.owner)  # the only other admin cannot be written to
    said = await harness.say(cast.group, cast.juma, "hi")
    await harness.say(cast.group, cast.admin, "/warn rude", reply_to=said)
    await harness.private(cast.juma, f"/appeal {WORDS}")
    [copy] = appeal_copies(harness, cast.admin)
    assert "about a measure you took" in copy and "No other administrator" in copy
    await harness.tap(cast.admin, cast.admin, "Keep it")
    assert "Appeal handled by Otieno" in (
        harness.emu.message(cast.admin, harness.last(cast.admin).message_id).text or ""  # type: ignore[union-attr]
    )
