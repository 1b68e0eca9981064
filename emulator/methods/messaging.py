"""Text messages: send, edit, delete, copy, forward, pin; callback query answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.errors import bad_request
from emulator.keyboards import parse_reply_markup
from emulator.methods.base import MethodSpec
from emulator.methods.compose import caption, message_text, post, reply_target, thread_target
from emulator.params import Params
from emulator.rules import bot_chat
from emulator.serialize import chat_json, message_json, user_json
from emulator.transcript import describe_message, snippet
from emulator.world import JSON, Chat, Message

if TYPE_CHECKING:
    from emulator.state import World

DELETE_WINDOW = 48 * 3600
CALLBACK_ANSWER_WINDOW = 15.0
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def send_message(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params, sending="text")
    text, entities = message_text(params)
    markup = parse_reply_markup(params)
    params.decoded("link_preview_options", "link preview options")
    reply_to = reply_target(chat, params)
    message = post(
        world,
        chat,
        text=text,
        entities=entities,
        reply_markup=markup,
        reply_to=reply_to,
        thread_id=thread_target(chat, params, reply_to),
        protect_content=params.flag("protect_content"),
    )
    return message_json(world, message)


def _own_message(world: World, chat: Chat, params: Params) -> Message:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if message.sender_id != world.bot.id or message.service:
        raise bad_request("message can't be edited")
    return message


def _edited(world: World, message: Message) -> JSON:
    message.edit_date = world.today()
    world.log(message.chat_id, world.bot.first_name, "✎ " + describe_message(world, message))
    return message_json(world, message)


def edit_message_text(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params)
    message = _own_message(world, chat, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = message_text(params)
    markup = parse_reply_markup(params)
    if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
        raise bad_request(_NOT_MODIFIED)
    message.text, message.entities, message.reply_markup = text, entities, markup
    return _edited(world, message)


def edit_message_caption(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params)
    message = _own_message(world, chat, params)
    if message.media is None:
        raise bad_request("there is no caption in the message to edit")
    text, entities = caption(params)
    markup = parse_reply_markup(params)
    if (text, entities, markup) == (
        message.caption,
        message.caption_entities,
        message.reply_markup,
    ):
        raise bad_request(_NOT_MODIFIED)
    message.caption, message.caption_entities, message.reply_markup = text, entities, markup
    return _edited(world, message)


def edit_message_reply_markup(world: World, params: Params) -> JSON:
    chat = bot_chat(world, params)
    message = _own_message(world, chat, params)
    markup = parse_reply_markup(params)
    if markup == message.reply_markup:
        raise bad_request(_NOT_MODIFIED)
    message.reply_markup = markup
    return _edited(world, message)


def _check_deletable(world: World, chat: Chat, message: Message) -> None:
    """Bots delete their own messages (and anything in private chats) within 48 hours;
    with can_delete_messages in a supergroup they delete any message, of any age."""
    recent = world.now() - message.date <= DELETE_WINDOW
    if chat.is_private:
        if recent:
            return
        raise bad_request("message can't be deleted")
    if world.bot_right(chat, "can_delete_messages"):
        return
    own = message.sender_id == world.bot.id and message.sender_chat_id is None
    if own and recent:
        return
    raise bad_request("message can't be deleted")


def _delete(world: World, chat: Chat, message: Message) -> None:
    message.deleted = True
    message.deleted_by = world.bot.id
    if chat.pinned and message.message_id in chat.pinned:
        chat.pinned.remove(message.message_id)
    whose = world.display_name(message.sender_id)
    world.log(
        chat.id,
        world.bot.first_name,
        f"{world.bot.first_name} deleted a message from {whose}: "
        f"“{snippet(message.text or message.caption or '')}”",
        service=True,
    )


def delete_message(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    _check_deletable(world, chat, message)
    _delete(world, chat, message)
    return True


def delete_messages(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    ids = params.int_list("message_ids")
    if len(ids) > 100:
        raise bad_request("too many messages to delete")
    found = [chat.messages[i] for i in ids if i in chat.messages and not chat.messages[i].deleted]
    for message in found:
        _check_deletable(world, chat, message)
    for message in found:
        _delete(world, chat, message)
    return True


def _source(world: World, params: Params, verb: str) -> Message:
    from_chat = bot_chat(world, params, "from_chat_id")
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = from_chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request(f"message to {verb} not found")
    if message.service:
        raise bad_request(
            "message can't be copied" if verb == "copy" else "message can't be forwarded"
        )
    if message.protect_content:
        raise bad_request("message has protected content and can't be forwarded")
    return message


def copy_message(world: World, params: Params) -> JSON:
    source = _source(world, params, "copy")
    kind = source.media.kind if source.media else "text"
    chat = bot_chat(world, params, sending=kind)
    new_caption, caption_entities = source.caption, source.caption_entities
    if params.has("caption"):
        new_caption, caption_entities = caption(params)
    message = post(
        world,
        chat,
        text=source.text,
        entities=list(source.entities),
        media=source.media,
        caption=new_caption if source.media else None,
        caption_entities=caption_entities if source.media else [],
        reply_markup=parse_reply_markup(params),
        reply_to=reply_target(chat, params),
        protect_content=params.flag("protect_content"),
    )
    return {"message_id": message.message_id}


def forward_message(world: World, params: Params) -> JSON:
    source = _source(world, params, "forward")
    kind = source.media.kind if source.media else "text"
    chat = bot_chat(world, params, sending=kind)
    origin = source.forward_origin
    if origin is None:
        if source.sender_chat_id is not None:
            sender_chat = world.chats[source.sender_chat_id]
            origin = {
                "type": "chat",
                "date": source.date,
                "sender_chat": chat_json(world, sender_chat),
            }
        else:
            sender = world.users[source.sender_id]
            origin = {"type": "user", "date": source.date, "sender_user": user_json(sender)}
    message = post(
        world,
        chat,
        text=source.text,
        entities=list(source.entities),
        media=source.media,
        caption=source.caption,
        caption_entities=list(source.caption_entities),
        forward_origin=origin,
        protect_content=params.flag("protect_content"),
    )
    return message_json(world, message)


def answer_callback_query(world: World, params: Params) -> bool:
    query_id = params.text("callback_query_id") or ""
    query = world.callbacks.get(query_id)
    expired = query is None or world.now() - query.created_at > CALLBACK_ANSWER_WINDOW
    if query is None or query.answered or expired:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    query.answered = True
    text = params.text("text")
    if text:
        if len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        style = "alert" if params.flag("show_alert") else "notification"
        world.log(
            query.chat_id,
            world.bot.first_name,
            f"({style} to {world.display_name(query.user_id)}) {text}",
        )
    return True


def _check_pin_rights(world: World, chat: Chat) -> None:
    if chat.is_private:
        return
    if world.bot_is_admin(chat):
        allowed = world.bot_right(chat, "can_pin_messages")
    else:
        allowed = chat.permissions.can_pin_messages
    if not allowed:
        raise bad_request("not enough rights to manage pinned messages in the chat")


def pin_chat_message(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    _check_pin_rights(world, chat)
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to pin not found")
    if message_id in chat.pinned:
        chat.pinned.remove(message_id)
    chat.pinned.append(message_id)
    world.log(
        chat.id,
        world.bot.first_name,
        f"{world.bot.first_name} pinned “{snippet(message.text or message.caption)}”",
        service=True,
    )
    return True


def unpin_chat_message(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    _check_pin_rights(world, chat)
    message_id = params.integer("message_id")
    if message_id is None:
        if chat.pinned:
            chat.pinned.pop()
        return True
    if message_id not in chat.pinned:
        raise bad_request("message to unpin not found")
    chat.pinned.remove(message_id)
    return True


def unpin_all_chat_messages(world: World, params: Params) -> bool:
    chat = bot_chat(world, params)
    _check_pin_rights(world, chat)
    chat.pinned.clear()
    return True


def send_chat_action(world: World, params: Params) -> bool:
    bot_chat(world, params, sending="text")
    action = params.text("action")
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


SPECS = (
    MethodSpec("sendMessage", send_message),
    MethodSpec("editMessageText", edit_message_text),
    MethodSpec("editMessageCaption", edit_message_caption),
    MethodSpec("editMessageReplyMarkup", edit_message_reply_markup),
    MethodSpec("deleteMessage", delete_message),
    MethodSpec("deleteMessages", delete_messages),
    MethodSpec("copyMessage", copy_message),
    MethodSpec("forwardMessage", forward_message),
    MethodSpec("answerCallbackQuery", answer_callback_query),
    MethodSpec("pinChatMessage", pin_chat_message),
    MethodSpec("unpinChatMessage", unpin_chat_message),
    MethodSpec("unpinAllChatMessages", unpin_all_chat_messages),
    MethodSpec("sendChatAction", send_chat_action),
)
