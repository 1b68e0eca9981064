"""The bot's place in groups: being added or removed, its rights, /setup, member tracking."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.guards import group_admin, is_group
from bot.adapters.menus import MenuEntry
from bot.adapters.presence import is_present
from bot.adapters.replies import reply
from bot.context import Context
from bot.groups import membership
from bot.handlers.feature import Feature, Handler
from bot.i18n import Safe
from bot.peers import checkins
from bot.records.groups import BotRights

MENU: tuple[MenuEntry, ...] = (MenuEntry("setup", admin=True),)
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def rights_of(member: ChatMember) -> BotRights:
    """The bot's rights in a group, from Telegram's answer about itself."""
    if isinstance(member, ChatMemberAdministrator):
        return BotRights(
            is_admin=True,
            can_restrict=member.can_restrict_members,
            can_delete=member.can_delete_messages,
            can_invite=bool(member.can_invite_users),
        )
    return BotRights(is_admin=False, can_restrict=False, can_delete=False, can_invite=False)


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The bot was added, removed, promoted or demoted — or a person blocked/unblocked it."""
    change = update.my_chat_member
    if change is None:
        return
    chat, new = change.chat, change.new_chat_member
    data = context.bot_data
    if not is_group(chat):
        if new.status in (ChatMemberStatus.BANNED, ChatMemberStatus.MEMBER):
            await membership.private_chat_changed(
                data,
                chat.id,
                change.from_user.language_code,
                blocked=new.status == ChatMemberStatus.BANNED,
            )
        return
    if not is_present(new):
        await membership.bot_left(data, chat.id)
        return
    arrival = await membership.bot_present(
        data,
        chat.id,
        chat.title or "",
        rights_of(new),
        was_present=is_present(change.old_chat_member),
        actor_id=change.from_user.id,
    )
    if arrival.newly_added:
        await context.bot.send_message(
            chat.id, data.texts.t(arrival.group.language, "groups.hello")
        )


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
    group = await membership.register(data, chat.id, chat.title or "", rights, actor.user_id)
    if not rights.missing:
        await reply(update, context, "setup.ready")
        return
    lang = group.language
    reasons = "\n".join(data.texts.t(lang, f"setup.why_{name}") for name in rights.missing)
    await reply(update, context, "setup.missing", reasons=Safe(reasons))


async def setup_private(update: Update, context: Context) -> None:
    await reply(update, context, "setup.in_group")


async def on_chat_member(update: Update, context: Context) -> None:
    """Someone's membership changed: keep the admin cache and membership list honest."""
    change = update.chat_member
    if change is None or not is_group(change.chat):
        return
    old, new = change.old_chat_member, change.new_chat_member
    await membership.member_changed(
        context.bot_data,
        change.chat.id,
        new.user.id,
        new.user.language_code,
        str(new.status),
        admin_change=old.status in ADMIN_STATUSES or new.status in ADMIN_STATUSES,
    )


async def on_migrate(update: Update, context: Context) -> None:
    """A basic group became a supergroup and got a new id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await membership.migrated(context.bot_data, message.chat.id, message.migrate_to_chat_id)


async def on_group_activity(update: Update, context: Context) -> None:
    """A message or button press in a group: its sender is a member (learned, not stored text)."""
    chat, user = update.effective_chat, update.effective_user
    message = update.effective_message
    if chat is None or user is None or user.is_bot or not is_group(chat):
        return
    if message is not None and message.sender_chat is not None:
        return  # an anonymous administrator or a channel: no person to learn
    await membership.seen_in_group(context.bot_data, chat.id, user.id, user.language_code)
    await checkins.noticed(context.bot_data, user.id)


async def _conversation(_update: Update, _context: Context) -> None:
    """An ordinary message in a group: nothing for the command handlers to do."""


def conversation() -> Handler:
    """First in the command group: an ordinary group message matches here and PTB stops
    scanning the ~100 command and button handlers behind it (they could never match). The
    observers (solicitation flagging) run after, in their own group. Keeps the per-message
    path of a group lean."""
    return MessageHandler(
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & ~filters.COMMAND, _conversation
    )


def tracking() -> list[Handler]:
    """Observers that run before everything else and never stop other handlers."""
    return [
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(on_chat_member, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate),
        MessageHandler(
            filters.ChatType.GROUPS & filters.UpdateType.MESSAGES & ~filters.StatusUpdate.ALL,
            on_group_activity,
        ),
        CallbackQueryHandler(on_group_activity),
    ]


def feature() -> Feature:
    commands: list[BaseHandler[Update, Context, None]] = [
        CommandHandler("setup", setup, filters=filters.ChatType.GROUPS),
        CommandHandler("setup", setup_private, filters=filters.ChatType.PRIVATE),
    ]
    return Feature(name="groups", menu=MENU, commands=commands)
