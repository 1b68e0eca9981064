"""Read-only views of the world for tests and the demo."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from emulator.handles import ChatRef, UserRef, ref_id
from emulator.lookup import WorldAccess
from emulator.methods.bot_profile import scope_key
from emulator.rules import can_post
from emulator.serialize import member_json
from emulator.transcript import render
from emulator.world import (
    JSON,
    CallRecord,
    Event,
    InviteLink,
    JoinRequest,
    Membership,
    Message,
    SentFile,
)


class Inspection(WorldAccess):
    @property
    def calls(self) -> list[CallRecord]:
        return list(self._world.calls)

    def calls_to(self, method: str) -> list[CallRecord]:
        wanted = method.lower()
        return [call for call in self._world.calls if call.method.lower() == wanted]

    def messages(self, chat: ChatRef, *, include_deleted: bool = True) -> list[Message]:
        """Copies of a chat's messages in order (check `.deleted`, `.buttons()`)."""
        found = self._chat(chat).messages.values()
        return [replace(m) for m in found if include_deleted or not m.deleted]

    def message(self, chat: ChatRef, message_id: int) -> Message | None:
        message = self._chat(chat).messages.get(message_id)
        return replace(message) if message else None

    def pinned(self, chat: ChatRef) -> list[int]:
        """Ids of the chat's pinned messages that still exist, oldest pin first."""
        found = self._chat(chat)
        return [
            message_id
            for message_id in found.pinned
            if message_id in found.messages and not found.messages[message_id].deleted
        ]

    def bot_messages(self, chat: ChatRef, *, include_deleted: bool = False) -> list[Message]:
        bot_id = self._world.bot.id
        return [
            m
            for m in self.messages(chat, include_deleted=include_deleted)
            if m.sender_id == bot_id and not m.service
        ]

    def last_bot_message(self, chat: ChatRef) -> Message | None:
        sent = self.bot_messages(chat)
        return sent[-1] if sent else None

    def member(self, chat: ChatRef, user: UserRef) -> Membership:
        """The person's membership now (restrictions and bans lapse with the clock)."""
        return self._world.member(self._chat(chat), ref_id(user)).snapshot()

    def member_json(self, chat: ChatRef, user: UserRef) -> JSON:
        """The membership as getChatMember would return it."""
        return member_json(self._world, self._world.member(self._chat(chat), ref_id(user)))

    def can_post(self, chat: ChatRef, user: UserRef, kind: str = "text") -> bool:
        return can_post(self._world, self._chat(chat), ref_id(user), kind)

    def sent_files(self, chat: ChatRef) -> list[SentFile]:
        files: list[SentFile] = []
        for message in self._chat(chat).messages.values():
            if message.media is None:
                continue
            media = message.media
            files.append(
                SentFile(
                    chat_id=message.chat_id,
                    message_id=message.message_id,
                    kind=media.kind,
                    file_id=media.file_id,
                    file_name=media.file_name,
                    mime_type=media.mime_type,
                    data=media.data,
                    caption=message.caption,
                    sender_id=message.sender_id,
                )
            )
        return files

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        key = (scope_key(self._world, scope), language_code)
        return [dict(c) for c in self._world.profile.commands.get(key, [])]

    def description(self, language_code: str = "", *, short: bool = False) -> str:
        kind = "short_description" if short else "description"
        return self._world.profile.descriptions.get((kind, language_code), "")

    def invite_links(self, chat: ChatRef) -> list[InviteLink]:
        chat_id = self._chat(chat).id
        return [replace(link) for link in self._world.links.values() if link.chat_id == chat_id]

    def join_requests(self, chat: ChatRef) -> list[JoinRequest]:
        chat_id = self._chat(chat).id
        return [replace(r) for (cid, _), r in self._world.join_requests.items() if cid == chat_id]

    @property
    def events(self) -> list[Event]:
        return list(self._world.events)

    def transcript_mark(self) -> int:
        """A position to pass as `since` to see only what happens from now on."""
        return len(self._world.events)

    def transcript(self, since: int = 0) -> str:
        return render(self._world, self._world.events[since:])

    def pending_updates(self) -> int:
        return self._world.updates.pending_count()

    def pending_update_ids(self) -> list[int]:
        """The ids of the updates Telegram still holds for the bot (not confirmed yet)."""
        return self._world.updates.pending_ids()

    def webhook_url(self) -> str:
        return self._world.webhook.url

    def state_summary(self) -> dict[str, Any]:
        world = self._world
        return {
            "users": len(world.users) - 2,
            "chats": len(world.chats),
            "pending_updates": world.updates.pending_count(),
            "events": len(world.events),
            "calls": len(world.calls),
        }
