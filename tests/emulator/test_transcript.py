"""The transcript shows what people saw, readably, and never the token."""

from __future__ import annotations

from telegram import Bot, ChatPermissions, InlineKeyboardButton, InlineKeyboardMarkup

from emulator import Emulator

from .conftest import START, Cast


async def test_transcript_reads_like_the_chat(bot: Bot, emu: Emulator, cast: Cast) -> None:
    mark = emu.transcript_mark()
    emu.send(cast.group, cast.juma, "hello")
    welcome = await bot.send_message(
        cast.group.id,
        "Welcome to the group",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("I agree", callback_data="ok")]]),
    )
    query = emu.press(cast.juma, cast.group, welcome.message_id, "ok")
    await bot.answer_callback_query(query, "Thanks!")
    await bot.restrict_chat_member(
        cast.group.id, cast.juma.id, ChatPermissions.no_permissions(), until_date=int(START) + 600
    )
    emu.start_bot(cast.amina)
    await bot.send_message(cast.amina.id, "Habari Amina")
    await bot.delete_message(cast.group.id, welcome.message_id)
    assert emu.transcript(since=mark).splitlines() == [
        "[Peer Group] Juma Otieno: hello",
        "[Peer Group] Pamoja: Welcome to the group [I agree]",
        "[Peer Group] Juma Otieno: pressed [I agree]",
        "[Peer Group] Pamoja: (notification to Juma Otieno) Thanks!",
        "[Peer Group] * Pamoja restricted Juma Otieno until 2026-09-21 14:23 UTC",
        "[Pamoja ↔ Amina] Amina: /start",
        "[Pamoja ↔ Amina] Pamoja: Habari Amina",
        "[Peer Group] * Pamoja deleted a message from Pamoja: “Welcome to the group”",
    ]
    assert emu.token not in emu.transcript()


async def test_transcript_shows_media_joins_and_edits(bot: Bot, emu: Emulator, cast: Cast) -> None:
    mark = emu.transcript_mark()
    emu.send_voice(cast.group, cast.neema, duration=7)
    emu.send_sticker(cast.group, cast.neema)
    reply = emu.send_photo(cast.group, cast.neema, caption="our meetup")
    sent = await bot.send_message(cast.group.id, "draft")
    await bot.edit_message_text("final", cast.group.id, sent.message_id)
    emu.send(cast.group, cast.juma, "nice", reply_to=reply)
    lines = emu.transcript(since=mark).splitlines()
    assert lines[0] == "[Peer Group] Neema: 🎤 voice message (7s)"
    assert lines[1] == "[Peer Group] Neema: [sticker 👍]"
    assert lines[2] == "[Peer Group] Neema: 🖼 photo our meetup"
    assert lines[4] == "[Peer Group] Pamoja: ✎ final"
    assert lines[5] == "[Peer Group] Juma Otieno: (↩ Neema: “our meetup”) nice"
