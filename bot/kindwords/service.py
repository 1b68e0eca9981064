"""Kind words by consent, the work behind the buttons: asking the member, posting only the
words they approved, relaying kind messages to them privately, and ending it.

Every message goes through the outbox. The group sees nothing until the member's yes; "no"
and silence are quiet (the administrator who asked hears a neutral "not this time").
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from bot.adapters.admins import ANONYMOUS_ADMIN_ID
from bot.adapters.callbacks import encode
from bot.adapters.keyboards import keyboard, link_button, start_link
from bot.delivery.outbox import deliver_now, enqueue, send_critical
from bot.i18n import Safe, format_moment
from bot.kindwords import FEATURE
from bot.kindwords import invitation as rules
from bot.moderation.notices import tell_admins, text_only
from bot.people import group_language, language_of, zone_of
from bot.talk.members import title

if TYPE_CHECKING:
    from bot.context import App
    from bot.delivery.outbox import Row
    from bot.records.kindwords import Invitation
    from bot.records.outbox import Outgoing
    from bot.records.scheduled import ScheduledAction

POST = f"{FEATURE}.post"  # the group post (its message id is kept once delivered)
END = f"{FEATURE}.end"  # a timed end: of an unanswered ask, or of an open invitation
ASK_DAYS = 2
PAYLOAD = "kw-"  # /start kw-<invitation id>: a sender's way in from the group post
YES, EDIT, NO, STOP, SIGN, SELF = "yes", "edit", "no", "stop", "sign", "self"
MUTE, REPORT = "mute", "report"
NAMED, ANONYMOUS = "named", "anonymous"
SENT, TOO_MANY, CLOSED, NOT_NOW = "sent", "too_many", "closed", "not_now"


def consent_buttons(app: App, lang: str, invitation_id: int) -> list[Row]:
    t = app.bot_data.texts.plain
    return [
        [(t(lang, "kindwords.button_yes"), encode(FEATURE, YES, invitation_id))],
        [(t(lang, "kindwords.button_edit"), encode(FEATURE, EDIT, invitation_id))],
        [(t(lang, "kindwords.button_no"), encode(FEATURE, NO, invitation_id))],
    ]


def stop_buttons(app: App, lang: str, invitation_id: int) -> list[Row]:
    label = app.bot_data.texts.plain(lang, "kindwords.button_stop")
    return [[(label, encode(FEATURE, STOP, invitation_id))]]


def message_buttons(app: App, lang: str, invitation_id: int, sent_id: int) -> list[Row]:
    """On each kind message: mute its sender, report it as hurtful, or stop it all."""
    t = app.bot_data.texts.plain
    return [
        [(t(lang, "kindwords.button_mute"), encode(FEATURE, MUTE, sent_id))],
        [(t(lang, "kindwords.button_report"), encode(FEATURE, REPORT, sent_id))],
        *stop_buttons(app, lang, invitation_id),
    ]


async def still_there(app: App, invitation: Invitation) -> bool:
    """Whether the member is still in the group (not left, not excluded); if not, an open
    invitation ends here."""
    store = app.bot_data.store
    member = invitation.member_id
    present = invitation.chat_id in await store.users.groups_of(member)
    if present and invitation.chat_id not in await store.moderation.excluded_from(member):
        return True
    if invitation.state == rules.OPEN:
        await end(app, invitation, rules.LEFT)
    elif invitation.state == rules.ASKED:
        await decline(app, invitation, rules.LEFT)
    return False


async def departed(app: App, chat_id: int, member_id: int) -> None:
    """The member is no longer in the group: an invitation asked or open there ends now (its
    group post says so), not when someone next uses it."""
    invitation = await app.bot_data.store.kindwords.current(chat_id, member_id)
    if invitation is not None:
        await still_there(app, invitation)


async def show_consent(app: App, invitation: Invitation) -> None:
    """The member's own choice, in private: the exact words the group would see."""
    data = app.bot_data
    lang = await language_of(data, invitation.member_id)
    key = "kindwords.consent" if invitation.asked_by is not None else "kindwords.consent_self"
    text = data.texts.t(
        lang,
        key,
        group=await title(data, invitation.chat_id),
        words=invitation.words or "",
    )
    await send_critical(
        app,
        invitation.member_id,
        text,
        kind=f"{FEATURE}.consent",
        buttons=consent_buttons(app, lang, invitation.id),
        member_id=invitation.member_id,
    )


async def ask(
    app: App, chat_id: int, member_id: int, asked_by: int | None, name: str
) -> Invitation | None:
    """Ask the member privately; None if an invitation is already asked or open for them."""
    data = app.bot_data
    store = data.store.kindwords
    if await data.store.groups.get(chat_id) is None:
        return None
    if await store.current(chat_id, member_id) is not None:
        return None
    lang = await language_of(data, member_id)
    words = rules.clean_words(data.texts.plain(lang, "kindwords.default_words", name=name))
    invitation_id = await store.add(chat_id, member_id, asked_by, words or "")
    invitation = await store.get(invitation_id)
    if invitation is None:  # pragma: no cover - just written
        return None
    await _schedule_end(app, invitation, rules.ASKED, data.clock.epoch() + ASK_DAYS * rules.DAY)
    await show_consent(app, invitation)
    return invitation


async def change_words(app: App, invitation: Invitation, text: str) -> bool:
    """The member's own words; False if they cannot be posted (too long, a link, a handle)."""
    words = rules.clean_words(text)
    store = app.bot_data.store.kindwords
    if words is None or not await store.set_words(invitation.id, words):
        return False
    changed = await store.get(invitation.id)
    if changed is not None:
        await show_consent(app, changed)
    return True


async def open_invitation(app: App, invitation: Invitation) -> bool:
    """The member said yes: the group sees exactly the approved words, with a way to write."""
    data = app.bot_data
    ends = rules.ends_at(data.clock.epoch())
    if not await data.store.kindwords.move(invitation.id, rules.ASKED, rules.OPEN, ends_at=ends):
        return False
    group_lang = await group_language(data, invitation.chat_id)
    link = start_link(app.bot.username, f"{PAYLOAD}{invitation.id}")
    label = data.texts.plain(group_lang, "kindwords.post_button")
    row = await enqueue(
        app,
        invitation.chat_id,
        html.escape(invitation.words or "", quote=False),
        kind=POST,
        reply_markup=keyboard([link_button(label, link)]),
        ref=invitation.id,
    )
    await deliver_now(app, row)  # ``posted`` keeps its message id, even if it goes later
    await _schedule_end(app, invitation, rules.OPEN, ends)
    lang = await language_of(data, invitation.member_id)
    zone = await zone_of(data, invitation.chat_id)
    await send_critical(
        app,
        invitation.member_id,
        data.texts.t(lang, "kindwords.opened", date=format_moment(ends, lang, zone, "date")),
        kind=f"{FEATURE}.opened",
        buttons=stop_buttons(app, lang, invitation.id),
        member_id=invitation.member_id,
    )
    return True


async def decline(app: App, invitation: Invitation, event: str = rules.NO) -> bool:
    """No (or no answer in time): nothing is posted; the administrator hears "not this time"."""
    data = app.bot_data
    new = rules.next_state(invitation.state, event)
    if new is None or not await data.store.kindwords.move(invitation.id, invitation.state, new):
        return False
    if invitation.asked_by not in (None, ANONYMOUS_ADMIN_ID):
        lang = await language_of(data, invitation.asked_by)
        group = await title(data, invitation.chat_id)
        await send_critical(
            app,
            invitation.asked_by,
            data.texts.t(lang, "kindwords.not_this_time", group=group),
            kind=f"{FEATURE}.not_this_time",
        )
    return True


async def end(app: App, invitation: Invitation, event: str) -> bool:
    """An open invitation ends (stopped, time up, the member left): the group post says so."""
    data = app.bot_data
    new = rules.next_state(invitation.state, event)
    if new != rules.ENDED or not await data.store.kindwords.move(
        invitation.id, invitation.state, new
    ):
        return False
    if invitation.post_id is not None:
        group_lang = await group_language(data, invitation.chat_id)
        await send_critical(
            app,
            invitation.chat_id,
            data.texts.t(group_lang, "kindwords.post_ended"),
            kind=f"{FEATURE}.post_ended",
            edit_of=invitation.post_id,
        )
    if event != rules.LEFT:
        lang = await language_of(data, invitation.member_id)
        key = "kindwords.stopped" if event == rules.STOP else "kindwords.expired"
        await send_critical(
            app, invitation.member_id, data.texts.t(lang, key), kind=f"{FEATURE}.ended"
        )
    return True


async def relay(app: App, invitation_id: int, sender_id: int, name: str | None, text: str) -> str:
    """A kind message to the member, privately; ``name`` None: without the sender's name."""
    data = app.bot_data
    store = data.store.kindwords
    invitation = await store.get(invitation_id)
    if invitation is None or not rules.shows_in_group(invitation.state):
        return CLOSED
    if not await still_there(app, invitation):
        return CLOSED
    if await store.is_muted(invitation.id, sender_id):
        return NOT_NOW
    now = data.clock.epoch()
    if not rules.may_send(await store.sent_at(invitation.id, sender_id, now - rules.DAY), now):
        return TOO_MANY
    lang = await language_of(data, invitation.member_id)
    words = text.strip()
    message = (
        data.texts.t(lang, "kindwords.from_anonymous", words=words)
        if name is None
        else data.texts.t(lang, "kindwords.from_named", name=name, words=words)
    )
    sent_id = await store.record_sent(invitation.id, sender_id)
    await send_critical(
        app,
        invitation.member_id,
        message,
        kind=f"{FEATURE}.message",
        buttons=message_buttons(app, lang, invitation.id, sent_id),
        member_id=invitation.member_id,
    )
    return SENT


async def _schedule_end(app: App, invitation: Invitation, state: str, at: int) -> None:
    await app.bot_data.scheduler.schedule(
        app,
        END,
        at,
        chat_id=invitation.chat_id,
        user_id=invitation.member_id,
        payload={"invitation": invitation.id, "state": state},
        dedupe_key=f"{END}:{invitation.id}:{state}",
    )


async def end_job(app: App, action: ScheduledAction) -> None:
    """``kindwords.end``: an ask nobody answered lapses; an open invitation's week is up.
    It acts only if the invitation is still in the state it was scheduled for."""
    invitation = await app.bot_data.store.kindwords.get(int(action.payload.get("invitation", 0)))
    if invitation is None or invitation.state != action.payload.get("state"):
        return
    if invitation.state == rules.ASKED:
        await decline(app, invitation, rules.EXPIRE)
    else:
        await end(app, invitation, rules.EXPIRE)


async def mute(app: App, member_id: int, sent_id: int) -> bool:
    """The member mutes the sender of one of their kind messages (for this invitation)."""
    store = app.bot_data.store.kindwords
    found = await store.sender_of(sent_id)
    invitation = await store.get(found[0]) if found else None
    if found is None or invitation is None or invitation.member_id != member_id:
        return False
    await store.mute(invitation.id, found[1])
    return True


async def report(app: App, member_id: int, sent_id: int, shown: str) -> bool:
    """The member reports a kind message as hurtful: the group's administrators see it and
    who sent it (never who reported it), and its sender is muted for this invitation."""
    data = app.bot_data
    store = data.store.kindwords
    found = await store.sender_of(sent_id)
    invitation = await store.get(found[0]) if found else None
    group = await data.store.groups.get(invitation.chat_id) if invitation else None
    if found is None or invitation is None or group is None or invitation.member_id != member_id:
        return False
    await store.mute(invitation.id, found[1])
    sender = Safe(f'<a href="tg://user?id={found[1]}">{found[1]}</a>')
    await tell_admins(
        app,
        group,
        text_only(app, "kindwords.report_admins", group=group.title, sender=sender, words=shown),
    )
    return True


async def posted(app: App, message: Outgoing, telegram_id: int) -> None:
    """The group post was delivered: keep its id, so that its end can be shown on it. If the
    invitation ended while the post waited, it says so at once."""
    store = app.bot_data.store.kindwords
    invitation = await store.get(message.ref) if message.ref is not None else None
    if invitation is None:
        return
    await store.set_post(invitation.id, telegram_id)
    if invitation.state == rules.ENDED:
        group_lang = await group_language(app.bot_data, invitation.chat_id)
        await send_critical(
            app,
            invitation.chat_id,
            app.bot_data.texts.t(group_lang, "kindwords.post_ended"),
            kind=f"{FEATURE}.post_ended",
            edit_of=telegram_id,
        )
