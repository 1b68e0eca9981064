"""A whole PTB Application polling the emulator, in-process and over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from emulator import Emulator, EmulatorRequest, EmulatorServer

from .conftest import Cast


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("I agree", callback_data="agree")]])
    args = " ".join(context.args or [])
    await context.bot.send_message(
        update.effective_chat.id, f"Karibu! {args}".strip(), reply_markup=keyboard
    )


async def agree(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Asante!")
    await query.edit_message_text("Thank you for agreeing.")


def build(builder: ApplicationBuilder) -> Application:  # type: ignore[type-arg]
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(agree))
    return app


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[None]:  # type: ignore[type-arg]
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


async def conversation(emu: Emulator, cast: Cast) -> None:
    emu.start_bot(cast.juma, "welcome")
    await emu.wait_idle(quiet=0.1, timeout=5)
    reply = emu.last_bot_message(cast.juma)
    assert reply is not None
    assert reply.text == "Karibu! welcome"
    emu.press(cast.juma, cast.juma, reply.message_id, "agree")
    await emu.wait_idle(quiet=0.1, timeout=5)
    edited = emu.last_bot_message(cast.juma)
    assert edited is not None
    assert edited.text == "Thank you for agreeing."
    assert "(notification to Juma Otieno) Asante!" in emu.transcript()


async def test_application_in_process(emu: Emulator, cast: Cast) -> None:
    builder = (
        ApplicationBuilder()
        .token(emu.token)
        .request(EmulatorRequest(emu))
        .get_updates_request(EmulatorRequest(emu))
    )
    async with polling(build(builder)):
        await conversation(emu, cast)


async def test_application_over_http(emu: Emulator, cast: Cast) -> None:
    async with EmulatorServer(emu) as server:
        builder = ApplicationBuilder().token(emu.token).base_url(f"{server.url}/bot")
        async with polling(build(builder)):
            await conversation(emu, cast)
