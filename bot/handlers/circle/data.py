"""/mydata (everything held about the person asking, as a file) and /forgetme."""

from __future__ import annotations

import json

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.adapters.callbacks import Callback
from bot.adapters.keyboards import keyboard
from bot.adapters.replies import reply
from bot.circle import data as rights
from bot.circle.callbacks import FORGET, FORGET_KEEP
from bot.context import Context
from bot.handlers.circle.shared import btn, lang_of, person_of, show, t


async def mydata(update: Update, context: Context) -> None:
    """Everything held about the person asking — never anyone else (no arguments accepted)."""
    user = person_of(update)
    chat = update.effective_chat
    if chat is None:
        return
    exported = await rights.export(context.bot_data, user.id)
    payload = json.dumps(exported, ensure_ascii=False, indent=2).encode()
    lang = await lang_of(update, context)
    await context.bot.send_document(
        chat.id,
        InputFile(payload, filename="pamoja-my-data.json"),
        caption=context.bot_data.texts.n(
            lang, "circle.mydata_caption", len(exported["disclosures"])
        ),
    )


def forget_keyboard(context: Context, lang: str) -> InlineKeyboardMarkup:
    """/forgetme's question: erase and tell my support persons, erase quietly, or keep."""
    return keyboard(
        [btn(t(context, lang, "circle.btn_forget_tell"), FORGET, 1)],
        [btn(t(context, lang, "circle.btn_forget_quiet"), FORGET, 0)],
        [btn(t(context, lang, "circle.btn_keep"), FORGET_KEEP)],
    )


async def forgetme(update: Update, context: Context) -> None:
    lang = await lang_of(update, context)
    await reply(
        update, context, "circle.forget_confirm", reply_markup=forget_keyboard(context, lang)
    )


async def on_forget(update: Update, context: Context, pressed: Callback) -> None:
    tell = pressed.text(0) == "1"
    lang = await lang_of(update, context)
    # Said first: forgetting removes every message to the person, this one included.
    await show(update, context, t(context, lang, "circle.forgotten"))
    await rights.forget_and_tell(context.app, person_of(update).id, tell=tell)


async def on_forget_keep(update: Update, context: Context, _pressed: Callback) -> None:
    lang = await lang_of(update, context)
    await show(update, context, t(context, lang, "circle.forget_kept"))
