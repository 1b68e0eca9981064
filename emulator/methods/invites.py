"""Invite links and join requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.errors import bad_request
from emulator.joining import admit
from emulator.methods.base import MethodSpec, require_right, target_user
from emulator.params import Params
from emulator.rules import bot_chat, require_supergroup
from emulator.serialize import invite_link_json
from emulator.world import JSON, Chat, InviteLink, JoinRequest

if TYPE_CHECKING:
    from emulator.state import World

MAX_LINK_NAME = 32
MAX_MEMBER_LIMIT = 99_999


def _admin_chat(world: World, params: Params) -> Chat:
    chat = bot_chat(world, params)
    require_supergroup(chat)
    require_right(world, chat, "can_invite_users", "CHAT_ADMIN_REQUIRED")
    return chat


def _apply_options(world: World, params: Params, link: InviteLink) -> None:
    name = params.text("name")
    if name is not None:
        if len(name) > MAX_LINK_NAME:
            raise bad_request("invite link name is too long")
        link.name = name or None
    if params.has("expire_date"):
        expire = params.integer("expire_date") or None
        if expire is not None and expire <= world.now():
            raise bad_request("EXPIRE_DATE_INVALID")
        link.expire_date = expire
    if params.has("member_limit"):
        limit = params.integer("member_limit") or None
        if limit is not None and not 1 <= limit <= MAX_MEMBER_LIMIT:
            raise bad_request("USAGE_LIMIT_INVALID")
        link.member_limit = limit
    if params.has("creates_join_request"):
        link.creates_join_request = params.flag("creates_join_request")
    if link.creates_join_request and link.member_limit:
        raise bad_request(
            "member limit can't be specified for links requiring administrator approval"
        )


def create_chat_invite_link(world: World, params: Params) -> JSON:
    chat = _admin_chat(world, params)
    link = InviteLink(chat_id=chat.id, url=world.new_invite_url(), creator_id=world.bot.id)
    _apply_options(world, params, link)
    world.links[link.url] = link
    return invite_link_json(world, link)


def _existing(world: World, chat: Chat, params: Params) -> InviteLink:
    url = params.required_text("invite_link")
    link = world.links.get(url)
    if link is None or link.chat_id != chat.id:
        raise bad_request("INVITE_HASH_EXPIRED")
    return link


def edit_chat_invite_link(world: World, params: Params) -> JSON:
    chat = _admin_chat(world, params)
    link = _existing(world, chat, params)
    if link.is_revoked or link.is_primary:
        raise bad_request("INVITE_HASH_EXPIRED")
    if link.creator_id != world.bot.id:
        raise bad_request("CHAT_ADMIN_REQUIRED")
    _apply_options(world, params, link)
    return invite_link_json(world, link)


def _new_primary(world: World, chat: Chat) -> InviteLink:
    if chat.primary_link and chat.primary_link in world.links:
        world.links[chat.primary_link].is_revoked = True
    link = InviteLink(
        chat_id=chat.id, url=world.new_invite_url(), creator_id=world.bot.id, is_primary=True
    )
    world.links[link.url] = link
    chat.primary_link = link.url
    return link


def revoke_chat_invite_link(world: World, params: Params) -> JSON:
    chat = _admin_chat(world, params)
    link = _existing(world, chat, params)
    if link.creator_id != world.bot.id and not world.bot_right(chat, "can_manage_chat"):
        raise bad_request("CHAT_ADMIN_REQUIRED")
    if link.is_primary:
        _new_primary(world, chat)  # Telegram replaces a revoked primary link at once
    link.is_revoked = True
    link.is_primary = False
    for key, request in list(world.join_requests.items()):
        if request.invite_link == link.url:
            del world.join_requests[key]
    return invite_link_json(world, link)


def export_chat_invite_link(world: World, params: Params) -> str:
    chat = _admin_chat(world, params)
    return _new_primary(world, chat).url


def _pending(world: World, chat: Chat, params: Params) -> tuple[JoinRequest, int]:
    bot_user = world.bot.id
    require_supergroup(chat)
    require_right(world, chat, "can_invite_users", "CHAT_ADMIN_REQUIRED")
    user = target_user(world, params)
    request = world.join_requests.get((chat.id, user.id))
    if world.member(chat, user.id).active:
        raise bad_request("USER_ALREADY_PARTICIPANT")
    if request is None:
        raise bad_request("HIDE_REQUESTER_MISSING")
    return request, bot_user


def approve_chat_join_request(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    request, bot_id = _pending(world, chat, params)
    user = world.users[request.user_id]
    link = world.links.get(request.invite_link) if request.invite_link else None
    if world.member(chat, user.id).status == "kicked":
        world.join_requests.pop((chat.id, user.id), None)
        raise bad_request("USER_BANNED_IN_CHANNEL")
    world.log(
        chat.id,
        world.bot.first_name,
        f"{world.bot.first_name} approved {user.full_name}'s request to join",
        service=True,
    )
    admit(world, chat, user, bot_id, link=link, via_join_request=True)
    user.dm_window_until = 0.0
    return True


def decline_chat_join_request(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    request, _ = _pending(world, chat, params)
    user = world.users[request.user_id]
    del world.join_requests[(chat.id, user.id)]
    user.dm_window_until = 0.0
    world.log(
        chat.id,
        world.bot.first_name,
        f"{world.bot.first_name} declined {user.full_name}'s request to join",
        service=True,
    )
    return True


SPECS = (
    MethodSpec("createChatInviteLink", create_chat_invite_link),
    MethodSpec("editChatInviteLink", edit_chat_invite_link),
    MethodSpec("revokeChatInviteLink", revoke_chat_invite_link),
    MethodSpec("exportChatInviteLink", export_chat_invite_link),
    MethodSpec("approveChatJoinRequest", approve_chat_join_request),
    MethodSpec("declineChatJoinRequest", decline_chat_join_request),
)
