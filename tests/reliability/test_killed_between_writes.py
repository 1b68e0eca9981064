"""A kill part-way through an update that writes more than once loses none of it: Telegram
sends the update again to the restarted bot, which finishes it — or skips it, when what it
decided had committed (never carried out twice).

The real application, store and emulator; the kill is simulated without timing
(``tests/reliability/crashes.py``).
"""

from __future__ import annotations

import pytest

from bot.moderation import measures
from emulator import GroupHandle, UserHandle
from tests.circle.conftest import accept, add_person, world
from tests.reliability.crashes import CrashPoint, killed_while_handling, restarted
from tests.support import Harness


async def _newcomer(harness: Harness) -> tuple[GroupHandle, UserHandle]:
    amina = harness.user("Amina")
    group = await harness.group("Peer Circle", owner=amina)
    neema = harness.user("Neema")
    await harness.join(group, neema, agree=False)
    assert not harness.emu.can_post(group, neema)
    return group, neema


def _press_agree(harness: Harness, group: GroupHandle, person: UserHandle) -> None:
    own = f"rules:agree:{group.id}:{person.id}"
    for message in reversed(harness.emu.bot_messages(group)):
        if any(b.get("callback_data") == own for b in message.buttons()):
            harness.emu.press(person, group, message.message_id, own)
            return
    raise AssertionError("no welcome with an agree button")


async def test_a_join_killed_after_its_bookkeeping_is_still_gated_and_welcomed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The join's first commit notes the newcomer's @username; killed after it (and after
    the newcomer was held back), before the gate and its welcome were saved: the join, sent
    again, is carried out, so the newcomer is not left held back without a button."""
    amina = harness.user("Amina")
    group = await harness.group("Peer Circle", owner=amina)
    neema = harness.user("Neema", username="neema")
    harness.emu.join(group, neema)
    store = harness.app.bot_data.store
    crash = CrashPoint(monkeypatch, store.rules, "gate_recent_welcome")
    await killed_while_handling(harness, crash)
    assert await store.handles.find("neema") == neema.id  # that commit was made
    assert not harness.emu.can_post(group, neema)

    assert await restarted(harness) == 0
    assert await harness.app.bot_data.store.rules.gate_get(group.id, neema.id) is not None
    assert not harness.emu.can_post(group, neema)
    assert await harness.agree_to_rules(group, neema)  # the welcome and its button came
    assert harness.emu.can_post(group, neema)


async def test_killed_as_the_agreement_is_saved_the_agree_still_counts(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the gate was lifted and its entry closed, as the agreement was being
    written: after the restart the tap is carried out again, and the agreement is kept."""
    group, neema = await _newcomer(harness)
    store = harness.app.bot_data.store
    _press_agree(harness, group, neema)
    await killed_while_handling(harness, CrashPoint(monkeypatch, store.rules, "accept"))

    assert await restarted(harness) == 0  # nothing of it had committed: carried out again
    store = harness.app.bot_data.store
    assert harness.emu.can_post(group, neema)
    [accepted] = await store.rules.acceptances(group.id, neema.id)
    assert accepted.version == 0
    assert await store.rules.gate_get(group.id, neema.id) is None
    assert "no longer active" not in harness.emu.transcript()


async def test_an_agree_whose_change_committed_is_not_carried_out_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the agreement committed, before the welcome was tidied: the update is
    recorded with that commit, so the restarted bot skips it (and says nothing twice)."""
    group, neema = await _newcomer(harness)
    store = harness.app.bot_data.store
    _press_agree(harness, group, neema)
    await killed_while_handling(harness, CrashPoint(monkeypatch, store.rules, "gate_sharing"))

    assert await restarted(harness) == 1
    store = harness.app.bot_data.store
    assert harness.emu.can_post(group, neema)
    assert len(await store.rules.acceptances(group.id, neema.id)) == 1
    assert "no longer active" not in harness.emu.transcript()


async def test_forgetme_killed_part_way_erases_everything_after_the_restart(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after some sections were erased (their agreement to the rules, their circle)
    and before the rest: nothing of it had committed, so the tap, sent again, erases it all
    and tells the support person once."""
    w = await world(harness)
    pid = await add_person(harness, w.member, "Wanjiru", "0712345678")
    await accept(harness, w.member, pid, w.sister)
    await harness.private(w.member, "/forgetme")
    harness.emu.press(
        w.member, w.member, harness.last(w.member).message_id, "circle:forget:1", forge=True
    )
    store = harness.app.bot_data.store
    await killed_while_handling(
        harness, CrashPoint(monkeypatch, store.moderation, "forget_person")
    )
    told = len(harness.emu.bot_messages(w.sister))

    assert await restarted(harness) == 0
    store = harness.app.bot_data.store
    assert await store.circle.persons(w.member.id) == []
    assert await store.rules.acceptances(w.group.id, w.member.id) == []
    assert await store.users.get(w.member.id) is None
    farewells = [m for m in harness.emu.bot_messages(w.sister)[told:] if "Amani" in (m.text or "")]
    assert len(farewells) == 1


async def test_an_answer_written_before_a_kill_is_not_sent_again_after_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/start changes nothing that records the update: killed after its welcome was sent and
    before its id was recorded, it is carried out again after the restart — and its welcome,
    already written (and sent) by the first run, is not written a second time."""
    amina = harness.user("Amina")
    harness.emu.start_bot(amina)
    store = harness.app.bot_data.store
    await killed_while_handling(harness, CrashPoint(monkeypatch, store.handled, "mark"))
    assert len(harness.emu.bot_messages(amina)) == 1  # welcomed before the kill

    assert await restarted(harness) == 0  # not recorded: carried out again
    assert len(harness.emu.bot_messages(amina)) == 1


async def _heated(harness: Harness, command: str) -> tuple[GroupHandle, UserHandle, int]:
    """Juma's message in Wanjiru's group, and her command in reply (not handled yet)."""
    owner, juma = harness.user("Wanjiru"), harness.user("Juma")
    group = await harness.group("Peer Group", owner=owner, members=[juma])
    for person in (owner, juma):
        await harness.start(person)
    said = await harness.say(group, juma, "a heated message")
    return group, juma, harness.emu.send(group, owner, command, reply_to=said)


def _answered_once(harness: Harness, group: GroupHandle, command: int, done: str) -> None:
    """The command was removed, the group told once that it was done."""
    message = harness.emu.message(group, command)
    assert message is None or message.deleted
    assert sum(done in t for t in harness.said(group)) == 1


@pytest.mark.parametrize(
    "killed_at",
    ["start_sanction", "tell_admins_of"],
    ids=["after the ban", "after the exclusion was saved"],
)
async def test_an_exclusion_killed_part_way_is_finished_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, killed_at: str
) -> None:
    """Killed after Telegram took the ban and before the exclusion was saved, or after it was
    saved and before the admins and the group were told: the /exclude, sent again, finds the
    member already out of the group (not "not in this group") and the exclusion made once,
    with its one support message, its answer and its end."""
    group, juma, command = await _heated(harness, "/exclude 1h a break")
    owner = {"start_sanction": harness.app.bot_data.store.moderation, "tell_admins_of": measures}
    await killed_while_handling(harness, CrashPoint(monkeypatch, owner[killed_at], killed_at))
    assert harness.emu.member(group, juma).status == "kicked"

    assert await restarted(harness) == 0  # not recorded as carried out: carried out again
    store = harness.app.bot_data.store
    assert await store.moderation.active_sanction(group.id, juma.id, "exclude") is not None
    rows = await store.db.fetch_one("SELECT COUNT(*) FROM mod_sanctions")
    assert rows is not None and rows[0] == 1
    assert "not in this group" not in harness.emu.transcript()
    assert sum("a break from the group for 1 hour" in t for t in harness.said(juma)) == 1
    _answered_once(harness, group, command, "Done: out of the group for 1 hour")
    await harness.advance(3600)
    assert harness.emu.member(group, juma).status == "left"  # readmitted at the end


@pytest.mark.parametrize(
    ("command", "told", "done"),
    [
        ("/warn please be kind", "please be kind", "Done: a warning is recorded"),
        ("/mute 1h please pause", "paused your writing", "Done: read-only for 1 hour"),
    ],
    ids=["warn", "mute"],
)
async def test_a_measure_killed_after_it_was_saved_is_answered_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, command: str, told: str, done: str
) -> None:
    """Killed after the measure was saved (with its message to the member) and before the
    admins and the group were told: the command is carried out again, the measure not made
    twice, the member told once, the command answered and removed."""
    group, juma, sent = await _heated(harness, command)
    await killed_while_handling(harness, CrashPoint(monkeypatch, measures, "tell_admins_of"))

    assert await restarted(harness) == 0
    store = harness.app.bot_data.store
    made = await store.db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM mod_warnings) + (SELECT COUNT(*) FROM mod_sanctions)"
    )
    assert made is not None and made[0] == 1
    assert sum(told in t for t in harness.said(juma)) == 1
    _answered_once(harness, group, sent, done)
