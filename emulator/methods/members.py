"""Chats and members: getChat*, restrict/ban/unban, chat permissions, leaving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.errors import bad_request
from emulator.joining import depart
from emulator.methods.base import MethodSpec, require_right, target_user
from emulator.params import Params
from emulator.rules import bot_chat, change_member, permissions_from, require_supergroup
from emulator.serialize import chat_full_info_json, member_json
from emulator.transcript import when
from emulator.world import JSON, Chat, Membership, Permissions, User

if TYPE_CHECKING:
    from emulator.state import World

_RESTRICT_RIGHTS = "not enough rights to restrict/unrestrict chat member"


def get_chat(world: World, params: Params) -> JSON:
    return chat_full_info_json(world, bot_chat(world, params))


def get_chat_member(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params)
    user = target_user(world, params, "user not found")
    if chat.is_private and user.id not in (chat.id, world.bot.id):
        raise bad_request("user not found")
    return member_json(world, world.member(chat, user.id))


def get_chat_administrators(world: World, params: Params) -> list[JSON]:
    chat = bot_chat(world, params)
    if chat.is_private:
        raise bad_request("there are no administrators in the private chat")
    admins = [world.member(chat, uid) for uid in list(chat.members)]
    admins = [m for m in admins if m.is_admin]
    admins.sort(key=lambda m: m.status != "creator")
    return [member_json(world, m) for m in admins]


def get_chat_member_count(world: World, params: Params) -> int:
    chat = bot_chat(world, params)
    return sum(1 for uid in list(chat.members) if world.member(chat, uid).active)


def _moderation_target(world: World, chat: Chat, params: Params) -> tuple[User, Membership]:
    require_supergroup(chat)
    require_right(world, chat, "can_restrict_members", _RESTRICT_RIGHTS)
    user = target_user(world, params)
    membership = world.member(chat, user.id)
    if membership.status == "creator":
        raise bad_request("can't remove chat owner")
    if membership.status == "administrator":
        raise bad_request("user is an administrator of the chat")
    return user, membership


def restrict_chat_member(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    user, current = _moderation_target(world, chat, params)
    values = params.decoded("permissions", "permissions")
    if not isinstance(values, dict):
        raise bad_request("can't parse permissions JSON object")
    permissions = permissions_from(
        values, independent=params.flag("use_independent_chat_permissions")
    )
    until = world.until_date(params.integer("until_date"))
    in_chat = current.active

    def restrict(membership: Membership) -> None:
        if permissions.all_true():
            membership.status = "member" if in_chat else "left"
            membership.permissions = None
            membership.is_member = False
            membership.until_date = 0
        else:
            membership.status = "restricted"
            membership.permissions = permissions
            membership.is_member = in_chat
            membership.until_date = until

    after = change_member(world, chat, user.id, world.bot.id, restrict)
    if after.status == "restricted":
        text = f"{world.bot.first_name} restricted {user.full_name} {when(until)}"
    else:
        text = f"{world.bot.first_name} lifted the restrictions on {user.full_name}"
    world.log(chat.id, world.bot.first_name, text, service=True)
    return True


def ban_chat_member(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    user, membership = _moderation_target(world, chat, params)
    until = world.until_date(params.integer("until_date"))
    text = f"{world.bot.first_name} banned {user.full_name} {when(until)}"
    was_in_chat = membership.active
    depart(world, chat, user, world.bot.id, kicked_until=until, text=text)
    if not was_in_chat:
        world.log(chat.id, world.bot.first_name, text, service=True)
    if params.flag("revoke_messages"):
        for message in chat.messages.values():
            if message.sender_id == user.id and not message.deleted:
                message.deleted = True
                message.deleted_by = world.bot.id
    return True


def unban_chat_member(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    user, membership = _moderation_target(world, chat, params)
    if membership.status == "kicked":

        def unban(member: Membership) -> None:
            member.status = "left"
            member.until_date = 0

        change_member(world, chat, user.id, world.bot.id, unban)
        world.log(
            chat.id,
            world.bot.first_name,
            f"{world.bot.first_name} unbanned {user.full_name}",
            service=True,
        )
    elif not params.flag("only_if_banned") and membership.active:
        depart(world, chat, user, world.bot.id, kicked_until=None)
    return True


def set_chat_permissions(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    require_supergroup(chat)
    require_right(
        world, chat, "can_restrict_members", "not enough rights to change chat permissions"
    )
    values = params.decoded("permissions", "permissions")
    if not isinstance(values, dict):
        raise bad_request("can't parse permissions JSON object")
    permissions = permissions_from(
        values, independent=params.flag("use_independent_chat_permissions")
    )
    if permissions == chat.permissions:
        raise bad_request("CHAT_NOT_MODIFIED")
    chat.permissions = Permissions(**permissions.as_dict())
    world.log(
        chat.id,
        world.bot.first_name,
        f"{world.bot.first_name} changed the group permissions",
        service=True,
    )
    return True


def leave_chat(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    if chat.is_private:
        raise bad_request("chat member status can't be changed in private chats")
    depart(world, chat, world.bot, world.bot.id, kicked_until=None)
    return True


SPECS = (
    MethodSpec("getChat", get_chat),
    MethodSpec("getChatMember", get_chat_member),
    MethodSpec("getChatAdministrators", get_chat_administrators),
    MethodSpec("getChatMemberCount", get_chat_member_count),
    MethodSpec("getChatMembersCount", get_chat_member_count),
    MethodSpec("restrictChatMember", restrict_chat_member),
    MethodSpec("banChatMember", ban_chat_member),
    MethodSpec("kickChatMember", ban_chat_member),
    MethodSpec("unbanChatMember", unban_chat_member),
    MethodSpec("setChatPermissions", set_chat_permissions),
    MethodSpec("leaveChat", leave_chat),
)
