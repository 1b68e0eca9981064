"""Telegram's error answers surface as PTB's real exception types, with Telegram's words."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Bot, ChatPermissions, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

from emulator import Emulator, EmulatorRequest

from .conftest import Cast

MUTE = ChatPermissions(can_send_messages=False)


async def test_private_chat_rules(bot: Bot, emu: Emulator, cast: Cast) -> None:
    with pytest.raises(
        Forbidden, match=r"^Forbidden: bot can't initiate conversation with a user$"
    ):
        await bot.send_message(cast.juma.id, "hi")
    emu.start_bot(cast.juma)
    await bot.send_message(cast.juma.id, "hi")
    emu.block_bot(cast.juma)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(cast.juma.id, "hi")
    emu.unblock_bot(cast.juma)
    await bot.send_message(cast.juma.id, "welcome back")


async def test_unknown_chats_and_users(bot: Bot, cast: Cast) -> None:
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(-1009999999, "hi")
    with pytest.raises(BadRequest, match=r"^User not found$"):
        await bot.get_chat_member(cast.group.id, 424242)
    with pytest.raises(BadRequest, match=r"^Participant_id_invalid$"):
        await bot.ban_chat_member(cast.group.id, 424242)


async def test_bot_removed_from_group(bot: Bot, emu: Emulator, cast: Cast) -> None:
    other = emu.add_group("Other", owner=cast.amina)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(other.id, "hi")
    emu.add_bot_to_group(other, by=cast.amina, as_admin=False)
    await bot.leave_chat(other.id)
    with pytest.raises(
        Forbidden, match=r"^Forbidden: bot is not a member of the supergroup chat$"
    ):
        await bot.send_message(other.id, "hi")
    emu.remove_bot_from_group(cast.group, by=cast.amina)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was kicked from the supergroup chat$"):
        await bot.send_message(cast.group.id, "hi")


async def test_moderation_rights(bot: Bot, emu: Emulator, cast: Cast) -> None:
    emu.promote(cast.group, cast.neema)
    with pytest.raises(BadRequest, match=r"^User is an administrator of the chat$"):
        await bot.restrict_chat_member(cast.group.id, cast.neema.id, MUTE)
    with pytest.raises(BadRequest, match=r"^Can't remove chat owner$"):
        await bot.ban_chat_member(cast.group.id, cast.amina.id)
    emu.set_bot_rights(cast.group, can_restrict_members=False)
    for call in (
        bot.restrict_chat_member(cast.group.id, cast.juma.id, MUTE),
        bot.ban_chat_member(cast.group.id, cast.juma.id),
        bot.unban_chat_member(cast.group.id, cast.juma.id),
    ):
        with pytest.raises(
            BadRequest, match=r"^Not enough rights to restrict/unrestrict chat member$"
        ):
            await call


async def test_invite_rights(bot: Bot, emu: Emulator, cast: Cast) -> None:
    emu.set_bot_rights(cast.group, can_invite_users=False)
    with pytest.raises(BadRequest, match=r"^Chat_admin_required$"):
        await bot.create_chat_invite_link(cast.group.id)
    with pytest.raises(BadRequest, match=r"^Chat_admin_required$"):
        await bot.approve_chat_join_request(cast.group.id, cast.juma.id)


async def test_join_request_errors(bot: Bot, emu: Emulator, cast: Cast) -> None:
    with pytest.raises(BadRequest, match=r"^User_already_participant$"):
        await bot.approve_chat_join_request(cast.group.id, cast.juma.id)
    stranger = emu.add_user("Stranger")
    with pytest.raises(BadRequest, match=r"^Hide_requester_missing$"):
        await bot.decline_chat_join_request(cast.group.id, stranger.id)


async def test_delete_rules(bot: Bot, emu: Emulator, cast: Cast) -> None:
    theirs = emu.send(cast.group, cast.juma, "hello")
    emu.set_bot_rights(cast.group, can_delete_messages=False)
    with pytest.raises(BadRequest, match=r"^Message can't be deleted$"):
        await bot.delete_message(cast.group.id, theirs)
    own = await bot.send_message(cast.group.id, "mine")
    assert await bot.delete_message(cast.group.id, own.message_id)
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(cast.group.id, own.message_id)
    old = await bot.send_message(cast.group.id, "old")
    emu.advance(49 * 3600)
    with pytest.raises(BadRequest, match=r"^Message can't be deleted$"):
        await bot.delete_message(cast.group.id, old.message_id)
    emu.set_bot_rights(cast.group, can_delete_messages=True)
    assert await bot.delete_message(cast.group.id, old.message_id)


async def test_edit_errors(bot: Bot, emu: Emulator, cast: Cast) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    sent = await bot.send_message(cast.group.id, "same", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text("same", cast.group.id, sent.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", cast.group.id, 9999)
    theirs = emu.send(cast.group, cast.juma, "hello")
    with pytest.raises(BadRequest, match=r"^Message can't be edited$"):
        await bot.edit_message_text("x", cast.group.id, theirs)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("fish & chips", "Character '&' must be escaped"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("x <b", "Unclosed start tag at byte offset 2"),
    ],
)
async def test_html_parse_errors(bot: Bot, cast: Cast, text: str, reason: str) -> None:
    with pytest.raises(BadRequest, match=r"^Can't parse entities: ") as caught:
        await bot.send_message(cast.group.id, text, parse_mode=ParseMode.HTML)
    assert reason.lower() in caught.value.message.lower()  # PTB capitalize()s messages


async def test_markdown_v2_reserved_characters(bot: Bot, cast: Cast) -> None:
    with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
        await bot.send_message(cast.group.id, "Hello.", parse_mode=ParseMode.MARKDOWN_V2)
    with pytest.raises(BadRequest, match=r"(?i)can.t find end of bold entity at byte offset 0"):
        await bot.send_message(cast.group.id, "*bold", parse_mode=ParseMode.MARKDOWN_V2)
    sent = await bot.send_message(cast.group.id, r"*Hi* \. ok", parse_mode=ParseMode.MARKDOWN_V2)
    assert sent.text == "Hi . ok"


async def test_length_and_empty_limits(bot: Bot, emu: Emulator, cast: Cast) -> None:
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(cast.group.id, "x" * 4097)
    await bot.send_message(cast.group.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(cast.group.id, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(cast.group.id, b"img", caption="c" * 1025)


@pytest.mark.parametrize(
    ("button", "reason"),
    [
        (InlineKeyboardButton("x", callback_data="d" * 65), "^Button_data_invalid$"),
        (InlineKeyboardButton("x", callback_data="ü" * 33), "^Button_data_invalid$"),
        (InlineKeyboardButton("x", url="not a url"), "^Button_url_invalid$"),
    ],
)
async def test_button_errors(
    bot: Bot, cast: Cast, button: InlineKeyboardButton, reason: str
) -> None:
    with pytest.raises(BadRequest, match=reason):
        await bot.send_message(cast.group.id, "x", reply_markup=InlineKeyboardMarkup([[button]]))


async def test_empty_callback_data_is_invalid(emu: Emulator, cast: Cast) -> None:
    status, body = await emu.call(
        emu.token,
        "sendMessage",
        {
            "chat_id": cast.group.id,
            "text": "x",
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": ""}]]},
        },
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_unknown_callback_query(bot: Bot, emu: Emulator, cast: Cast) -> None:
    with pytest.raises(BadRequest, match=r"^Query is too old and response timeout expired"):
        await bot.answer_callback_query("12345")
    sent = await bot.send_message(
        cast.group.id,
        "x",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ok")]]),
    )
    query_id = emu.press(cast.juma, cast.group, sent.message_id, "ok")
    assert await bot.answer_callback_query(query_id, "Thanks")
    with pytest.raises(BadRequest, match=r"^Query is too old"):
        await bot.answer_callback_query(query_id)


@pytest.fixture
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns when it builds RetryAfter with int seconds unless opted in to timedelta."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.mark.usefixtures("ptb_timedelta")
async def test_injected_and_automatic_flood_limits(emu: Emulator, bot: Bot, cast: Cast) -> None:
    emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(cast.group.id, "x")
    assert caught.value.retry_after == dt.timedelta(seconds=5)
    emu.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=cast.amina.id)
    await bot.send_message(cast.group.id, "not this chat")
    emu.start_bot(cast.amina)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(cast.amina.id, "this one")
    emu.enforce_flood_limits = True
    for n in range(20):
        await bot.send_message(cast.group.id, str(n))
    with pytest.raises(RetryAfter):
        await bot.send_message(cast.group.id, "one too many")
    emu.advance(61)
    await bot.send_message(cast.group.id, "fine again")


@pytest.mark.usefixtures("ptb_timedelta")
async def test_overall_flood_limit(emu: Emulator, bot: Bot) -> None:
    emu.enforce_flood_limits = True
    people = [emu.add_user(f"P{n}") for n in range(31)]
    for person in people:
        emu.start_bot(person)
    for person in people[:30]:
        await bot.send_message(person.id, "hi")
    with pytest.raises(RetryAfter):
        await bot.send_message(people[30].id, "hi")


async def test_bad_tokens_and_unknown_methods(emu: Emulator) -> None:
    status, body = await emu.call("123:wrong", "getMe", {})
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await emu.call("garbage", "getMe", {})
    assert status == 404
    status, body = await emu.call(emu.token, "sendTelepathy", {})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_wrong_token_raises_invalid_token(emu: Emulator) -> None:
    bot = Bot("123:wrong", request=EmulatorRequest(emu))
    with pytest.raises(InvalidToken):
        await bot.initialize()


async def test_get_updates_conflicts_with_webhook(bot: Bot) -> None:
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
