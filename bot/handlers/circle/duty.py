"""``/duty on|off``: an administrator says they are (or are no longer) on duty."""

from __future__ import annotations

from telegram import Update

from bot.adapters.replies import reply
from bot.circle import duty
from bot.context import Context
from bot.handlers.circle.shared import person_of


async def duty_command(update: Update, context: Context) -> None:
    user = person_of(update)
    chat = update.effective_chat
    choice = (context.args[0].lower() if context.args else "").strip()
    if choice not in ("on", "off"):
        await reply(update, context, "consent.duty_usage")
        return
    in_group = chat is not None and chat.type != "private"
    titles = await duty.set_duty(
        context.app, user.id, choice == "on", chat.id if in_group and chat else None
    )
    if not titles:
        await reply(update, context, "consent.duty_none")
        return
    key = "consent.duty_on" if choice == "on" else "consent.duty_off"
    await reply(update, context, key, group=", ".join(titles))
