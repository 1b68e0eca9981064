"""An "I need support now" killed part-way through reaching people (``delivering_live``) is
finished at start-up, exactly once: whoever was reached is not reached again, nobody chosen
is skipped, and the member is told how it went, once.

The real application, store and emulator; the kill is simulated without timing
(``tests/reliability/crashes.py``): the member's Send is handled until the chosen call, where
the process dies; a new application starts on the same database.
"""

from __future__ import annotations

import pytest

from tests.circle.conftest import World, accept, add_person, press, world, write_help_text
from tests.circle.test_circle_e2e import decide_in_advance
from tests.reliability.crashes import CrashPoint, killed_during, killed_while_handling, restarted
from tests.support import Harness

HELP = "Please call me"


async def _sent_for_both(harness: Harness) -> tuple[World, int]:
    """Wanjiru gets the help text on Telegram; the administrator is asked to phone Kamau.
    Send is pressed, not yet handled."""
    w = await world(harness)
    await write_help_text(harness, w.member, HELP)
    sister = await add_person(harness, w.member, "Wanjiru")
    await accept(harness, w.member, sister, w.sister)
    brother = await add_person(harness, w.member, "Kamau", "0722000111")
    await harness.private(w.member, "/supportnow")
    esc = (await harness.app.bot_data.store.ledger.escalations(w.member.id))[-1]
    await press(harness, w.member, f"circle:pick:{esc.id}:{sister}")
    await press(harness, w.member, f"circle:pick:{esc.id}:{brother}")
    last = harness.last(w.member)
    harness.emu.press(w.member, w.member, last.message_id, f"circle:pick_done:{esc.id}")
    return w, esc.id


def _count(harness: Harness, w: World, who: str, words: str) -> int:
    chat = {"sister": w.sister, "admin": w.admin, "member": w.member}[who]
    return sum(words in t for t in harness.said(chat))


async def _finished_once(harness: Harness, w: World, escalation_id: int) -> None:
    ledger = harness.app.bot_data.store.ledger
    escalation = await ledger.escalation(escalation_id)
    assert escalation is not None and escalation.status == "done"
    assert _count(harness, w, "sister", HELP) == 1
    assert _count(harness, w, "admin", "+254722000111") == 1
    assert _count(harness, w, "member", "Wanjiru: your help text was sent on Telegram") == 1
    assert _count(harness, w, "member", "Kamau: Baraka was asked to phone them") == 1
    records = sorted(
        (d.person_label, d.recipient_kind, d.status) for d in await ledger.disclosures(w.member.id)
    )
    assert records == [("Kamau", "admin", "seen"), ("Wanjiru", "person", "seen")]


async def test_killed_after_the_first_person_was_reached_the_rest_are_reached_at_start_up(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    w, escalation_id = await _sent_for_both(harness)
    ledger = harness.app.bot_data.store.ledger
    crash = CrashPoint(monkeypatch, ledger, "record_disclosure", passing=1)  # at the card
    await killed_while_handling(harness, crash)
    assert _count(harness, w, "sister", HELP) == 1  # reached before the kill
    assert _count(harness, w, "admin", "+254722000111") == 0
    escalation = await ledger.escalation(escalation_id)
    assert escalation is not None and escalation.status == "delivering_live"

    await restarted(harness)
    await _finished_once(harness, w, escalation_id)


async def test_killed_as_it_ended_nobody_is_reached_twice_and_the_member_is_told_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everyone was reached; the kill came as the member's notice and the end were written."""
    w, escalation_id = await _sent_for_both(harness)
    ledger = harness.app.bot_data.store.ledger
    # ``move``: to approved, to delivering, then to done (where it dies).
    await killed_while_handling(harness, CrashPoint(monkeypatch, ledger, "move", passing=2))
    assert _count(harness, w, "admin", "+254722000111") == 1
    assert _count(harness, w, "member", "Wanjiru: your help text was sent on Telegram") == 0

    await restarted(harness)
    await _finished_once(harness, w, escalation_id)


async def _concern_going_ahead(harness: Harness) -> World:
    """The member decided in advance: after 30 minutes without an answer, an administrator may
    see Kamau's name and number (with their wishes). An administrator raised a concern."""
    w = await world(harness)
    kamau = await add_person(harness, w.member, "Kamau", "0722000111")
    await decide_in_advance(harness, w.member, kamau, 30, "call my brother first; no police")
    await harness.private(w.admin, f"/concern {w.member.id}")
    harness.clock.advance(31 * 60)  # the wait is over: due now
    return w


async def _decided_in_advance_done_once(harness: Harness, w: World) -> None:
    ledger = harness.app.bot_data.store.ledger
    [escalation] = [e for e in await ledger.escalations(w.member.id) if e.kind == "admin"]
    assert escalation.status == "done"
    assert _count(harness, w, "admin", "+254722000111") == 1
    assert _count(harness, w, "member", "did what you decided in advance") == 1
    whats = sorted(d.what for d in await ledger.disclosures(w.member.id))
    assert whats == ["details", "wishes"]


@pytest.mark.parametrize("passing", [0, 1], ids=["before the card", "as it ended"])
async def test_what_was_decided_in_advance_is_finished_once_at_start_up(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, passing: int
) -> None:
    """Killed as the card was being written (nothing of it saved), or as the end was (the
    card sent): start-up finishes it, the card reaching the administrator once."""
    w = await _concern_going_ahead(harness)
    app, ledger = harness.app, harness.app.bot_data.store.ledger
    name = "record_disclosure" if passing == 0 else "move"
    # ``move``: to advance, (not to delivering_live), to delivering_advance, then to done.
    crash = CrashPoint(monkeypatch, ledger, name, passing=0 if passing == 0 else 3)
    await killed_during(crash, app.bot_data.scheduler.run_due(app))
    assert _count(harness, w, "admin", "+254722000111") == passing

    await harness.restart()
    await _decided_in_advance_done_once(harness, w)
