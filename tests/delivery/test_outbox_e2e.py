"""The one outbox, end to end: a Bot API failure never aborts a measure half way, 429s wait
Telegram's retry_after, a message Telegram accepted although its answer never came is not sent
twice, one recipient's messages keep their order, a message that can never arrive tells the
right person, and a state change and its messages are saved together or not at all."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from bot.adapters.ratelimit import priority_of
from bot.delivery import outbox
from emulator import EmulatorRequest, GroupHandle, UserHandle
from tests.moderation.e2e.conftest import Cast
from tests.support import Harness

DAY = 86400


def copies(harness: Harness, chat: UserHandle | GroupHandle, marker: str) -> int:
    return sum(marker in text for text in harness.said(chat))


async def test_exclude_with_a_502_on_the_support_message_completes_and_delivers_it_later(
    harness: Harness, cast: Cast
) -> None:
    harness.emu.fail_next("sendMessage", 502, "Bad Gateway", chat_id=cast.juma.id)
    said = await harness.say(cast.group, cast.juma, "a heated message")
    command = await harness.say(
        cast.group, cast.admin, "/exclude 3d REASON-seven repeated insults", reply_to=said
    )
    # Everything of the measure happened: the ban, its end, the admins' notice, "Done".
    assert harness.emu.member(cast.group, cast.juma).status == "kicked"
    store = harness.app.bot_data.store
    sanction = await store.moderation.active_sanction(cast.group.id, cast.juma.id, "exclude")
    assert sanction is not None
    ends = await store.scheduled.pending("moderation.exclusion_end")
    assert [a.user_id for a in ends] == [cast.juma.id]
    assert "out of the group for 3 days" in harness.said(cast.group)[-1]
    deleted = harness.emu.message(cast.group, command)
    assert deleted is not None and deleted.deleted  # the command left the group
    # The admins are told the real outcome: the support message is on its way.
    assert "support message is on its way" in harness.said(cast.owner)[-1]
    assert copies(harness, cast.juma, "REASON-seven") == 0
    # The retry delivers it, once; the exclusion records that the member was reached.
    await harness.advance(5)
    assert copies(harness, cast.juma, "REASON-seven") == 1
    refreshed = await store.moderation.sanction(sanction.id)
    assert refreshed is not None and refreshed.reached
    await harness.advance(3600)
    assert copies(harness, cast.juma, "REASON-seven") == 1


async def test_a_429_waits_for_retry_after(harness: Harness, cast: Cast) -> None:
    harness.emu.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7, chat_id=cast.juma.id
    )
    await harness.say(cast.group, cast.admin, f"/warn {cast.juma.id} WARN-429 shouting")
    assert copies(harness, cast.juma, "WARN-429") == 0
    await harness.advance(4)
    assert copies(harness, cast.juma, "WARN-429") == 0  # not before Telegram's retry_after
    tries = len(harness.emu.calls_to("sendMessage"))
    await harness.advance(4)
    assert copies(harness, cast.juma, "WARN-429") == 1
    assert len(harness.emu.calls_to("sendMessage")) == tries + 1  # one more try, not a burst


async def test_a_message_telegram_accepted_after_a_timeout_is_not_sent_twice(
    harness: Harness, cast: Cast
) -> None:
    harness.read_timeout = 0.05
    await harness.restart()
    await harness.private(cast.juma, "/help")  # an earlier message the outbox knows of
    harness.emu.answer_late_next("sendMessage", chat_id=cast.juma.id, seconds=0.2)
    await harness.say(cast.group, cast.admin, f"/warn {cast.juma.id} WARN-late shouting")
    assert copies(harness, cast.juma, "WARN-late") == 1  # Telegram has it; the bot timed out
    rows = [m for m in await harness.app.bot_data.store.outbox.all() if m.kind == "warning"]
    assert [(m.status, m.doubt) for m in rows] == [("pending", True)]
    await harness.advance(60)
    assert copies(harness, cast.juma, "WARN-late") == 1  # recognised, not sent again
    rows = [m for m in await harness.app.bot_data.store.outbox.all() if m.kind == "warning"]
    delivered = harness.emu.bot_messages(cast.juma)[-1]
    assert [(m.status, m.message_id) for m in rows] == [("sent", delivered.message_id)]
    edits = [c for c in harness.emu.calls_to("editMessageText") if c.ok]
    assert edits == []  # the check changed nothing


async def test_residual_case_a_timeout_cut_off_by_a_restart_is_sent_again(
    harness: Harness, cast: Cast
) -> None:
    """Documented, not hidden: after a restart the bot no longer knows which message ids are
    its other messages, so it cannot look for the copy safely and sends it again."""
    harness.read_timeout = 0.05
    await harness.restart()
    harness.emu.answer_late_next("sendMessage", chat_id=cast.juma.id, seconds=0.2)
    await harness.say(cast.group, cast.admin, f"/warn {cast.juma.id} WARN-restart shouting")
    await harness.restart(downtime=60)
    assert copies(harness, cast.juma, "WARN-restart") == 2


async def test_one_recipients_messages_keep_their_order_when_the_first_fails(
    harness: Harness, cast: Cast
) -> None:
    harness.emu.fail_next("sendMessage", 500, "Internal Server Error", chat_id=cast.juma.id)
    for word in ("ORDER-1", "ORDER-2", "ORDER-3"):
        await harness.say(cast.group, cast.admin, f"/warn {cast.juma.id} {word}")
    assert not any("ORDER-" in t for t in harness.said(cast.juma))  # 2 and 3 wait for 1
    await harness.advance(5)
    arrived = [
        w for t in harness.said(cast.juma) for w in ("ORDER-1", "ORDER-2", "ORDER-3") if w in t
    ]
    assert arrived == ["ORDER-1", "ORDER-2", "ORDER-3"]


async def test_a_support_message_that_can_never_arrive_tells_the_contact_admin(
    harness: Harness, cast: Cast
) -> None:
    harness.emu.fail_next("sendMessage", 502, "Bad Gateway", chat_id=cast.juma.id)
    await harness.say(cast.group, cast.admin, f"/exclude {cast.juma.id} 2d")
    assert "on its way" in harness.said(cast.admin)[-1]
    await harness.block(cast.juma)  # before the retry: Telegram now says 403
    await harness.advance(5)
    assert "could NOT send them the support message" in harness.said(cast.admin)[-1]
    rows = [
        m for m in await harness.app.bot_data.store.outbox.all() if m.kind == "exclusion_support"
    ]
    assert [(m.status, m.error) for m in rows] == [("failed", "forbidden")]
    assert {m.body for m in rows} == {""}  # nothing of it is kept


async def test_a_state_change_and_its_message_are_saved_together_or_not_at_all(
    harness: Harness, cast: Cast
) -> None:
    app = harness.app
    store = app.bot_data.store

    class Refused(Exception):
        pass

    async def refused_half_way() -> None:
        async with outbox.together(app):
            await store.moderation.add_warning(cast.group.id, cast.juma.id, None, "rolled back")
            await outbox.send_critical(app, cast.juma.id, "ROLLED-BACK", kind="warning")
            raise Refused

    with pytest.raises(Refused):
        await refused_half_way()
    await harness.advance(60)
    assert copies(harness, cast.juma, "ROLLED-BACK") == 0
    assert await store.outbox.all() == [m for m in await store.outbox.all() if m.kind != "warning"]
    assert await store.moderation.warning_count(cast.group.id, cast.juma.id) == 0

    async with outbox.together(app):
        await store.moderation.add_warning(cast.group.id, cast.juma.id, None, "kept")
        result = await outbox.send_critical(app, cast.juma.id, "KEPT", kind="warning")
        assert result == outbox.QUEUED  # not before the commit
        assert copies(harness, cast.juma, "KEPT") == 0
    assert copies(harness, cast.juma, "KEPT") == 1  # delivered right after it


async def test_each_message_travels_in_the_lane_of_its_kind(harness: Harness, cast: Cast) -> None:
    await harness.say(cast.group, cast.admin, f"/exclude {cast.juma.id} 3d")
    await harness.advance(DAY)  # a check-in
    lanes = {(m.kind, m.lane) for m in await harness.app.bot_data.store.outbox.all()}
    assert ("exclusion_support", "critical") in lanes
    assert ("admin_notice", "notice") in lanes
    assert ("answer", "notice") in lanes
    assert ("checkin", "bulk") in lanes
    assert outbox.lane_for("help_text") == outbox.lane_for("relay") == "critical"


class LaneRecordingRequest(EmulatorRequest):
    """The emulator transport, noting the rate limiter's lane each send leaves in."""

    lanes: ClassVar[list[tuple[str, str]]] = []

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        method = url.rsplit("/", 1)[-1]
        if method in ("sendMessage", "copyMessage"):
            self.lanes.append((method, priority_of(None)))
        return await super().do_request(url, *args, **kwargs)


async def test_the_rate_limiter_sees_each_kinds_lane(
    harness: Harness, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tests.support.EmulatorRequest", LaneRecordingRequest)
    await harness.restart()
    LaneRecordingRequest.lanes.clear()
    await harness.say(cast.group, cast.admin, f"/exclude {cast.juma.id} 3d")
    assert ("sendMessage", "critical") in LaneRecordingRequest.lanes  # the support message
    assert ("sendMessage", "notice") in LaneRecordingRequest.lanes  # notices and "Done"
    LaneRecordingRequest.lanes.clear()
    await harness.advance(DAY)
    assert LaneRecordingRequest.lanes == [("sendMessage", "bulk")]  # the check-in
