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
    MessageReactionHandler,
    filters,
)

from bot.adapters.filters import GROUP_ACTIVITY, GROUP_CONVERSATION
from bot.adapters.guards import group_admin, is_group
from bot.adapters.keyboards import private_chat_button
from bot.adapters.menus import MenuEntry
from bot.adapters.presence import is_present
from bot.adapters.replies import reply
from bot.adapters.tracking import mark_arrived
from bot.circle import duty
from bot.context import Context
from bot.delivery import outbox
from bot.groups import membership, team
from bot.handlers import ordinary, start
from bot.handlers.feature import Feature, Handler
from bot.i18n import Safe
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
        if new.status in (
            ChatMemberStatus.BANNED,
            ChatMemberStatus.MEMBER,
        ) and await membership.private_chat_changed(
            data,
            chat.id,
            change.from_user.language_code,
            blocked=new.status == ChatMemberStatus.BANNED,
        ):
            mark_arrived(context)
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
    await membership.learn_admins(context.app, chat.id)
    if arrival.newly_added:
        await outbox.send_critical(
            context.app,
            chat.id,
            data.texts.t(arrival.group.language, "groups.hello"),
            kind="answer",
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
    await membership.learn_admins(context.app, chat.id)
    lang = group.language
    texts = data.texts
    if not rights.missing:
        said = texts.t(lang, "setup.ready")
    else:
        reasons = "\n".join(texts.t(lang, f"setup.why_{name}") for name in rights.missing)
        said = texts.t(lang, "setup.missing", reasons=Safe(reasons))
    on_duty = await duty.on_duty_names(context.app, chat.id)
    known = texts.t(
        lang,
        "consent.setup_known",
        count=await membership.known_count(data, chat.id),
        duty=", ".join(on_duty) if on_duty else texts.t(lang, "consent.duty_nobody"),
    )
    message = update.effective_message
    if message is not None:
        await message.reply_text(said)
    await _team_reach(update, context, group.chat_id, lang, known)


async def _team_reach(
    update: Update, context: Context, chat_id: int, lang: str, known: str
) -> None:
    """Each administrator, and whether the bot can write to them privately (a one-tap link
    into the private chat while anyone is missing); then how many members the bot knows and
    who is on duty."""
    data = context.bot_data
    members = await team.team(context.app, chat_id)
    message = update.effective_message
    if not members:
        # Telegram did not give the list: nothing true to say about the team.
        if message is not None:
            await message.reply_text(known)
        return
    lines = "\n".join(
        data.texts.t(
            lang,
            "setup.team_reachable" if member.reachable else "setup.team_unreachable",
            # An anonymous administrator stays anonymous in the group.
            name=data.texts.t(lang, "setup.team_anonymous") if member.anonymous else member.name,
        )
        for member in members
    )
    reached = sum(member.reachable for member in members)
    if reached == len(members):
        key = "setup.team_all_reachable"
    elif reached:
        key = "setup.team_some_unreachable"
    else:
        key = "setup.team_none_reachable"
    kept = await team.waiting(context.app, chat_id)
    if kept:
        lines += "\n\n" + data.texts.t(lang, "setup.team_kept", count=kept)
    markup = (
        None if reached == len(members) else private_chat_button(context, lang, team.ADMIN_START)
    )
    if message is not None:
        said = data.texts.t(lang, key, lines=Safe(lines))
        await message.reply_text(Safe(f"{said}\n\n{known}"), reply_markup=markup)


async def admin_started(update: Update, context: Context, _payload: str) -> None:
    """``/start admin`` (the link /setup shows): the administrator is told which groups'
    notices reach them here now; what waited for them follows (the router's arrivals)."""
    user = update.effective_user
    if user is None:
        return
    groups = await team.administered(context.app, user.id)
    if not groups:
        await start.start(update, context)
        return
    titles = ", ".join(group.title for group in groups)
    await reply(update, context, "admins.start_thanks", name=user.first_name, groups=titles)


async def setup_private(update: Update, context: Context) -> None:
    await reply(update, context, "setup.in_group")


async def on_chat_member(update: Update, context: Context) -> None:
    """Someone's membership changed: keep the admin cache and membership list honest."""
    change = update.chat_member
    if change is None or not is_group(change.chat):
        return
    old, new = change.old_chat_member, change.new_chat_member
    joined = is_present(new) and not is_present(old)
    gone = new.status == ChatMemberStatus.RESTRICTED and not is_present(new)
    by_other = (
        joined
        and change.from_user.id != new.user.id
        and not change.via_join_request
        and change.invite_link is None
    )
    await membership.member_changed(
        context.bot_data,
        change.chat.id,
        new.user.id,
        new.user.language_code,
        "left" if gone else str(new.status),
        admin_change=old.status in ADMIN_STATUSES or new.status in ADMIN_STATUSES,
        joined=joined,
        added_by=change.from_user.id if by_other else None,
    )
    if not new.user.is_bot:
        await membership.named(context.bot_data, new.user.id, new.user.username)


async def on_migrate(update: Update, context: Context) -> None:
    """A basic group became a supergroup and got a new id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await membership.migrated(context.bot_data, message.chat.id, message.migrate_to_chat_id)


async def on_group_activity(update: Update, context: Context) -> None:
    """A message, button press or reaction in a group: its sender is a member (learned; no
    text, no emoji stored)."""
    chat, user = update.effective_chat, update.effective_user
    message = update.effective_message
    if chat is None or user is None or user.is_bot or not is_group(chat):
        return
    if message is not None and message.sender_chat is not None:
        return  # an anonymous administrator or a channel: no person to learn
    await ordinary.took_part(context.bot_data, chat.id, user.id, user.language_code, user.username)


async def _conversation(_update: Update, _context: Context) -> None:
    """An ordinary message in a group: nothing for the command handlers to do."""


def conversation() -> Handler:
    """First in the command group: an ordinary group message matches here and PTB stops
    scanning the ~100 command and button handlers behind it (they could never match). The
    observers (solicitation flagging) run after, in their own group. Keeps the per-message
    path of a group lean."""
    return MessageHandler(GROUP_CONVERSATION, _conversation)


def tracking() -> list[Handler]:
    """Observers that run before everything else and never stop other handlers."""
    return [
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(on_chat_member, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate),
        MessageHandler(GROUP_ACTIVITY, on_group_activity),
        CallbackQueryHandler(on_group_activity),
        MessageReactionHandler(on_group_activity),
    ]


def feature() -> Feature:
    commands: list[BaseHandler[Update, Context, None]] = [
        CommandHandler("setup", setup, filters=filters.ChatType.GROUPS),
        CommandHandler("setup", setup_private, filters=filters.ChatType.PRIVATE),
    ]
    return Feature(
        name="groups",
        menu=MENU,
        commands=commands,
        start_payloads={team.ADMIN_START: admin_started},
        arrivals=(team.arrived,),
        catch_up=(team.catch_up,),
    )
