"""Helpers for the circle's end-to-end tests (on the shared harness)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from emulator import GroupHandle, UserHandle
from tests.support import Harness


def callbacks(harness: Harness, chat: UserHandle | GroupHandle) -> list[str]:
    """The callback data of the newest bot message in ``chat`` that has buttons."""
    for message in reversed(harness.emu.bot_messages(chat)):
        data = [str(b["callback_data"]) for b in message.buttons() if b.get("callback_data")]
        if data:
            return data
    return []


async def press(
    harness: Harness,
    user: UserHandle,
    data: str,
    *,
    chat: UserHandle | GroupHandle | None = None,
    forge: bool = False,
) -> None:
    """Press the button carrying ``data`` (newest message first); ``forge`` sends it anyway."""
    where = chat or user
    for message in reversed(harness.emu.bot_messages(where)):
        if any(b.get("callback_data") == data for b in message.buttons()):
            await harness.press(user, where, message.message_id, data)
            return
    if not forge:
        raise LookupError(f"no button {data!r} in {where}")
    await harness.press(user, where, harness.last(where).message_id, data, forge=True)


def text(harness: Harness, chat: UserHandle | GroupHandle) -> str:
    return harness.last(chat).text or harness.last(chat).caption or ""


def everything_seen_by(harness: Harness, chat: UserHandle | GroupHandle) -> str:
    """Every message (incl. deleted or edited away) and file in that chat, plus alerts."""
    texts = [
        (m.text or "") + (m.caption or "") + str(m.reply_markup or "")
        for m in harness.emu.messages(chat)
    ]
    texts += [
        str(c.params) for c in harness.emu.calls if str(c.params.get("chat_id")) == str(chat.id)
    ]
    texts += [f.data.decode(errors="replace") for f in harness.emu.sent_files(chat) if f.data]
    return "\n".join(texts)


def alerts(harness: Harness) -> list[str]:
    return [str(c.params.get("text")) for c in harness.emu.calls_to("answerCallbackQuery")]


@dataclass
class World:
    member: UserHandle
    sister: UserHandle
    brother: UserHandle
    admin: UserHandle
    other: UserHandle
    group: GroupHandle


async def world(harness: Harness) -> World:
    admin = harness.user("Baraka")
    member = harness.user("Amani")
    other = harness.user("Otieno")
    sister = harness.user("Wanjiru")
    brother = harness.user("Kamau")
    group = await harness.group("Pamoja Nairobi", owner=admin)
    await harness.join(group, member)
    await harness.join(group, other)
    for person in (admin, member, other):
        await harness.start(person)
    return World(member, sister, brother, admin, other, group)


async def add_person(
    harness: Harness,
    member: UserHandle,
    name: str,
    phone: str | None = None,
    *,
    relationship: str | None = None,
    asked: bool = True,
) -> int:
    await harness.private(member, "/mycircle")
    await press(harness, member, "circle:add")
    await harness.private(member, name)
    if relationship:
        await harness.private(member, relationship)
    else:
        await press(harness, member, "circle:skip")
    if phone:
        await harness.private(member, phone)
    else:
        await press(harness, member, "circle:skip")
    await press(harness, member, "circle:skip")
    await press(harness, member, f"circle:add_asked:{1 if asked else 0}")
    persons = await harness.app.bot_data.store.circle.persons(member.id)
    return persons[-1].id


async def invite_link(harness: Harness, member: UserHandle, person_id: int) -> str:
    await harness.private(member, "/mycircle")
    await press(harness, member, f"circle:person:{person_id}")
    await press(harness, member, f"circle:invite:{person_id}")
    found = re.search(r"https://t\.me/\S+\?start=c-[A-Za-z0-9_-]+", text(harness, member))
    assert found is not None
    return found.group(0)


async def accept(
    harness: Harness, member: UserHandle, person_id: int, who: UserHandle, *, confirm: bool = True
) -> None:
    """``who`` opens the member's invite and accepts; the member then confirms the account
    (unless ``confirm`` is False: the person is not active until they do)."""
    link = await invite_link(harness, member, person_id)
    assert await harness.open_link(who, link) == "started"
    await press(harness, who, callbacks(harness, who)[0])
    if confirm:
        await press(harness, member, f"circle:tg_confirm:{person_id}:1")


async def write_help_text(harness: Harness, member: UserHandle, words: str) -> None:
    await harness.private(member, "/mycircle")
    await press(harness, member, "circle:help")
    await press(harness, member, "circle:help_write")
    await harness.private(member, words)
    await press(harness, member, "circle:help_save")
