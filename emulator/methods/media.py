"""Sending files: documents, photos, voice notes, stickers, videos and audio."""

from __future__ import annotations

import mimetypes
import secrets
from typing import TYPE_CHECKING

from emulator.errors import bad_request
from emulator.keyboards import parse_reply_markup
from emulator.methods.base import MethodSpec
from emulator.methods.compose import caption, post, reply_target
from emulator.params import Params
from emulator.rules import bot_chat
from emulator.serialize import message_json
from emulator.world import JSON, MediaFile, MediaKind

if TYPE_CHECKING:
    from emulator.state import World

_FILE_ID_PREFIX: dict[str, str] = {
    "document": "BQACAgQAAxkDAAI",
    "photo": "AgACAgQAAxkDAAI",
    "voice": "AwACAgQAAxkDAAI",
    "sticker": "CAACAgQAAxkDAAI",
    "video": "BAACAgQAAxkDAAI",
    "audio": "CQACAgQAAxkDAAI",
}
_DEFAULT_MIME: dict[str, str] = {
    "photo": "image/jpeg",
    "voice": "audio/ogg",
    "sticker": "image/webp",
    "video": "video/mp4",
    "audio": "audio/mpeg",
    "document": "application/octet-stream",
}


def store_file(
    world: World,
    kind: MediaKind,
    file_name: str | None,
    data: bytes,
    *,
    mime_type: str | None = None,
    duration: int = 0,
    emoji: str | None = None,
    title: str | None = None,
) -> MediaFile:
    guessed = mimetypes.guess_type(file_name)[0] if file_name else None
    media = MediaFile(
        file_id=_FILE_ID_PREFIX[kind] + secrets.token_urlsafe(33),
        file_unique_id="AgAD" + secrets.token_urlsafe(9),
        kind=kind,
        file_name=file_name,
        mime_type=mime_type or guessed or _DEFAULT_MIME[kind],
        data=data,
        duration=duration,
        emoji=emoji,
        title=title,
    )
    world.files[media.file_id] = media
    if kind == "photo":
        world.files[media.file_id + "-s"] = media
    return media


def resolve_input_file(world: World, params: Params, kind: MediaKind) -> MediaFile:
    """An upload (multipart or attach://), a file_id seen before, or an HTTP URL."""
    upload = params.files.get(kind)
    value = params.text(kind)
    if upload is None and value and value.startswith("attach://"):
        upload = params.files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"there is no {kind} in the request")
    if upload is not None:
        file_name, data = upload
        if not data:
            raise bad_request("file must be non-empty")
        return store_file(
            world,
            kind,
            file_name or kind,
            data,
            duration=params.integer("duration") or 0,
            emoji=params.text("emoji"),
            title=params.text("title"),
        )
    if not value:
        raise bad_request(f"there is no {kind} in the request")
    known = world.files.get(value)
    if known is not None:
        return known
    if value.startswith(("http://", "https://")):
        name = value.rstrip("/").rsplit("/", 1)[-1] or None
        return store_file(world, kind, name, b"", duration=params.integer("duration") or 0)
    raise bad_request("wrong file identifier/HTTP URL specified")


def _sender(kind: MediaKind) -> MethodSpec:
    def handler(world: World, params: Params) -> JSON:
        chat = bot_chat(world, params, sending=kind)
        media = resolve_input_file(world, params, kind)
        text, entities = caption(params) if kind != "sticker" else (None, [])
        message = post(
            world,
            chat,
            media=media,
            caption=text,
            caption_entities=entities,
            reply_markup=parse_reply_markup(params),
            reply_to=reply_target(chat, params),
            protect_content=params.flag("protect_content"),
        )
        return message_json(world, message)

    return MethodSpec("send" + kind.capitalize(), handler)


SPECS = (
    _sender("document"),
    _sender("photo"),
    _sender("voice"),
    _sender("sticker"),
    _sender("video"),
    _sender("audio"),
)
