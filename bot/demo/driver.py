"""Acting as people against the emulator while the real bot runs: shared by tests and the demo.

A ``Driver`` does what a person does (join, write, press a button) and then lets the bot
``settle``: in tests the harness feeds the pending updates straight into the Application; in
the demo the bot polls the emulator over HTTP and the driver waits until it is idle. Time moves
only when told (``advance``): the emulator and the bot share one ``ManualClock``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from bot.context import App
from bot.timeutil import ManualClock
from emulator import Emulator, GroupHandle, Message, UserHandle
from emulator.handles import ChatRef


class Driver(ABC):
    def __init__(self, emu: Emulator, clock: ManualClock) -> None:
        self.emu = emu
        self.clock = clock

    @property
    @abstractmethod
    def app(self) -> App:
        """The running bot."""

    @abstractmethod
    async def settle(self) -> None:
        """Let the bot handle everything that happened so far."""

    # -- people and groups ------------------------------------------------------------------

    def user(
        self, first_name: str, *, language: str = "en", username: str | None = None
    ) -> UserHandle:
        return self.emu.add_user(first_name, language_code=language, username=username)

    async def group(
        self,
        title: str,
        *,
        owner: UserHandle,
        admins: Sequence[UserHandle] = (),
        members: Sequence[UserHandle] = (),
        join_by_request: bool = False,
        rights: Mapping[str, bool] | None = None,
        setup: bool = True,
    ) -> GroupHandle:
        """A group with the bot added as an administrator (and ``/setup`` sent by the owner)."""
        group = self.emu.add_group(
            title, owner=owner, admins=admins, members=members, join_by_request=join_by_request
        )
        self.emu.add_bot_to_group(group, by=owner, as_admin=True, rights=rights)
        await self.settle()
        if setup:
            await self.say(group, owner, "/setup")
        return group

    # -- what people do ---------------------------------------------------------------------

    async def say(
        self,
        chat: ChatRef,
        user: UserHandle,
        text: str,
        *,
        reply_to: int | None = None,
        anonymous_admin: bool = False,
        thread_id: int | None = None,
        formatted: bool = False,
    ) -> int:
        message_id = self.emu.send(
            chat,
            user,
            text,
            reply_to=reply_to,
            anonymous_admin=anonymous_admin,
            thread_id=thread_id,
            formatted=formatted,
        )
        await self.settle()
        return message_id

    async def react(
        self, chat: GroupHandle, user: UserHandle, message_id: int, emoji: str = "👍"
    ) -> None:
        self.emu.react(chat, user, message_id, emoji)
        await self.settle()

    async def private(self, user: UserHandle, text: str) -> int:
        """Write to the bot in the private chat."""
        return await self.say(user, user, text)

    async def start(self, user: UserHandle, payload: str | None = None) -> int:
        message_id = self.emu.start_bot(user, payload)
        await self.settle()
        return message_id

    async def open_link(self, user: UserHandle, url: str) -> str:
        outcome = self.emu.open_link(user, url)
        await self.settle()
        return outcome

    async def join(
        self,
        group: GroupHandle,
        user: UserHandle,
        *,
        invite_link: str | None = None,
        agree: bool = True,
    ) -> None:
        """Join a group; with ``agree`` (the default) also tap "I agree" on the rules welcome."""
        self.emu.join(group, user, invite_link=invite_link)
        await self.settle()
        if agree:
            await self.agree_to_rules(group, user)

    async def agree_to_rules(self, group: GroupHandle, user: UserHandle) -> bool:
        """Tap the newcomer's own "I agree" button (or the one of a welcome shared by several
        newcomers), if the rules gate greeted them."""
        own = (f"rules:agree:{group.id}:{user.id}", f"rules:agree:{group.id}:0")
        for message in reversed(self.emu.bot_messages(group)):
            for button in message.buttons():
                if button.get("callback_data") in own:
                    await self.press(user, group, message.message_id, str(button["callback_data"]))
                    return True
        return False

    async def leave(self, group: GroupHandle, user: UserHandle) -> None:
        self.emu.leave(group, user)
        await self.settle()

    async def request_join(self, group: GroupHandle, user: UserHandle) -> None:
        self.emu.request_join(group, user)
        await self.settle()

    async def block(self, user: UserHandle) -> None:
        self.emu.block_bot(user)
        await self.settle()

    async def press(
        self, user: UserHandle, chat: ChatRef, message_id: int, data: str, *, forge: bool = False
    ) -> None:
        self.emu.press(user, chat, message_id, data, forge=forge)
        await self.settle()

    async def tap(self, user: UserHandle, chat: ChatRef, label: str) -> Message:
        """Press the button labelled ``label`` (a part of it) on the newest bot message with it."""
        for message in reversed(self.emu.bot_messages(chat)):
            for button in message.buttons():
                if label.lower() in str(button.get("text", "")).lower() and button.get(
                    "callback_data"
                ):
                    await self.press(user, chat, message.message_id, str(button["callback_data"]))
                    return message
        raise LookupError(f"no button labelled {label!r} in chat {chat}")

    async def advance(self, seconds: float) -> None:
        """Let time pass: the emulator's clock and the bot's move together; due work runs."""
        self.clock.advance(seconds)
        await self.app.bot_data.scheduler.run_due(self.app)
        await self.settle()

    # -- what the bot said ------------------------------------------------------------------

    def last(self, chat: ChatRef) -> Message:
        message = self.emu.last_bot_message(chat)
        if message is None:
            raise LookupError(f"the bot has not written in chat {chat}")
        return message

    def said(self, chat: ChatRef) -> list[str]:
        """Texts (or captions) of the bot's messages still visible in a chat, oldest first."""
        return [m.text or m.caption or "" for m in self.emu.bot_messages(chat)]
