"""Critical messages are written before they are sent, retried, never lost, never doubled."""

from __future__ import annotations

import pytest

from bot.circle import support_now
from bot.delivery.outbox import LEGACY_KIND as KIND
from bot.delivery.outbox import deliver
from tests.circle.conftest import accept, add_person, press, world, write_help_text
from tests.support import Harness


async def test_help_text_survives_telegram_failure_and_restart_once(harness: Harness) -> None:
    w = await world(harness)
    await write_help_text(harness, w.member, "please call me")
    pid = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    harness.emu.fail_next("sendMessage", 502, "Bad Gateway", chat_id=w.sister.id)
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    assert not any("please call me" in t for t in harness.said(w.sister))
    assert "on its way" in "\n".join(harness.said(w.member)[-3:])
    await harness.restart(downtime=120)
    assert [t for t in harness.said(w.sister) if "please call me" in t] != []
    await harness.advance(3600)
    await harness.restart(downtime=3600)
    assert len([t for t in harness.said(w.sister) if "please call me" in t]) == 1
    kept = await harness.app.bot_data.store.ledger.outbox_all()
    assert {m.status for m in kept} == {"sent"}
    assert {m.body for m in kept} == {""}  # once sent, the text itself is not kept


async def test_written_but_not_sent_before_a_crash_is_sent_once_after(harness: Harness) -> None:
    w = await world(harness)
    data = harness.app.bot_data
    message_id = await data.store.ledger.enqueue(w.member.id, "consent question", kind="test")
    await data.scheduler.schedule(
        harness.app, KIND, data.clock.epoch() + 60, payload={"id": message_id}
    )
    await harness.restart(downtime=300)  # the bot died before its first attempt
    assert harness.said(w.member).count("consent question") == 1
    await harness.restart(downtime=300)
    assert await deliver(harness.app, message_id) == "sent"
    assert harness.said(w.member).count("consent question") == 1


async def test_undeliverable_help_text_is_reported_to_the_member(harness: Harness) -> None:
    w = await world(harness)
    await write_help_text(harness, w.member, "please call me")
    pid = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, pid, w.sister)
    await harness.block(w.sister)
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")
    await press(harness, w.member, f"circle:pick_done:{esc.id}")
    member_saw = "\n".join(harness.said(w.member)[-4:])
    assert "couldn't deliver your help text to Wanjiru" in member_saw
    assert "couldn't reach anyone" in member_saw


async def test_consent_question_to_unreachable_member_is_reported_to_admin(
    harness: Harness,
) -> None:
    w = await world(harness)
    await harness.block(w.member)
    await harness.private(w.admin, f"/concern {w.member.id}")
    assert "couldn't reach the member privately" in "\n".join(harness.said(w.admin)[-2:])


async def test_a_send_cut_off_before_reaching_anyone_is_carried_out_at_start_up(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between the member's send (saved as approved) and the reaching: the start-up
    carries it out once and tells the member, instead of leaving it stuck for ever."""
    w = await world(harness)
    await write_help_text(harness, w.member, "please call me")
    pid = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{pid}")

    async def died(*_args: object) -> None:  # the process ends right after the send is saved
        return None

    with monkeypatch.context() as patched:
        patched.setattr(support_now, "reach", died)
        await press(harness, w.member, f"circle:pick_done:{esc.id}")
    stuck = await harness.app.bot_data.store.ledger.escalation(esc.id)
    assert stuck is not None and stuck.status == "approved"
    assert not any("please call me" in t for t in harness.said(w.sister))
    told = len(harness.said(w.member))

    await harness.restart(downtime=30)
    assert len([t for t in harness.said(w.sister) if "please call me" in t]) == 1
    assert len(harness.said(w.member)) > told  # the member hears how it went
    done = await harness.app.bot_data.store.ledger.escalation(esc.id)
    assert done is not None and done.status != "approved"
    await harness.restart(downtime=30)
    assert len([t for t in harness.said(w.sister) if "please call me" in t]) == 1
