"""Members who were in a group before the bot are learned as they take part (issue 10, item 4)."""

from __future__ import annotations

from tests.support import Harness


async def test_a_member_from_before_the_bot_is_known_once_they_post(harness: Harness) -> None:
    owner, amina = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Peer Group", owner=owner, members=[amina])
    users = harness.app.bot_data.store.users
    assert group.id not in await users.groups_of(amina.id)  # no chat_member event ever came
    await harness.say(group, amina, "Habari zenu, I have been here a while")
    assert await users.groups_of(amina.id) == [group.id]
    # no text of hers is kept anywhere: the row holds ids and a status only
    row = await harness.app.bot_data.store.db.fetch_one(
        "SELECT * FROM memberships WHERE user_id = ?", (amina.id,)
    )
    assert row is not None and dict(row) == {
        "chat_id": group.id,
        "user_id": amina.id,
        "status": "member",
        "updated_at": row["updated_at"],
        "joined_at": None,  # unknown: she was there before the bot
        "added_by": None,
    }


async def test_later_messages_cost_no_write(harness: Harness) -> None:
    owner, amina = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Peer Group", owner=owner, members=[amina])
    await harness.say(group, amina, "first")
    db = harness.app.bot_data.store.db
    before = (await db.fetch_one("SELECT total_changes()"))[0]
    for text in ("second", "third", "fourth"):
        await harness.say(group, amina, text)
    assert (await db.fetch_one("SELECT total_changes()"))[0] == before


async def test_a_member_who_left_and_posts_again_is_present(harness: Harness) -> None:
    owner, amina = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Peer Group", owner=owner, members=[amina])
    await harness.say(group, amina, "hello")
    harness.emu.leave(group, amina)
    await harness.settle()
    users = harness.app.bot_data.store.users
    assert await users.groups_of(amina.id) == []
    harness.emu.join(group, amina)
    await harness.settle()
    await harness.tap(amina, group, "I agree")
    await harness.say(group, amina, "back again")
    assert await users.groups_of(amina.id) == [group.id]


async def test_a_group_the_bot_does_not_serve_learns_nothing(harness: Harness) -> None:
    owner, amina = harness.user("Eve"), harness.user("Amina")
    group = harness.emu.add_group("Not ours", owner=owner, members=[amina])
    await harness.say(group, amina, "hello")
    assert await harness.app.bot_data.store.users.groups_of(amina.id) == []


async def test_an_edited_message_never_runs_a_command_again(harness: Harness) -> None:
    owner, amina = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Peer Group", owner=owner, members=[amina])
    message_id = await harness.say(group, amina, "I love this group")
    before = len(harness.emu.calls_to("sendMessage"))
    harness.emu.edit(group, amina, message_id, "/help")
    await harness.settle()
    assert len(harness.emu.calls_to("sendMessage")) == before


async def test_a_group_that_becomes_a_supergroup_keeps_every_record(harness: Harness) -> None:
    owner, amina = harness.user("Wanjiru"), harness.user("Amina")
    group = await harness.group("Peer Group", owner=owner, members=[amina])
    await harness.say(group, amina, "hello")
    store = harness.app.bot_data.store
    new_id = group.id * 1000 - 7
    await store.groups.migrate_chat(group.id, new_id)
    moved = await store.groups.get(new_id)
    assert moved is not None and moved.registered and moved.title == "Peer Group"
    assert await store.groups.get(group.id) is None
    assert await store.users.groups_of(amina.id) == [new_id]
    assert await store.rules.current_version(new_id) == await store.rules.current_version(new_id)
    check = await store.db.fetch_all("PRAGMA foreign_key_check")
    assert list(check) == []
