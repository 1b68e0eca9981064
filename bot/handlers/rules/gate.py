"""The join gate and approval mode, on the Telegram side: joins and leaves, the "I agree" tap,
join requests, the applicant's and the admins' one-tap answers, and the bot's own arrival."""

from __future__ import annotations

from telegram import ChatJoinRequest, ChatMemberUpdated, Update, User

from bot.adapters.admins import ADMIN_STATUSES
from bot.adapters.callbacks import Callback
from bot.adapters.guards import is_group
from bot.adapters.presence import is_present
from bot.adapters.replies import answer_button, edit_quietly
from bot.context import Context
from bot.people import language_of
from bot.rules import approval, gate, pinning, reminders


async def on_member(update: Update, context: Context) -> None:
    """Someone's membership changed: welcome (and maybe gate) newcomers, tidy up leavers."""
    change: ChatMemberUpdated | None = update.chat_member
    if change is None or not is_group(change.chat):
        return
    person = change.new_chat_member.user
    was, now = is_present(change.old_chat_member), is_present(change.new_chat_member)
    if was and not now:
        await gate.left(context.app, change.chat.id, person.id)
        return
    if was or not now:
        return
    newcomer = gate.Newcomer(
        user_id=person.id,
        first_name=person.first_name,
        is_bot=person.is_bot,
        is_admin=change.new_chat_member.status in ADMIN_STATUSES,
    )
    await gate.joined(context.app, change.chat.id, newcomer)


async def agree(update: Update, context: Context, pressed: Callback) -> None:
    """The newcomer's "I agree" tap (in the group, or in the private reminder)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    chat_id, newcomer = pressed.count(2).ints()
    entry = await gate.agree(context.app, chat_id, newcomer, user.id)
    data = context.bot_data
    lang = await language_of(data, user.id, user.language_code)
    await answer_button(query, data.texts.t(lang, "rules.agreed"))
    await gate.tidy_welcome(context.app, entry, user.first_name, lang)
    message = query.message
    if message is not None and message.chat.id != chat_id:
        # The private reminder: say thank you there.
        await edit_quietly(
            context.app, message.chat.id, message.message_id, data.texts.t(lang, "rules.agreed")
        )


async def on_join_request(update: Update, context: Context) -> None:
    """Someone asked to join: the rules go to them privately and the admins are told."""
    request: ChatJoinRequest | None = update.chat_join_request
    if request is None:
        return
    person = request.from_user
    lang = await language_of(context.bot_data, person.id, person.language_code)
    await approval.requested(
        context.app, request.chat.id, person.id, person.first_name, request.user_chat_id, lang
    )


async def _tell_outcome(
    update: Update, context: Context, user: User, outcome: approval.Outcome
) -> None:
    """The tapped message now says how the request ended, in the tapper's language."""
    query = update.callback_query
    if query is None:
        return
    await answer_button(query)
    if query.message is not None:
        data = context.bot_data
        lang = await language_of(data, user.id, user.language_code)
        await edit_quietly(
            context.app,
            query.message.chat.id,
            query.message.message_id,
            data.texts.t(lang, outcome.key, group=outcome.group_title),
        )


async def applicant_agrees(update: Update, context: Context, pressed: Callback) -> None:
    """The applicant tapped "I agree" in the private chat (the join mode says what follows)."""
    user = update.effective_user
    if user is None:
        return
    request_id = pressed.count(1).number(0)
    outcome = await approval.applicant_agrees(context.app, request_id, user.id, user.first_name)
    await _tell_outcome(update, context, user, outcome)


async def approve(update: Update, context: Context, pressed: Callback) -> None:
    """An admin lets the applicant in with one tap."""
    await _decide(update, context, pressed, approve=True)


async def decline(update: Update, context: Context, pressed: Callback) -> None:
    """An admin declines the request with one tap (the applicant is told kindly)."""
    await _decide(update, context, pressed, approve=False)


async def _decide(update: Update, context: Context, pressed: Callback, *, approve: bool) -> None:
    user = update.effective_user
    if user is None:
        return
    request_id = pressed.count(1).number(0)
    outcome = await approval.admin_decides(context.app, request_id, user.id, approve=approve)
    await _tell_outcome(update, context, user, outcome)


async def on_bot_member(update: Update, context: Context) -> None:
    """The bot was added or promoted: make sure the group's reminder is in the calendar."""
    change = update.my_chat_member
    if change is not None and is_group(change.chat):
        await reminders.ensure(context.app, change.chat.id)
        group = await context.bot_data.store.groups.get(change.chat.id)
        if group is not None and group.registered:
            await pinning.pin(context.app, change.chat.id, only_if_missing=True)


async def after_setup(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is not None:
        await reminders.ensure(context.app, chat.id)
        await pinning.pin(context.app, chat.id, only_if_missing=True)
