"""The admin team chat: a separate group where a member group's admins get reports, flags and
audit lines (never reasons, appeals, or anything members told the bot in confidence).

Linking: /linkadmins in the admin group gives a one-hour code; an admin of the member group
confirms with /linkadmins CODE there.
"""

from __future__ import annotations

import secrets

from bot.adapters.admins import deliver_held
from bot.adapters.guards import Actor
from bot.context import App
from bot.delivery import outbox
from bot.errors import RefusedError
from bot.moderation import audit, policy
from bot.records.groups import Group


async def offer_code(app: App, admin_chat_id: int) -> str:
    """A single-use code the member group confirms with; refused if already linked."""
    data = app.bot_data
    if await data.store.groups.by_admin_chat(admin_chat_id) is not None:
        raise RefusedError("moderation.link_already")
    code = secrets.token_hex(3).upper()
    await data.store.moderation.add_link_code(code, admin_chat_id)
    return code


async def link(app: App, group: Group, code: str, actor: Actor) -> Group:
    """Confirm the code in the member group: its reports and audit lines go to the team chat."""
    data = app.bot_data
    admin_chat_id = await data.store.moderation.take_link_code(code.upper(), policy.LINK_CODE_TTL)
    if admin_chat_id is None:
        raise RefusedError("moderation.link_bad_code")
    if admin_chat_id == group.chat_id:
        raise RefusedError("moderation.link_same_chat")
    other = await data.store.groups.by_admin_chat(admin_chat_id)
    if other is not None and other.chat_id != group.chat_id:
        raise RefusedError("moderation.link_already")
    await data.store.groups.update_setting(group.chat_id, "admin_chat_id", admin_chat_id)
    linked = await data.store.groups.get(group.chat_id)
    if linked is None:  # the group was just read: it cannot vanish
        raise RefusedError("moderation.not_set_up")
    await audit.record(app, "mod.admin_chat_linked", group=linked, actor=actor, target_id=None)
    return linked


async def announce_link(app: App, linked: Group) -> None:
    """Tell the newly linked team chat which group it serves."""
    if linked.admin_chat_id is None:
        return
    await outbox.send_critical(
        app,
        linked.admin_chat_id,
        app.bot_data.texts.t(linked.language, "moderation.link_done_team", group=linked.title),
        kind="notice",
    )
    # Whatever waited for somebody on the team reaches the team chat now, oldest first.
    await deliver_held(app, linked.chat_id)


async def unlink(app: App, group: Group, actor: Actor) -> None:
    if group.admin_chat_id is None:
        raise RefusedError("moderation.link_none")
    await audit.record(app, "mod.admin_chat_unlinked", group=group, actor=actor, target_id=None)
    await app.bot_data.store.groups.update_setting(group.chat_id, "admin_chat_id", None)
