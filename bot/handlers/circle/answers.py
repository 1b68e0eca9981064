"""The member's answers in the guided conversation: their words while the circle awaits them
(the router hands them over), Skip, and "Continue where I left off"."""

from __future__ import annotations

from telegram import Update

from bot.adapters.callbacks import Callback
from bot.adapters.replies import reply
from bot.circle import guide
from bot.context import Context
from bot.errors import StaleButtonError
from bot.handlers.circle import consent, persons
from bot.handlers.circle.shared import ask, person_of, question
from bot.records.awaiting import Awaiting


async def answer_received(update: Update, context: Context, awaiting: Awaiting) -> bool:
    """A private text while a circle question is awaited: the answer to it.

    Anything else (a photo, a sticker, words while a one-to-one conversation is open) is not
    an answer: the router gives it to whoever else takes it, and the question stays open."""
    message = update.effective_message
    if message is None or message.text is None:
        return False
    app = context.app
    if await guide.talk_busy(app, awaiting.user_id):
        return False
    draft = await guide.awaited(app, awaiting)
    if draft is None:
        return False
    value = guide.checked(message.text)
    await show_outcome(update, context, await guide.take(app, awaiting.user_id, draft, value))
    return True


async def show_outcome(update: Update, context: Context, outcome: guide.Outcome) -> None:
    """What the member sees after one answer."""
    store = context.bot_data.store
    match outcome:
        case guide.Question(state):
            await question(update, context, state)
        case guide.Edited(person_id):
            await reply(update, context, "circle.saved")
            refreshed = await store.circle.person(person_id)
            if refreshed is not None:
                await persons.person_view(update, context, refreshed)
        case guide.Gone():
            await reply(update, context, "circle.gone")
        case guide.NeverSaved():
            await reply(update, context, "circle.never_saved")
            await persons.never_view(update, context)
        case guide.HelpPreview(words):
            await persons.help_preview(update, context, words)
        case guide.AdvanceSaved(decision, places):
            await consent.advance_saved(update, context, decision, places)
        case guide.Nothing():
            pass


async def on_skip(update: Update, context: Context, _pressed: Callback) -> None:
    user = person_of(update)
    draft = await guide.draft(context.app, user.id)
    if draft is None or not guide.can_skip(draft.state):
        raise StaleButtonError
    await show_outcome(update, context, await guide.take(context.app, user.id, draft, None))


async def on_resume(update: Update, context: Context, _pressed: Callback) -> None:
    draft = await guide.draft(context.app, person_of(update).id)
    if draft is None:
        raise StaleButtonError
    if draft.state == guide.HELP_PREVIEW:
        await persons.help_preview(update, context, str(draft.data.get("text", "")))
        return
    await ask(update, context, draft.state, draft.data)
