"""Issue 11 item 8: after /forgetme no row of any table carries the member's id, outside an
anonymised audit trace. The member first lives a full life in the group (rules, a username,
messages, a warning, a mute that ended, a report, a one-to-one talk, a join request, support
persons, consent, "support now", an admin's concern); then every table is scanned."""

from __future__ import annotations

from typing import Any

from tests.circle.conftest import accept, add_person, callbacks, press, world, write_help_text
from tests.support import Harness

HOUR = 3600


async def rows_with(harness: Harness, value: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table that holds ``value`` in a column (as a number or in text)."""
    db = harness.app.bot_data.store.db
    found: dict[str, list[dict[str, Any]]] = {}
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for table in (str(t["name"]) for t in tables):
        for row in await db.fetch_all(f"SELECT * FROM {table}"):
            cells = dict(row)
            if any(
                cell == value or (isinstance(cell, str) and str(value) in cell)
                for cell in cells.values()
            ):
                found.setdefault(table, []).append(cells)
    return found


async def test_forgetme_leaves_no_row_with_the_members_id(harness: Harness) -> None:
    w = await world(harness)
    member = w.member
    store = harness.app.bot_data.store
    # A username the bot learns, messages, a warning, a mute that ends, a report they send.
    harness.emu.set_username(member, "amani_k")
    said = await harness.say(w.group, member, "Hello, I mostly read here")
    other = await harness.say(w.group, w.other, "you are all useless")
    await harness.say(w.group, member, "/report", reply_to=other)
    await harness.say(w.group, w.admin, "/warn be gentle", reply_to=said)
    await harness.say(w.group, w.admin, "/mute 1h", reply_to=said)
    # A one-to-one talk with an administrator, ended.
    await harness.private(member, "/talk")
    await harness.tap(member, member, "An administrator")
    await harness.private(member, "Could we talk?")
    await harness.tap(w.admin, w.admin, "Accept")
    await harness.private(member, "/end")
    # A join request to a second group, declined.
    closed = await harness.group("Closed Group", owner=w.admin, join_by_request=True)
    await harness.say(closed, w.admin, "/settings join approval")
    await harness.request_join(closed, member)
    await harness.tap(member, member, "I agree")
    await harness.tap(w.admin, w.admin, "Decline")
    # Support persons, a help text, "support now", an admin's concern answered.
    pid = await add_person(harness, member, "Wanjiru", "0712345678")
    await accept(harness, member, pid, w.sister)
    await write_help_text(harness, member, "Please call me tonight.")
    await harness.private(member, "/supportnow")
    await harness.tap(member, member, "Wanjiru")
    await harness.tap(member, member, "Send")
    await harness.private(w.admin, f"/concern {member.id}")
    await press(harness, member, callbacks(harness, member)[0])
    await harness.advance(2 * HOUR)  # the mute ends; timed work finishes
    assert await rows_with(harness, member.id)  # the member is all over the database

    await harness.private(member, "/forgetme")
    await press(harness, member, "circle:forget:0")

    left = await rows_with(harness, member.id)
    for table, rows in left.items():
        print(table, rows)
    trace = left.pop("audit_log", [])
    assert left == {}, sorted(left)
    assert trace == []  # the audit entries stay, with nothing that points to the member
    entries = await store.db.fetch_all("SELECT COUNT(*) AS n FROM audit_log")
    assert entries[0]["n"] > 0
