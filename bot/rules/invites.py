"""Personal invite links (``/invite``): an administrator makes a link that lets one person in,
once, for a week. In invitation mode these links are the way into the group; they join
directly (no join request), and the rules gate greets the newcomer as usual. The link is given
only to the administrator, privately; the bot keeps no copy of it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram.error import BadRequest, Forbidden

from bot.errors import RefusedError
from bot.rules.policy import INVITE_LINK_TTL

if TYPE_CHECKING:
    from bot.context import App
    from bot.records.groups import Group

log = logging.getLogger(__name__)

MAX_NAME = 32  # Telegram: an invite link's name is at most 32 characters


def link_name(words: list[str]) -> str | None:
    """The name the admin gave the link (shown to admins in Telegram's list), cut to fit."""
    name = " ".join(word for word in words if word).strip()
    return name[:MAX_NAME] or None


async def personal_link(app: App, group: Group, actor_id: int, name: str | None) -> str:
    """A single-use invite link to ``group``; ``RefusedError`` if Telegram will not make one."""
    data = app.bot_data
    if not group.rights.can_invite:
        raise RefusedError("joinmodes.invite_no_right", group=group.title)
    expires = data.clock.epoch() + INVITE_LINK_TTL
    try:
        link = await app.bot.create_chat_invite_link(
            group.chat_id, expire_date=expires, member_limit=1, name=name
        )
    except (BadRequest, Forbidden) as error:
        log.info("could not make an invite link in %s (%s)", group.chat_id, type(error).__name__)
        raise RefusedError("joinmodes.invite_no_right", group=group.title) from None
    await data.store.audit.record("rules_invite_created", chat_id=group.chat_id, actor_id=actor_id)
    return link.invite_link
