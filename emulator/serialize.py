"""World objects as the JSON Telegram sends (User, Chat, ChatFullInfo, ChatMember, Message...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.world import JSON, Chat, InviteLink, MediaFile, Membership, Message, User

if TYPE_CHECKING:
    from emulator.state import World

_ACCEPTED_GIFT_TYPES: JSON = {
    "unlimited_gifts": True,
    "limited_gifts": True,
    "unique_gifts": True,
    "premium_subscription": True,
    "gifts_from_channels": True,
}


def user_json(user: User) -> JSON:
    data: JSON = {"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    if user.language_code and not user.is_bot:
        data["language_code"] = user.language_code
    if user.is_premium:
        data["is_premium"] = True
    return data


def bot_user_json(world: World) -> JSON:
    return user_json(world.bot)


def chat_json(world: World, chat: Chat) -> JSON:
    if chat.is_private:
        user = world.users[chat.id]
        data: JSON = {"id": chat.id, "first_name": user.first_name}
        if user.last_name:
            data["last_name"] = user.last_name
        if user.username:
            data["username"] = user.username
        data["type"] = "private"
        return data
    data = {"id": chat.id, "title": chat.title or "", "type": chat.type}
    if chat.username:
        data["username"] = chat.username
    if chat.is_forum:
        data["is_forum"] = True
    return data


def chat_full_info_json(world: World, chat: Chat) -> JSON:
    data = chat_json(world, chat)
    data.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types=dict(_ACCEPTED_GIFT_TYPES),
    )
    if chat.is_private:
        return data
    data["permissions"] = chat.permissions.as_dict()
    if chat.join_by_request:
        data["join_by_request"] = True
    if chat.description:
        data["description"] = chat.description
    if world.bot_is_admin(chat) and chat.primary_link:
        data["invite_link"] = chat.primary_link
    if chat.pinned:
        pinned = chat.messages.get(chat.pinned[-1])
        if pinned and not pinned.deleted:
            data["pinned_message"] = message_json(world, pinned)
    return data


def member_json(world: World, membership: Membership) -> JSON:
    user = world.users[membership.user_id]
    data: JSON = {"status": membership.status, "user": user_json(user)}
    if membership.status == "creator":
        data["is_anonymous"] = bool(membership.rights and membership.rights.is_anonymous)
    elif membership.status == "administrator":
        data["can_be_edited"] = membership.promoted_by_bot
        if membership.rights:
            data.update(membership.rights.as_dict())
    elif membership.status == "restricted":
        data["is_member"] = membership.is_member
        if membership.permissions:
            data.update(membership.permissions.as_dict())
        data["until_date"] = membership.until_date
    elif membership.status == "kicked":
        data["until_date"] = membership.until_date
    if membership.custom_title and membership.is_admin:
        data["custom_title"] = membership.custom_title
    return data


def invite_link_json(world: World, link: InviteLink) -> JSON:
    url = link.url
    if link.creator_id != world.bot.id:
        url = url[: len("https://t.me/+") + 4] + "..."  # Telegram hides others' links
    data: JSON = {
        "invite_link": url,
        "creator": user_json(world.users[link.creator_id]),
        "creates_join_request": link.creates_join_request,
        "is_primary": link.is_primary,
        "is_revoked": link.is_revoked,
    }
    if link.name:
        data["name"] = link.name
    if link.expire_date:
        data["expire_date"] = link.expire_date
    if link.member_limit:
        data["member_limit"] = link.member_limit
    if link.creates_join_request:
        data["pending_join_request_count"] = sum(
            1 for r in world.join_requests.values() if r.invite_link == link.url
        )
    return data


def media_json(media: MediaFile) -> JSON | list[JSON]:
    base: JSON = {"file_id": media.file_id, "file_unique_id": media.file_unique_id}
    if media.kind == "photo":
        return [
            {
                **base,
                "file_id": media.file_id + "-s",
                "file_unique_id": media.file_unique_id + "s",
                "width": 90,
                "height": 90,
                "file_size": min(media.size, 1200),
            },
            {
                **base,
                "width": media.width or 800,
                "height": media.height or 800,
                "file_size": media.size,
            },
        ]
    data = dict(base)
    if media.kind == "sticker":
        data.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
        if media.emoji:
            data["emoji"] = media.emoji
    if media.kind in ("video",):
        data.update(width=media.width or 640, height=media.height or 360)
    if media.kind in ("video", "voice", "audio"):
        data["duration"] = media.duration
    if media.title and media.kind == "audio":
        data["title"] = media.title
    if media.file_name and media.kind in ("document", "video", "audio"):
        data["file_name"] = media.file_name
    if media.mime_type and media.kind != "sticker":
        data["mime_type"] = media.mime_type
    data["file_size"] = media.size
    return data


def message_json(world: World, message: Message, *, with_reply: bool = True) -> JSON:
    chat = world.chats[message.chat_id]
    data: JSON = {"message_id": message.message_id}
    if message.sender_id:
        data["from"] = user_json(world.users[message.sender_id])
    if message.sender_chat_id is not None:
        data["sender_chat"] = chat_json(world, world.chats[message.sender_chat_id])
    data["chat"] = chat_json(world, chat)
    data["date"] = message.date
    if message.thread_id is not None:
        data["message_thread_id"] = message.thread_id
        data["is_topic_message"] = True
    if message.forward_origin:
        data["forward_origin"] = message.forward_origin
    data.update(message.extra)
    if message.reply_to is not None and with_reply:
        replied = chat.messages.get(message.reply_to)
        if replied is not None and not replied.deleted:
            data["reply_to_message"] = message_json(world, replied, with_reply=False)
    if message.edit_date:
        data["edit_date"] = message.edit_date
    if message.protect_content:
        data["has_protected_content"] = True
    if message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = message.entities
    if message.media is not None:
        data[message.media.kind] = media_json(message.media)
        if message.caption:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
    if message.poll is not None:
        data["poll"] = dict(message.poll)
    if message.service:
        data.update(message.service)
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        data["reply_markup"] = message.reply_markup
    return data
