"""Join requests, answered as the group's join mode says (``/settings join MODE``).

* ``open`` (gate only): the applicant gets the rules privately (Telegram lets the bot write to
  them while the request is open); agreeing lets them in.
* ``approval``: the applicant must agree to the rules first; agreeing never approves. Only then
  are the administrators asked, with one tap to approve or decline. Unanswered, the admins are
  reminded after a day; any request still open after three days is closed kindly.
* ``invitation``: people come in by a personal single-use link an administrator made with
  ``/invite`` (those links join directly, without a request); any other request is declined
  with a kind private word.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.error import BadRequest

from bot.adapters.admins import tell_admins
from bot.adapters.keyboards import button, keyboard
from bot.delivery import outbox
from bot.errors import AdminsOnlyError, NotForYouError, RefusedError, StaleButtonError
from bot.people import language_of
from bot.rules.callbacks import APPROVE, DECLINE, FEATURE, JOIN
from bot.rules.gate import mention
from bot.rules.policy import JOIN_REQUEST_EXPIRES_AFTER, JOIN_REQUEST_REMINDER_AFTER
from bot.rules.versions import rendered

if TYPE_CHECKING:
    from telegram import InlineKeyboardMarkup

    from bot.context import App
    from bot.records.groups import Group

log = logging.getLogger(__name__)

OPEN, APPROVAL, INVITATION = "open", "approval", "invitation"

REQUEST_REMINDER = f"{FEATURE}.request_reminder"
REQUEST_EXPIRY = f"{FEATURE}.request_expiry"


@dataclass(frozen=True)
class Outcome:
    """How a request ended, for the person who tapped: a catalogue key and the group's title."""

    key: str
    group_title: str


async def requested(
    app: App, chat_id: int, user_id: int, first_name: str, user_chat_id: int, lang: str
) -> None:
    """Someone asked to join: answered as the group's join mode says."""
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None or not group.active:
        return
    request_id = await data.store.rules.request_open(chat_id, user_id, user_chat_id)
    await data.store.audit.record("rules_join_requested", chat_id=chat_id, actor_id=user_id)
    if group.join_mode == INVITATION:
        await _decline_uninvited(app, group, request_id, user_id, user_chat_id, lang)
        return
    key = (
        "joinmodes.request_applicant" if group.join_mode == APPROVAL else "rules.request_applicant"
    )
    text = data.texts.t(
        lang,
        key,
        name=first_name,
        group=group.title,
        rules=await rendered(data, chat_id, lang),
    )
    label = data.texts.raw(lang, "rules.button_agree")
    markup = keyboard([button(label, FEATURE, JOIN, request_id)])
    await outbox.send_critical(app, user_chat_id, text, kind="notice", reply_markup=markup)
    await data.scheduler.schedule(
        app,
        REQUEST_EXPIRY,
        data.clock.epoch() + JOIN_REQUEST_EXPIRES_AFTER,
        chat_id=chat_id,
        user_id=user_id,
        payload={"request": request_id},
        dedupe_key=f"{REQUEST_EXPIRY}:{request_id}",
    )


async def _decline_uninvited(
    app: App, group: Group, request_id: int, user_id: int, user_chat_id: int, lang: str
) -> None:
    """Invitation mode: a request without a personal link is declined, with a kind word."""
    data = app.bot_data
    # Telegram lets the bot write to an applicant only until the request is answered.
    await outbox.send_critical(
        app,
        user_chat_id,
        data.texts.t(lang, "joinmodes.invitation_only", group=group.title),
        kind="notice",
    )
    done = await _answer_telegram(app, group.chat_id, user_id, approve=False)
    await data.store.rules.request_decide(
        request_id, "declined" if done else "expired", None, "invitation"
    )
    await data.store.audit.record(
        "rules_join_declined", chat_id=group.chat_id, actor_id=None, target_id=user_id
    )


def _decide_keyboard(app: App, lang: str, request_id: int) -> InlineKeyboardMarkup:
    texts = app.bot_data.texts
    return keyboard(
        [
            button(texts.raw(lang, "rules.button_approve"), FEATURE, APPROVE, request_id),
            button(texts.raw(lang, "rules.button_decline"), FEATURE, DECLINE, request_id),
        ]
    )


async def _tell_admins(app: App, group: Group, request_id: int, key: str, **values: str) -> int:
    """Tell the group's admins, with the one-tap buttons; how many copies reached someone."""
    texts = app.bot_data.texts

    def compose(lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
        text = texts.t(lang, key, group=group.title, **values)
        return text, _decide_keyboard(app, lang, request_id)

    delivered = await tell_admins(
        app,
        group.chat_id,
        compose,
        team_chat_id=group.admin_chat_id,
        team_language=group.language,
        about=("join_request", request_id),
    )
    return len(delivered)


async def _answer_telegram(app: App, chat_id: int, user_id: int, *, approve: bool) -> bool:
    """Answer the request on Telegram; False if it is no longer there."""
    try:
        if approve:
            await app.bot.approve_chat_join_request(chat_id, user_id)
        else:
            await app.bot.decline_chat_join_request(chat_id, user_id)
    except BadRequest as error:
        log.info("join request of %s in %s already gone (%s)", user_id, chat_id, error.message)
        return False
    return True


async def _cancel_jobs(app: App, chat_id: int, user_id: int) -> None:
    for kind in (REQUEST_REMINDER, REQUEST_EXPIRY):
        await app.bot_data.scheduler.cancel(app, kind, chat_id=chat_id, user_id=user_id)


async def applicant_agrees(app: App, request_id: int, user_id: int, first_name: str) -> Outcome:
    """The applicant tapped "I agree" in the private chat.

    In open mode that lets them in. In approval mode it never does: the agreement is recorded
    and only then are the administrators asked to approve or decline.
    """
    data = app.bot_data
    request = await data.store.rules.request_get(request_id)
    if request is None:
        raise StaleButtonError
    if request.user_id != user_id:
        raise NotForYouError("rules.not_your_button")
    group = await data.store.groups.get(request.chat_id)
    if request.status != "pending" or group is None or request.agreed_at is not None:
        raise StaleButtonError
    if group.join_mode == INVITATION:
        raise StaleButtonError
    version = await data.store.rules.current_version(request.chat_id)
    await data.store.rules.accept(request.chat_id, user_id, version)
    await data.store.audit.record(
        "rules_agreed", chat_id=request.chat_id, actor_id=user_id, detail=f"v{version}"
    )
    if group.join_mode == APPROVAL:
        return await _ask_admins(app, group, request.id, user_id, first_name)
    approved = await _answer_telegram(app, request.chat_id, user_id, approve=True)
    await data.store.rules.request_decide(
        request.id, "approved" if approved else "expired", user_id, "agreed"
    )
    await _cancel_jobs(app, request.chat_id, user_id)
    return Outcome("rules.request_welcome" if approved else "rules.request_gone", group.title)


async def _ask_admins(
    app: App, group: Group, request_id: int, user_id: int, first_name: str
) -> Outcome:
    """Approval mode, after the applicant agreed: the admins decide, reminded after a day."""
    data = app.bot_data
    if not await data.store.rules.request_agreed(request_id):
        raise StaleButtonError
    await _tell_admins(
        app, group, request_id, "joinmodes.request_admin", name=first_name, id=str(user_id)
    )
    await data.scheduler.schedule(
        app,
        REQUEST_REMINDER,
        data.clock.epoch() + JOIN_REQUEST_REMINDER_AFTER,
        chat_id=group.chat_id,
        user_id=user_id,
        payload={"request": request_id},
        dedupe_key=f"{REQUEST_REMINDER}:{request_id}",
    )
    return Outcome("joinmodes.request_waiting", group.title)


async def admin_decides(app: App, request_id: int, admin_id: int, *, approve: bool) -> Outcome:
    """An administrator approves or declines a join request with one tap."""
    data = app.bot_data
    request = await data.store.rules.request_get(request_id)
    if request is None:
        raise StaleButtonError
    if not await data.admins.is_admin(app.bot, request.chat_id, admin_id, fresh=True):
        raise AdminsOnlyError
    group = await data.store.groups.get(request.chat_id)
    if request.status != "pending" or group is None:
        raise RefusedError("rules.request_already")
    if approve and group.join_mode == APPROVAL and request.agreed_at is None:
        raise RefusedError("joinmodes.request_not_agreed")
    plang = await language_of(data, request.user_id)
    if not approve and request.user_chat_id is not None:
        # Telegram lets the bot write to an applicant only until the request is answered.
        await outbox.send_critical(
            app,
            request.user_chat_id,
            data.texts.t(plang, "rules.request_declined_applicant", group=group.title),
            kind="notice",
        )
    done = await _answer_telegram(app, request.chat_id, request.user_id, approve=approve)
    person = await data.store.users.get(request.user_id)
    if approve and done and person is not None and person.reachable:
        # Telegram tells them itself; someone who started the bot also hears it from us.
        await outbox.send_critical(
            app,
            request.user_id,
            data.texts.t(plang, "joinmodes.request_approved_applicant", group=group.title),
            kind="notice",
        )
    status = ("approved" if approve else "declined") if done else "expired"
    await data.store.rules.request_decide(request.id, status, admin_id, "admin")
    await data.store.audit.record(
        f"rules_join_{status}",
        chat_id=request.chat_id,
        actor_id=admin_id,
        target_id=request.user_id,
    )
    await _cancel_jobs(app, request.chat_id, request.user_id)
    return Outcome(f"rules.request_{status}", group.title)


async def remind_admins(app: App, request_id: int) -> None:
    """A join request waited a day: remind the admins, with the one-tap buttons again."""
    data = app.bot_data
    request = await data.store.rules.request_get(request_id)
    if request is None or request.status != "pending" or request.agreed_at is None:
        return
    group = await data.store.groups.get(request.chat_id)
    if group is None or not group.active:
        return
    await _tell_admins(
        app,
        group,
        request.id,
        "rules.request_admin_reminder",
        person=mention(request.user_id, "👤"),
    )


async def expire(app: App, request_id: int) -> None:
    """Nobody answered for days: close the request kindly and record the outcome."""
    data = app.bot_data
    request = await data.store.rules.request_get(request_id)
    if request is None or request.status != "pending":
        return
    group = await data.store.groups.get(request.chat_id)
    person = await data.store.users.get(request.user_id)
    if group is not None and person is not None and person.reachable:
        # Only someone who started the bot can still be written to days later.
        lang = person.language or group.language
        await outbox.send_critical(
            app,
            request.user_id,
            data.texts.t(lang, "rules.request_expired_applicant", group=group.title),
            kind="notice",
        )
    await _answer_telegram(app, request.chat_id, request.user_id, approve=False)
    await data.store.rules.request_decide(request.id, "expired", None, "unanswered")
    await data.store.audit.record(
        "rules_join_expired", chat_id=request.chat_id, actor_id=None, target_id=request.user_id
    )
