"""People entering and leaving groups: invite link limits, admission, departures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.rules import change_member, service_message
from emulator.serialize import user_json
from emulator.world import Chat, InviteLink, Membership, User

if TYPE_CHECKING:
    from emulator.state import World


def link_problem(world: World, link: InviteLink) -> str | None:
    """Why Telegram would refuse this link, or None if it still works."""
    if link.is_revoked:
        return "the invite link was revoked"
    if link.expire_date and world.now() >= link.expire_date:
        return "the invite link has expired"
    if link.member_limit and link.joined >= link.member_limit:
        return "the invite link reached its member limit"
    return None


def link_label(link: InviteLink) -> str:
    return f"“{link.name}”" if link.name else link.url


def admit(
    world: World,
    chat: Chat,
    user: User,
    actor_id: int,
    *,
    link: InviteLink | None = None,
    via_join_request: bool = False,
) -> int:
    """The user becomes a member (a restricted user keeps their restrictions).
    Returns the id of the 'joined' service message."""

    def join(membership: Membership) -> None:
        if membership.status == "restricted":
            membership.is_member = True
        else:
            membership.status = "member"
            membership.until_date = 0

    change_member(
        world, chat, user.id, actor_id, join, invite_link=link, via_join_request=via_join_request
    )
    if link is not None:
        link.joined += 1
    world.join_requests.pop((chat.id, user.id), None)
    how = f" via invite link {link_label(link)}" if link is not None else ""
    member = user_json(user)
    message = service_message(
        world,
        chat,
        user.id,
        {"new_chat_members": [member], "new_chat_member": member, "new_chat_participant": member},
        f"{user.full_name} joined the group{how}",
    )
    return message.message_id


def depart(
    world: World,
    chat: Chat,
    user: User,
    actor_id: int,
    *,
    kicked_until: int | None,
    text: str | None = None,
) -> None:
    """The user leaves (kicked_until None), or is banned until that date (0 = forever)."""

    def leave(membership: Membership) -> None:
        if kicked_until is None and membership.status == "restricted":
            # Telegram keeps a restricted person's restrictions when they leave: the status
            # stays "restricted", only is_member turns false.
            membership.is_member = False
            return
        membership.rights = None
        membership.permissions = None
        membership.is_member = False
        membership.custom_title = None
        membership.promoted_by_bot = False
        if kicked_until is None:
            membership.status = "left"
            membership.until_date = 0
        else:
            membership.status = "kicked"
            membership.until_date = kicked_until

    was_in_chat = world.member(chat, user.id).active
    change_member(world, chat, user.id, actor_id, leave)
    world.join_requests.pop((chat.id, user.id), None)
    if was_in_chat:
        member = user_json(user)
        if text is None and actor_id == user.id:
            text = f"{user.full_name} left the group"
        elif text is None:
            text = f"{world.display_name(actor_id)} removed {user.full_name}"
        service_message(
            world,
            chat,
            actor_id,
            {"left_chat_member": member, "left_chat_participant": member},
            text,
        )
