"""A real PTB Bot calling the emulator in-process gets real PTB objects back."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberOwner,
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    MessageEntity,
    ReplyParameters,
)
from telegram.constants import ParseMode

from emulator import Emulator, EmulatorRequest

from .conftest import Cast


async def test_get_me_and_initialize(bot: Bot, emu: Emulator) -> None:
    me = await bot.get_me()
    assert me.id == emu.bot.id
    assert me.username == "PamojaBot"
    assert me.is_bot
    assert me.can_join_groups
    assert me.can_read_all_group_messages is False  # privacy mode on, like BotFather


async def test_send_message_with_keyboard_html_and_reply(
    bot: Bot, emu: Emulator, cast: Cast
) -> None:
    first = emu.send(cast.group, cast.juma, "habari")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("I agree", callback_data="agree")],
            [InlineKeyboardButton("Rules", url="https://example.org/rules")],
        ]
    )
    sent = await bot.send_message(
        cast.group.id,
        "<b>Karibu</b> &amp; welcome, /rules",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        reply_parameters=ReplyParameters(first),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        disable_notification=True,
        protect_content=True,
    )
    assert sent.text == "Karibu & welcome, /rules"
    assert sent.entities[0].type == MessageEntity.BOLD
    assert (sent.entities[0].offset, sent.entities[0].length) == (0, 6)
    assert sent.entities[-1].type == MessageEntity.BOT_COMMAND
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "habari"
    assert sent.reply_markup == keyboard
    assert sent.has_protected_content
    assert sent.from_user is not None
    assert sent.from_user.id == emu.bot.id
    stored = emu.last_bot_message(cast.group)
    assert stored is not None
    assert [b["text"] for b in stored.buttons()] == ["I agree", "Rules"]


async def test_edit_and_delete(bot: Bot, emu: Emulator, cast: Cast) -> None:
    sent = await bot.send_message(cast.group.id, "draft")
    edited = await bot.edit_message_text("final", cast.group.id, sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "final"
    assert edited.edit_date is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ok")]])
    again = await bot.edit_message_reply_markup(
        cast.group.id, sent.message_id, reply_markup=markup
    )
    assert not isinstance(again, bool)
    assert again.reply_markup == markup
    assert await bot.delete_message(cast.group.id, sent.message_id)
    assert emu.messages(cast.group)[-1].deleted
    mine = [await bot.send_message(cast.group.id, str(n)) for n in range(3)]
    assert await bot.delete_messages(cast.group.id, [m.message_id for m in mine] + [999])
    assert emu.bot_messages(cast.group) == []


async def test_media_uploads_and_file_ids(bot: Bot, emu: Emulator, cast: Cast) -> None:
    emu.start_bot(cast.amina)
    document = await bot.send_document(
        cast.amina.id,
        InputFile(b"%PDF-1.4 rules", filename="rules.pdf"),
        caption="<i>Group rules</i>",
        parse_mode=ParseMode.HTML,
    )
    assert document.document is not None
    assert document.document.file_name == "rules.pdf"
    assert document.document.mime_type == "application/pdf"
    assert document.caption == "Group rules"
    photo = await bot.send_photo(cast.amina.id, b"\x89PNG fake")
    assert photo.photo[-1].file_size == len(b"\x89PNG fake")
    voice = await bot.send_voice(cast.amina.id, b"OggS...", duration=4)
    assert voice.voice is not None
    stored_voice = emu.message(cast.amina, voice.message_id)
    assert stored_voice is not None
    assert stored_voice.media is not None
    assert stored_voice.media.duration == 4
    sticker = await bot.send_sticker(cast.amina.id, b"RIFF....WEBP")
    assert sticker.sticker is not None
    video = await bot.send_video(cast.amina.id, InputFile(b"mp4", filename="talk.mp4"))
    assert video.video is not None
    audio = await bot.send_audio(cast.amina.id, InputFile(b"mp3", filename="song.mp3"))
    assert audio.audio is not None
    resent = await bot.send_document(cast.group.id, document.document.file_id)
    assert resent.document is not None
    assert resent.document.file_id == document.document.file_id
    files = emu.sent_files(cast.amina)
    assert [f.kind for f in files] == ["document", "photo", "voice", "sticker", "video", "audio"]
    assert files[0].data == b"%PDF-1.4 rules"
    assert files[0].file_name == "rules.pdf"
    assert emu.sent_files(cast.group)[0].data == b"%PDF-1.4 rules"


async def test_copy_and_forward(bot: Bot, emu: Emulator, cast: Cast) -> None:
    emu.start_bot(cast.neema)
    original = emu.send(cast.group, cast.juma, "please help")
    copied = await bot.copy_message(cast.neema.id, cast.group.id, original)
    assert emu.message(cast.neema, copied.message_id).text == "please help"  # type: ignore[union-attr]
    forwarded = await bot.forward_message(cast.neema.id, cast.group.id, original)
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"
    assert forwarded.text == "please help"
    photo = emu.send_photo(cast.group, cast.juma, caption="look")
    copy = await bot.copy_message(cast.neema.id, cast.group.id, photo, caption="seen")
    copied_photo = emu.message(cast.neema, copy.message_id)
    assert copied_photo is not None
    assert copied_photo.media is not None
    assert copied_photo.caption == "seen"


async def test_chat_and_member_queries(bot: Bot, emu: Emulator, cast: Cast) -> None:
    chat = await bot.get_chat(cast.group.id)
    assert isinstance(chat, ChatFullInfo)
    assert chat.title == "Peer Group"
    assert chat.type == "supergroup"
    assert chat.permissions == ChatPermissions.all_permissions()
    private = await bot.get_chat(cast.amina.id)
    assert private.first_name == "Amina"
    owner = await bot.get_chat_member(cast.group.id, cast.amina.id)
    assert isinstance(owner, ChatMemberOwner)
    admins = await bot.get_chat_administrators(cast.group.id)
    assert [type(a) for a in admins] == [ChatMemberOwner, ChatMemberAdministrator]
    assert admins[1].user.id == emu.bot.id
    assert await bot.get_chat_member_count(cast.group.id) == 4
    left = await bot.get_chat_member(cast.group.id, emu.add_user("Stranger").id)
    assert left.status == "left"


async def test_commands_per_scope_and_language(bot: Bot, emu: Emulator, cast: Cast) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    assert await bot.set_my_commands(
        [BotCommand("anza", "Anza")], scope=BotCommandScopeChat(cast.group.id), language_code="sw"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    scoped = await bot.get_my_commands(BotCommandScopeChat(cast.group.id), language_code="sw")
    assert [c.command for c in scoped] == ["anza"]
    assert await bot.get_my_commands(BotCommandScopeChat(cast.group.id)) == ()
    assert emu.commands({"type": "chat", "chat_id": cast.group.id}, "sw")[0]["command"] == "anza"
    assert await bot.delete_my_commands()
    assert emu.commands() == []
    assert await bot.set_my_description("Peer support")
    assert await bot.set_my_short_description("Support")
    assert (await bot.get_my_description()).description == "Peer support"


async def test_webhook_settings(bot: Bot, emu: Emulator) -> None:
    info = await bot.get_webhook_info()
    assert info.url == ""
    assert await bot.set_webhook("https://example.org/hook", allowed_updates=["message"])
    info = await bot.get_webhook_info()
    assert info.url == "https://example.org/hook"
    assert info.allowed_updates == ("message",)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""


async def test_pin_and_chat_action(bot: Bot, emu: Emulator, cast: Cast) -> None:
    sent = await bot.send_message(cast.group.id, "Rules: be kind")
    assert await bot.pin_chat_message(cast.group.id, sent.message_id)
    chat = await bot.get_chat(cast.group.id)
    assert chat.pinned_message is not None
    assert chat.pinned_message.message_id == sent.message_id
    assert await bot.unpin_chat_message(cast.group.id, sent.message_id)
    assert await bot.send_chat_action(cast.group.id, "typing")


async def test_method_names_are_case_insensitive_and_params_may_be_strings(
    emu: Emulator, cast: Cast
) -> None:
    status, body = await emu.call(
        emu.token,
        "SENDMESSAGE",
        {
            "chat_id": str(cast.group.id),
            "text": "hi",
            "reply_markup": '{"inline_keyboard": [[{"text": "x", "callback_data": "x"}]]}',
            "disable_notification": "true",
        },
    )
    assert status == 200
    assert body["ok"] is True
    assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "x"
    assert emu.calls[-1].method == "sendMessage"


async def test_token_never_appears_in_logs(emu: Emulator, cast: Cast) -> None:
    async with Bot(emu.token, request=EmulatorRequest(emu)) as bot:
        await bot.send_message(cast.group.id, "hello")
    assert emu.token not in repr(emu.calls)
    assert emu.token not in emu.transcript()
    assert emu.token not in repr(emu)


@pytest.mark.parametrize("kind", ["text", "photo"])
async def test_can_post_follows_permissions(emu: Emulator, cast: Cast, kind: str) -> None:
    assert emu.can_post(cast.group, cast.juma, kind)
    emu.set_group_permissions(cast.group, can_send_messages=False, can_send_photos=False)
    assert not emu.can_post(cast.group, cast.juma, kind)
    assert emu.can_post(cast.group, cast.amina, kind)
