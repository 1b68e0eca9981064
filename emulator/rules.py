"""Rules shared by Bot API methods and the people's actions: who may reach whom, how
membership changes are announced, and which messages the bot gets (privacy mode)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from emulator.errors import bad_request, forbidden
from emulator.params import Params
from emulator.serialize import (
    chat_json,
    invite_link_json,
    member_json,
    message_json,
    user_json,
)
from emulator.transcript import describe_message, sender_name
from emulator.world import (
    ANONYMOUS_ADMIN_ID,
    CHANNEL_BOT_ID,
    JSON,
    Chat,
    InviteLink,
    Membership,
    Message,
    Permissions,
    User,
)

if TYPE_CHECKING:
    from emulator.state import World

SEND_PERMISSION = {
    "text": "can_send_messages",
    "photo": "can_send_photos",
    "document": "can_send_documents",
    "voice": "can_send_voice_notes",
    "video": "can_send_videos",
    "audio": "can_send_audios",
    "sticker": "can_send_other_messages",
    "poll": "can_send_polls",
}
_RIGHTS_WORDING = {
    "text": "text messages",
    "photo": "photos",
    "document": "documents",
    "voice": "voice notes",
    "video": "videos",
    "audio": "audio files",
    "sticker": "stickers",
    "poll": "polls",
}


def check_can_message(world: World, user: User) -> None:
    """Telegram's rules for a bot writing to a person in private."""
    if user.is_bot:
        raise forbidden("bot can't send messages to bots")
    if user.has_blocked_bot:
        raise forbidden("bot was blocked by the user")
    if not user.has_started_bot and world.now() > user.dm_window_until:
        raise forbidden("bot can't initiate conversation with a user")


def bot_chat(
    world: World, params: Params, name: str = "chat_id", *, sending: str | None = None
) -> Chat:
    """Resolve a chat the bot addresses, with Telegram's errors when it can't reach it.
    `sending` names the kind of content being sent (text, photo...) to check permissions."""
    chat = world.find_chat(params.chat_id(name))
    if chat is None:
        raise bad_request("chat not found")
    if chat.is_private:
        if sending is not None:
            check_can_message(world, world.users[chat.id])
        return chat
    if world.bot.id not in chat.members:
        raise bad_request("chat not found")
    membership = world.bot_member(chat)
    if membership.status == "kicked":
        raise forbidden("bot was kicked from the supergroup chat")
    if not membership.active:
        raise forbidden("bot is not a member of the supergroup chat")
    if sending is not None and not membership.is_admin:
        permission = SEND_PERMISSION[sending]
        allowed = getattr(chat.permissions, permission)
        if membership.status == "restricted" and membership.permissions is not None:
            allowed = allowed and getattr(membership.permissions, permission)
        if not allowed:
            raise bad_request(f"not enough rights to send {_RIGHTS_WORDING[sending]} to the chat")
    return chat


def require_supergroup(chat: Chat) -> None:
    if chat.is_private:
        raise bad_request("method is available only for supergroups")


def can_post(world: World, chat: Chat, user_id: int, kind: str = "text") -> bool:
    """Whether the Telegram app would let this person post this kind of content."""
    if chat.is_private:
        user = world.users.get(user_id)
        return bool(user and user.id == chat.id and user.has_started_bot)
    membership = world.member(chat, user_id)
    if membership.is_admin:
        return True
    if not membership.active:
        return False
    permission = SEND_PERMISSION[kind]
    allowed = bool(getattr(chat.permissions, permission))
    if membership.status == "restricted" and membership.permissions is not None:
        allowed = allowed and bool(getattr(membership.permissions, permission))
    return allowed


def permissions_from(values: JSON, *, independent: bool) -> Permissions:
    """ChatPermissions as restrictChatMember/setChatPermissions read them: omitted fields are
    false; without use_independent_chat_permissions the documented implications apply."""
    permissions = Permissions.from_mapping(values, default=False)
    if not independent:
        if permissions.can_send_other_messages or permissions.can_add_web_page_previews:
            for name in (
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
            ):
                setattr(permissions, name, True)
        if permissions.can_send_polls:
            permissions.can_send_messages = True
    return permissions


def announce_member_change(
    world: World,
    chat: Chat,
    actor_id: int,
    old: Membership,
    new: Membership,
    *,
    invite_link: InviteLink | None = None,
    via_join_request: bool = False,
) -> None:
    """my_chat_member for the bot's own status; chat_member (admins only) for others."""
    if chat.is_private and new.user_id != world.bot.id:
        return
    payload: JSON = {
        "chat": chat_json(world, chat),
        "from": user_json(world.users[actor_id]),
        "date": world.today(),
        "old_chat_member": member_json(world, old),
        "new_chat_member": member_json(world, new),
    }
    if invite_link is not None:
        payload["invite_link"] = invite_link_json(world, invite_link)
    if via_join_request:
        payload["via_join_request"] = True
    if new.user_id == world.bot.id:
        world.updates.push("my_chat_member", payload)
    elif world.bot_is_admin(chat):
        world.updates.push("chat_member", payload)


def change_member(
    world: World,
    chat: Chat,
    user_id: int,
    actor_id: int,
    mutate: Callable[[Membership], None],
    *,
    invite_link: InviteLink | None = None,
    via_join_request: bool = False,
) -> Membership:
    current = world.member(chat, user_id)
    old = current.snapshot()
    chat.members[user_id] = current
    mutate(current)
    if (old.status, old.is_member, old.until_date, old.rights, old.permissions) != (
        current.status,
        current.is_member,
        current.until_date,
        current.rights,
        current.permissions,
    ):
        announce_member_change(
            world,
            chat,
            actor_id,
            old,
            current,
            invite_link=invite_link,
            via_join_request=via_join_request,
        )
    return current


def _command_for_bot(world: World, text: str) -> bool:
    if not text.startswith("/"):
        return False
    command = text.split(maxsplit=1)[0]
    if "@" not in command:
        return True
    target = command.split("@", 1)[1]
    return target.lower() == (world.bot.username or "").lower()


def bot_receives(world: World, chat: Chat, message: Message) -> bool:
    """Privacy mode: a non-admin bot sees commands, replies to it and service messages."""
    if message.sender_id == world.bot.id:
        return False
    sender = world.users.get(message.sender_id)
    if (
        sender is not None
        and sender.is_bot
        and sender.id not in (ANONYMOUS_ADMIN_ID, CHANNEL_BOT_ID)
    ):
        return False  # Telegram: bots never see messages of other bots
    if chat.is_private:
        return True
    bot = world.bot_member(chat)
    if not bot.active:
        return False
    if bot.is_admin or not world.privacy_mode or message.service:
        return True
    if message.reply_to is not None:
        replied = chat.messages.get(message.reply_to)
        if replied is not None and replied.sender_id == world.bot.id:
            return True
    return _command_for_bot(world, message.text or message.caption or "")


def deliver(world: World, message: Message, *, edited: bool = False) -> None:
    chat = world.chats[message.chat_id]
    if bot_receives(world, chat, message):
        kind = "edited_message" if edited else "message"
        world.updates.push(kind, message_json(world, message))


def log_message(world: World, message: Message) -> None:
    world.log(message.chat_id, sender_name(world, message), describe_message(world, message))


def service_message(world: World, chat: Chat, sender_id: int, service: JSON, text: str) -> Message:
    """A service message (joins, leaves...): stored, logged and delivered to the bot."""
    message = world.new_message(chat, sender_id, service=service)
    world.log(chat.id, world.display_name(sender_id), text, service=True)
    deliver(world, message)
    return message
