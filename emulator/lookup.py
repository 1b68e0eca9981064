"""Resolving handles to world objects for the person-facing API."""

from __future__ import annotations

from emulator.errors import EmulatorError
from emulator.handles import ChatRef, UserHandle, UserRef, ref_id
from emulator.state import World
from emulator.world import Chat, User


class WorldAccess:
    """Base of the Emulator mixins: holds the world and resolves handles."""

    _world: World

    def _user(self, ref: UserRef) -> User:
        user = self._world.users.get(ref_id(ref))
        if user is None:
            raise EmulatorError(f"unknown user {ref_id(ref)}")
        return user

    def _chat(self, ref: ChatRef) -> Chat:
        chat_id = ref_id(ref)
        chat = self._world.chats.get(chat_id)
        if chat is None and chat_id in self._world.users and chat_id != self._world.bot.id:
            chat = self._world.private_chat(self._world.users[chat_id])
        if chat is None:
            raise EmulatorError(f"unknown chat {chat_id}")
        return chat

    def _group(self, ref: ChatRef) -> Chat:
        chat = self._chat(ref)
        if chat.is_private:
            raise EmulatorError(f"{chat.id} is a private chat, not a group")
        return chat

    @staticmethod
    def _handle(user: User) -> UserHandle:
        return UserHandle(user.id, user.first_name, user.username)
