"""The bot's place in groups: being added or removed, its rights, /setup, member tracking."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberAdministrator, ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    BaseHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.menus import MenuEntry
from bot.context import Context
from bot.handlers.common import group_admin, is_group, reply, text_of
from bot.handlers.feature import Feature
from bot.i18n import Safe
from bot.records.groups import BotRights

log = logging.getLogger(__name__)

PRESENT = frozenset(
    {
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.OWNER,
        ChatMemberStatus.RESTRICTED,
    }
)

MENU: tuple[MenuEntry, ...] = (MenuEntry("setup", admin=True),)


def rights_of(member: ChatMember) -> BotRights:
    if isinstance(member, ChatMemberAdministrator):
        return BotRights(
            is_admin=True,
            can_restrict=member.can_restrict_members,
            can_delete=member.can_delete_messages,
            can_invite=bool(member.can_invite_users),
        )
    return BotRights(is_admin=False, can_restrict=False, can_delete=False, can_invite=False)


def is_present(member: ChatMember) -> bool:
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", True))
    return member.status in PRESENT


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The bot was added, removed, promoted or demoted — or a person blocked/unblocked it."""
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    store = context.bot_data.store
    if not is_group(chat):
        if change.new_chat_member.status == ChatMemberStatus.BANNED:
            await store.users.mark_blocked(chat.id)
        elif change.new_chat_member.status == ChatMemberStatus.MEMBER:
            await store.users.seen_private(chat.id, change.from_user.language_code)
        return
    context.bot_data.admins.invalidate(chat.id)
    if not is_present(change.new_chat_member):
        await store.groups.set_inactive(chat.id)
        log.info("left group %s", chat.id)
        return
    was_present = is_present(change.old_chat_member)
    before = await store.groups.get(chat.id)
    rights = rights_of(change.new_chat_member)
    settings = context.bot_data.settings
    group = await store.groups.upsert(
        chat.id,
        chat.title or "",
        rights,
        language=before.language if before else settings.default_language,
        timezone=before.timezone if before else settings.timezone,
    )
    if not was_present:
        await context.bot.send_message(chat.id, text_of(context, group.language, "groups.hello"))
        await store.audit.record("bot.added", chat_id=chat.id, actor_id=change.from_user.id)
    elif before is not None and before.rights != rights and group.registered:
        await store.audit.record("bot.rights_changed", chat_id=chat.id, actor_id=None)


async def setup(update: Update, context: Context) -> None:
    """/setup: register the group and say, in plain words, which rights are missing."""
    chat = update.effective_chat
    if chat is None:
        return
    actor = await group_admin(update, context, fresh=True)
    if actor is None:
        return
    data = context.bot_data
    me = await context.bot.get_chat_member(chat.id, context.bot.id)
    rights = rights_of(me)
    before = await data.store.groups.get(chat.id)
    group = await data.store.groups.upsert(
        chat.id,
        chat.title or "",
        rights,
        language=before.language if before else data.settings.default_language,
        timezone=before.timezone if before else data.settings.timezone,
    )
    await data.store.groups.mark_registered(chat.id)
    await data.store.audit.record("group.setup", chat_id=chat.id, actor_id=actor.user_id)
    lang = group.language
    if not rights.missing:
        await reply(update, context, "setup.ready")
        return
    reasons = "\n".join(text_of(context, lang, f"setup.why_{name}") for name in rights.missing)
    await reply(update, context, "setup.missing", reasons=Safe(reasons))


async def setup_private(update: Update, context: Context) -> None:
    await reply(update, context, "setup.in_group")


async def on_chat_member(update: Update, context: Context) -> None:
    """Someone's membership changed: keep the admin cache and membership list honest."""
    change: ChatMemberUpdated | None = update.chat_member
    if change is None or not is_group(change.chat):
        return
    old, new = change.old_chat_member, change.new_chat_member
    admin_statuses = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    if old.status in admin_statuses or new.status in admin_statuses:
        context.bot_data.admins.invalidate(change.chat.id)
    store = context.bot_data.store
    if await store.groups.get(change.chat.id) is None:
        return
    await store.users.ensure(new.user.id, new.user.language_code)
    await store.users.set_membership(change.chat.id, new.user.id, str(new.status))


async def on_migrate(update: Update, context: Context) -> None:
    """A basic group became a supergroup and got a new id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await context.bot_data.store.groups.migrate_chat(
            message.chat.id, message.migrate_to_chat_id
        )


async def _conversation(update: Update, context: Context) -> None:
    """An ordinary message in a group: nothing for the command handlers to do."""


def conversation() -> BaseHandler[Update, Context, None]:
    """First in the command group: an ordinary group message matches here and PTB stops
    scanning the ~100 command and button handlers behind it (they could never match). The
    observers (solicitation flagging) run after, in their own group. Keeps the per-message
    path of a group lean."""
    return MessageHandler(
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & ~filters.COMMAND, _conversation
    )


def tracking() -> list[BaseHandler[Update, Context, None]]:
    """Observers that run before everything else and never stop other handlers."""
    return [
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(on_chat_member, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate),
    ]


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("setup", setup, filters=filters.ChatType.GROUPS),
        CommandHandler("setup", setup_private, filters=filters.ChatType.PRIVATE),
    ]


def feature() -> Feature:
    return Feature(name="groups", menu=MENU, commands=handlers())
