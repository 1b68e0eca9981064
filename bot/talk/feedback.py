"""Anonymous feedback to a group's facilitators.

It cannot be traced back to the sender, not even from the database: the stored row holds a
random key, the group, the ISO week and the encrypted text — no sender, no exact time, no
arrival order. While the person decides to send it, the draft waits in their awaiting record
(``talk.feedback``), sealed by the talk repository (never in plain text), and is deleted when
sent or cancelled (or when the wait expires). The facilitators receive it from the bot,
without the sender. Nothing about it is logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import BadRequest, Forbidden

from bot.adapters.admins import reachable_admins
from bot.delivery import outbox
from bot.errors import RefusedError, StaleButtonError
from bot.people import language_of
from bot.records.awaiting import Awaiting
from bot.talk import awaiting
from bot.talk.policy import policy

if TYPE_CHECKING:
    from bot.context import App, BotData


async def await_text(data: BotData, user_id: int, chat_id: int) -> None:
    """The person's next words are their feedback for this group."""
    await data.store.awaiting.expect(
        user_id, awaiting.FEEDBACK, policy(data).prompt_seconds, {"group": chat_id}
    )


async def hold_draft(data: BotData, waiting: Awaiting, text: str | None) -> str:
    """Keep the written feedback, sealed, until Send or Cancel; returns the text to preview."""
    body = (text or "").strip()
    if not body:
        raise RefusedError("talk.feedback_text_only")
    limit = policy(data).feedback_max_chars
    if len(body) > limit:
        raise RefusedError("talk.feedback_too_long", limit=limit)
    chat_id = int(waiting.payload["group"])
    sealed = data.store.talk.seal_draft(waiting.user_id, chat_id, body)
    await data.store.awaiting.expect(
        waiting.user_id,
        awaiting.FEEDBACK,
        policy(data).prompt_seconds,
        {"group": chat_id, "draft": sealed},
    )
    return body


async def send(app: App, user_id: int) -> int:
    """Store the draft anonymously and deliver it; returns how many copies reached someone."""
    data = app.bot_data
    waiting = await data.store.awaiting.current(user_id)
    if waiting is None or waiting.kind != awaiting.FEEDBACK or "draft" not in waiting.payload:
        raise StaleButtonError
    chat_id = int(waiting.payload["group"])
    body = data.store.talk.open_draft(user_id, chat_id, str(waiting.payload["draft"]))
    await data.store.awaiting.clear(user_id, awaiting.FEEDBACK)
    if body is None:
        raise StaleButtonError
    await data.store.talk.add_feedback(chat_id, body)
    return await deliver(app, chat_id, body)


async def deliver(app: App, chat_id: int, body: str) -> int:
    """To the admin team chat if linked, else to each administrator privately; no sender.

    Not ``tell_admins``: that also tries administrators the bot has never met, and a refusal
    writes the moment into their record — a time stamp beside anonymous feedback. Here only
    administrators known to be reachable are written to, as before.
    """
    data = app.bot_data
    group = await data.store.groups.get(chat_id)
    if group is None:
        return 0
    if group.admin_chat_id is not None:
        text = data.texts.t(group.language, "talk.feedback_delivery", group=group.title, text=body)
        try:
            await outbox.send_critical(app, group.admin_chat_id, text, kind="notice")
        except (Forbidden, BadRequest):
            pass
        else:
            return 1
    delivered = 0
    for admin_id in await reachable_admins(app, chat_id, anonymous=False):
        person = await data.store.users.get(admin_id)
        if person is None or not person.reachable:
            continue
        lang = await language_of(data, admin_id)
        text = data.texts.t(lang, "talk.feedback_delivery", group=group.title, text=body)
        delivered += (
            await outbox.send_critical(app, admin_id, text, kind="notice") != outbox.FAILED
        )
    return delivered


async def cancel(data: BotData, user_id: int) -> None:
    """The person thought better of it: the draft (or the wait for one) is gone."""
    await awaiting.forget(data, user_id)
