"""A group's team from the first minute: which administrators the bot can reach privately,
and what waited for them while it could reach nobody.

Until someone on the team can be reached (an administrator opened a private chat with the bot,
or an admin team chat is linked), every notice for the admins is kept in the database
(``bot.adapters.admins.tell_admins``). It is delivered the moment an administrator starts the
bot (``arrived``) or, for whatever was missed, at start-up (``catch_up``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.adapters.admins import admin_of_groups_waiting, deliver_all_held, deliver_held

if TYPE_CHECKING:
    from bot.context import App
    from bot.records.groups import Group

log = logging.getLogger(__name__)

# The ``/start`` payload of the link /setup shows the administrators (it names no group).
ADMIN_START = "admin"


@dataclass(frozen=True)
class TeamMember:
    """One administrator as /setup lists them: a name and whether the bot can write to them."""

    user_id: int
    name: str
    reachable: bool
    anonymous: bool = False  # acts in the group's name: never named in the group


async def team(app: App, chat_id: int) -> list[TeamMember]:
    """The group's human administrators (live from Telegram), owner first, each with whether
    the bot can reach them privately (they pressed Start and did not block it). Empty if
    Telegram does not give the list."""
    data = app.bot_data
    try:
        members = await app.bot.get_chat_administrators(chat_id)
    except TelegramError as error:
        log.info("cannot list the admins of %s (%s)", chat_id, type(error).__name__)
        return []
    found = []
    for member in sorted(members, key=lambda m: (m.status != "creator", m.user.id)):
        if member.user.is_bot:
            continue
        person = await data.store.users.get(member.user.id)
        found.append(
            TeamMember(
                user_id=member.user.id,
                name=member.user.first_name or str(member.user.id),
                reachable=person is not None and person.reachable,
                anonymous=bool(getattr(member, "is_anonymous", False)),
            )
        )
    return found


async def administered(app: App, user_id: int) -> list[Group]:
    """The active groups of this deployment that this person administers."""
    data = app.bot_data
    found = []
    for group in await data.store.groups.active():
        try:
            if await data.admins.is_admin(app.bot, group.chat_id, user_id):
                found.append(group)
        except TelegramError as error:
            log.info("cannot check the admins of %s (%s)", group.chat_id, type(error).__name__)
    return found


async def waiting(app: App, chat_id: int) -> int:
    """How many notices are kept for this group's administrators."""
    return await app.bot_data.store.held.count(chat_id)


async def arrived(app: App, user_id: int) -> None:
    """Someone can be written to privately now: if they administer a group whose notices
    waited for somebody on the team, those are delivered now, oldest first."""
    for chat_id in await admin_of_groups_waiting(app, user_id):
        await deliver_held(app, chat_id)


async def catch_up(app: App) -> None:
    """At start-up: kept notices that someone on the team can receive now are delivered."""
    try:
        await deliver_all_held(app)
    except TelegramError as error:
        log.info("kept notices not delivered at start-up (%s)", type(error).__name__)
